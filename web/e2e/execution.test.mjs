// Execution algorithms end to end: a trader starts a TWAP through the API and follows it on the Execution
// page until it is done; the page shows the algo's implementation shortfall as the API reports it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiAs, launchBrowser, login, newPage, passwords, screenshot, startServer, until } from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await startServer({ BALLAST_PAPER_SPEED: '60' });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a TWAP started by a trader is followed to DONE with its shortfall on the Execution page', async () => {
  const trader = await apiAs(server, 'trader', passwords.trader);
  await until(async () => (await trader('GET', '/api/analytics/market?symbol=BTCUSDT')).status === 200, 60000, 'BTCUSDT closes');
  const started = await trader('POST', '/api/execution/algos', {
    algorithm: 'TWAP', symbol: 'BTCUSDT', side: 'BUY', quantity: '0.05', duration: '2m', slices: 4,
  });
  assert.equal(started.status, 201, JSON.stringify(started.body));
  const id = started.body.id;

  const { page, problems, close } = await newPage(browser);
  await login(page, server, 'trader', passwords.trader);
  await page.getByRole('navigation').getByRole('link', { name: 'Execution', exact: true }).click();
  const row = page.getByTestId(`algo-${id}`);
  await row.waitFor({ timeout: 15000 });

  const done = await until(async () => {
    const r = await trader('GET', `/api/execution/algos/${id}`);
    return r.body.status === 'DONE' ? r.body : null;
  }, 60000, 'the TWAP DONE');
  // All filled: the shortfall of the parent is the cost of its fills.
  assert.equal(done.quality.fill_rate, 1);
  assert.equal(typeof done.quality.shortfall_bps, 'number');
  assert.ok(Math.abs(done.quality.shortfall_bps - done.quality.total_cost_bps) < 1e-9);
  const shown = `${done.quality.shortfall_bps.toFixed(1)} bp`;
  const cell = page.getByTestId(`algo-${id}-shortfall`);
  await until(async () => (await cell.innerText()) === shown, 15000, `the shortfall ${shown} on the row`);
  assert.match(await row.innerText(), /DONE/);
  await screenshot(page, 'execution-1-done');
  assert.deepEqual(problems, []);
  await close();
});
