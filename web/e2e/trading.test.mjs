// Trading from the dashboard: live prices tick on the overview, an order the risk engine denies shows the
// typed reason the API gives, and a filled order appears in the positions table as the API reports it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiAs, launchBrowser, login, newPage, passwords, screenshot, startServer, until } from './harness.mjs';

let server;
let browser;
let trader; // REST as trader, to check the UI against the API
let session; // one browser page for the whole file: the steps follow one trader's session

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  trader = await apiAs(server, 'trader', passwords.trader);
  session = await newPage(browser);
});
after(async () => {
  await session?.close();
  await browser?.close();
  await server?.stop();
});


// Each step can run on its own: log in when an earlier step did not leave the session logged in.
async function ready(page) {
  if ((await page.getByTestId('current-user').count()) === 0) await login(page, server, 'trader', passwords.trader);
}

async function nav(page, name) {
  await page.getByRole('navigation').getByRole('link', { name, exact: true }).click();
}

async function fillTicket(page, quantity) {
  await page.getByTestId('ticket-symbol').selectOption('BTCUSDT');
  await page.getByTestId('ticket-side-BUY').click();
  await page.getByTestId('ticket-type').selectOption('MARKET');
  await page.getByTestId('ticket-quantity').fill(quantity);
}

test('live prices move on the overview', async () => {
  const { page, problems } = session;
  await ready(page);
  const price = page.getByTestId('price-BTCUSDT');
  const first = await until(async () => {
    const t = (await price.innerText()).trim();
    return /\d/.test(t) ? t : null;
  }, 30000, 'a BTCUSDT price');
  assert.match(first, /USDT$/);
  await screenshot(page, 'trading-1-overview');
  const second = await until(async () => {
    const t = (await price.innerText()).trim();
    return t !== first ? t : null;
  }, 15000, 'the BTCUSDT price to change');
  assert.notEqual(second, first);
  assert.equal(await page.getByTestId('trading-state').innerText(), 'ACTIVE');
  await screenshot(page, 'trading-1-overview-ticked');
  assert.deepEqual(problems, []);
});

test('an order the risk engine denies shows the reason the API gives', async () => {
  const { page, problems } = session;
  await ready(page);
  await nav(page, 'Orders');
  await fillTicket(page, '50');
  await page.getByTestId('ticket-preview').click();
  await page.getByTestId('order-preview').waitFor();
  await screenshot(page, 'trading-2-preview-denied');
  const sent = page.waitForResponse((r) => r.url().endsWith('/api/orders') && r.request().method() === 'POST');
  await page.getByTestId('ticket-send').click();
  const response = await sent;
  assert.equal(response.status(), 422);
  const denial = page.getByTestId('order-denial');
  await denial.waitFor();
  // The preview table is gone: this denial is the submission's.
  assert.equal(await page.getByTestId('order-preview').count(), 0);
  const api = await trader('POST', '/api/risk/evaluate', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '50', time_in_force: 'GTC', reduce_only: false, post_only: false });
  assert.equal(api.status, 200);
  assert.equal(api.body.decision.verdict, 'DENIED');
  assert.equal(await page.getByTestId('order-denial-reason').innerText(), api.body.decision.reason);
  const text = await denial.innerText();
  assert.match(text, new RegExp(`${api.body.decision.limit_label}:`));
  assert.match(text, new RegExp(`${api.body.decision.value_label}:`));
  await screenshot(page, 'trading-2-denied');
  // The browser logs the expected 422 answer as a failed resource; nothing else may appear.
  assert.deepEqual(
    problems.filter((p) => !/status of 422/.test(p)),
    [],
  );
  problems.length = 0;
});

test('a filled order appears in the positions table as the API reports it', async () => {
  const { page, problems } = session;
  await ready(page);
  await nav(page, 'Orders');
  await fillTicket(page, '0.01');
  await page.getByTestId('ticket-preview').click();
  await page.getByTestId('preview-verdict').waitFor();
  assert.equal(await page.getByTestId('preview-verdict').innerText(), 'APPROVED');
  await screenshot(page, 'trading-3-preview-approved');
  await page.getByTestId('ticket-send').click();
  await page.getByTestId('order-sent').waitFor();
  assert.match(await page.getByTestId('order-sent').innerText(), /SUBMITTED/);
  await screenshot(page, 'trading-3-sent');
  const position = await until(async () => {
    const r = await trader('GET', '/api/positions');
    return r.body.positions.find((p) => p.symbol === 'BTCUSDT');
  }, 20000, 'the BTCUSDT position');
  assert.equal(position.quantity, '0.01');
  // The VaR column needs 30 returns; wait for them so the page's analysis call answers 200, not 409.
  await until(async () => (await trader('GET', '/api/risk/analysis?confidence=0.95&horizon_days=1')).status === 200, 40000, 'enough history for VaR');
  await nav(page, 'Positions');
  const size = page.getByTestId('position-size-BTCUSDT');
  await size.waitFor();
  assert.equal(await size.innerText(), `${position.quantity} BTC`);
  assert.match(await page.getByTestId('position-row-BTCUSDT').innerText(), /LONG/);
  await until(async () => /%/.test(await page.getByTestId('position-row-BTCUSDT').innerText()), 15000, 'the VaR share');
  await screenshot(page, 'trading-3-positions');
  await page.getByTestId('position-row-BTCUSDT').getByRole('link', { name: 'BTCUSDT' }).click();
  await page.getByTestId('detail-size').waitFor();
  assert.equal(await page.getByTestId('detail-size').innerText(), `${position.quantity} BTC`);
  await page.getByTestId('position-chart').waitFor();
  await screenshot(page, 'trading-3-position-detail');
  assert.deepEqual(problems, []);
});

test('a resting limit order is listed live among the open orders and can be canceled', async () => {
  const { page, problems } = session;
  await ready(page);
  await nav(page, 'Orders');
  await page.getByTestId('ticket-symbol').selectOption('BTCUSDT');
  await page.getByTestId('ticket-side-BUY').click();
  await page.getByTestId('ticket-type').selectOption('LIMIT');
  await page.getByTestId('ticket-quantity').fill('0.01');
  await page.getByTestId('ticket-price').fill('30000');
  await page.getByTestId('ticket-preview').click();
  await page.getByTestId('preview-verdict').waitFor();
  await page.getByTestId('ticket-send').click();
  await page.getByTestId('order-sent').waitFor();
  const id = /Order (\S+)/.exec(await page.getByTestId('order-sent').innerText())[1];
  const row = page.getByTestId(`open-order-${id}`);
  await row.waitFor();
  assert.match(await row.innerText(), /30,000 USDT/);
  await screenshot(page, 'trading-4-open-order');
  await row.getByRole('button', { name: `Cancel order ${id}` }).click();
  await row.waitFor({ state: 'detached', timeout: 15000 });
  const api = await trader('GET', `/api/orders/${id}`);
  assert.equal(api.body.status ?? api.body.order?.status, 'CANCELED');
  // The history follows the order events.
  await until(async () => /CANCELED/.test(await page.getByTestId('order-history').innerText()), 10000, 'the canceled order in the history');
  await page.getByRole('button', { name: 'Light theme' }).click();
  await screenshot(page, 'trading-4-history-light');
  await page.getByRole('button', { name: 'Dark theme' }).click();
  assert.deepEqual(problems, []);
});
