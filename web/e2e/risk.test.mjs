// The Risk page with real history: limit utilisation bars (with limits configured), VaR/ES by method and
// confidence, the correlation heatmap (method switch) and the stress heatmap, for a viewer.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiAs, launchBrowser, login, newPage, passwords, screenshot, startServer, sleep, until } from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await startServer({ BALLAST_PAPER_SPEED: '50' });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});


test('a viewer sees limit bars, VaR by method, the correlation and stress heatmaps', async () => {
  const admin = await apiAs(server, 'admin', passwords.admin);
  const trader = await apiAs(server, 'trader', passwords.trader);
  const put = await admin('PUT', '/api/config/global', {
    limits: { max_order_notional: '50000' },
    account: { max_gross_exposure: '20000', max_leverage: '3', daily_loss_limit: '3000', max_trades_per_day: 100 },
  });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  for (const [symbol, quantity] of [
    ['BTCUSDT', '0.2'],
    ['ETHUSDT', '2'],
  ]) {
    const r = await trader('POST', '/api/orders', { symbol, side: 'BUY', type: 'MARKET', quantity });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  await until(async () => (await admin('GET', '/api/positions/correlation?method=sample')).status === 200, 60000, '30 returns of history');
  await until(async () => {
    const r = await admin('GET', '/api/risk');
    return r.body?.limits?.some((l) => l.limit === 'MAX_GROSS_EXPOSURE' && l.utilisation > 0);
  }, 30000, 'filled positions');

  const { page, problems, close } = await newPage(browser);
  await login(page, server, 'viewer', passwords.viewer);
  await page.getByRole('navigation').getByRole('link', { name: 'Risk', exact: true }).click();

  const gross = page.getByTestId('limit-MAX_GROSS_EXPOSURE');
  await gross.waitFor({ timeout: 20000 });
  assert.match(await gross.innerText(), /Max gross exposure[\s\S]*USDT of 20,000\.00 USDT[\s\S]*%/);
  const meter = gross.getByRole('meter');
  assert.ok(Number(await meter.getAttribute('aria-valuenow')) > 0);
  // About 18,000 USDT gross against a 20,000 limit: past the 80 % warning.
  assert.match(await meter.getAttribute('class'), /\bbar (warn|over)\b/);
  await page.getByTestId('limit-MAX_LEVERAGE').waitFor();

  const varTable = page.getByTestId('var-table');
  await varTable.getByText('Historical').waitFor({ timeout: 20000 });
  const varText = await varTable.innerText();
  for (const m of ['Parametric (normal)', 'Cornish–Fisher', 'Monte Carlo', 'VaR 95 %', 'ES 99 %']) assert.ok(varText.includes(m), m);

  const heat = page.getByTestId('correlation-heatmap');
  await heat.locator('canvas').first().waitFor({ timeout: 20000 });
  assert.match(await page.getByTestId('correlation-panel').innerText(), /\d+ returns/);
  await page.getByLabel('Correlation method').selectOption('ledoit_wolf');
  await page.getByTestId('correlation-panel').getByText(/shrinkage intensity/).waitFor({ timeout: 20000 });

  await page.getByTestId('stress-heatmap').locator('canvas').first().waitFor({ timeout: 20000 });
  assert.match(await page.getByTestId('stress-panel').innerText(), /Worst: .*-[\d,.]+ USDT/);
  await page.getByTestId('vol-BTCUSDT').waitFor({ timeout: 20000 });
  assert.match(await page.getByTestId('vol-BTCUSDT').innerText(), /%/);
  await sleep(800); // let the charts draw before the picture
  await screenshot(page, 'risk-1-page');
  assert.deepEqual(problems, []);
  await close();
});
