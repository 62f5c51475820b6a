// Circuit breakers end to end: an admin creates a RAPID_MOVE breaker in the UI, a trader's resting buy
// far below the market waits, a paper-market shock (-8 %) trips the breaker, the event shows in the
// history table and the order is CANCELED by the breaker's action.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiAs, launchBrowser, login, newPage, passwords, screenshot, startServer, until } from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await startServer({ BALLAST_PAPER_SPEED: '20' });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a RAPID_MOVE breaker created in the UI trips on a shock and cancels the resting order', async () => {
  const admin = await apiAs(server, 'admin', passwords.admin);
  const trader = await apiAs(server, 'trader', passwords.trader);
  const { page, problems, close } = await newPage(browser);
  await login(page, server, 'admin', passwords.admin);
  await page.getByRole('navigation').getByRole('link', { name: 'Circuit breakers', exact: true }).click();
  await page.getByTestId('breaker-account-drawdown-10').waitFor();

  // The form checks what it can before sending: a threshold out of range stays on its field.
  await page.getByRole('button', { name: 'New breaker' }).click();
  const form = page.getByTestId('breaker-form');
  await form.getByTestId('bf-name').fill('btc-rapid');
  await form.getByTestId('bf-condition').selectOption('RAPID_MOVE');
  await form.getByTestId('bf-instrument').selectOption('BTCUSDT.PAPER');
  await form.getByTestId('bf-threshold').fill('1.5');
  await form.getByTestId('bf-window').fill('1m');
  await form.getByTestId('bf-action').selectOption('CANCEL_ORDERS');
  await form.getByRole('button', { name: 'Create breaker' }).click();
  assert.match(await form.getByTestId('error-threshold').innerText(), /\(0, 1\]/);
  await form.getByTestId('bf-threshold').fill('0.03');
  await form.getByRole('button', { name: 'Create breaker' }).click();
  const row = page.getByTestId('breaker-btc-rapid');
  await row.waitFor({ timeout: 15000 });
  await until(async () => /ARMED/.test(await row.innerText()), 15000, 'the new breaker armed');
  assert.match(await row.innerText(), /RAPID_MOVE[\s\S]*BTCUSDT\.PAPER[\s\S]*3\.00 %[\s\S]*CANCEL_ORDERS/);
  const listed = await admin('GET', '/api/risk/circuit-breakers');
  assert.ok(listed.body.breakers.some((b) => b.name === 'btc-rapid' && b.condition === 'RAPID_MOVE'));
  await screenshot(page, 'breakers-1-created');

  // A resting limit buy far below the market.
  const market = await until(async () => {
    const r = await admin('GET', '/api/analytics/market?symbol=BTCUSDT');
    return r.status === 200 ? r.body : null;
  }, 60000, 'BTCUSDT closes');
  const price = Math.floor(market.last_close * 0.5);
  const placed = await trader('POST', '/api/orders', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.01', price: String(price), time_in_force: 'GTC' });
  assert.equal(placed.status, 201, JSON.stringify(placed.body));
  const orderId = placed.body.id;
  await until(async () => {
    const r = await trader('GET', `/api/orders/${orderId}`);
    return ['NEW', 'ACCEPTED', 'OPEN', 'WORKING'].includes(r.body?.status ?? r.body?.order?.status);
  }, 20000, 'the order resting at the venue');

  // Drive the synthetic market down 8 %: the rapid-move breaker trips and cancels the order.
  const shock = await admin('POST', '/api/paper/shock', { symbol: 'BTCUSDT', move: '-0.08' });
  assert.equal(shock.status, 200, JSON.stringify(shock.body));

  const event = page.getByTestId('breaker-event').filter({ hasText: 'btc-rapid' }).filter({ hasText: 'TRIGGERED' });
  await event.first().waitFor({ timeout: 30000 });
  assert.match(await event.first().innerText(), /BTCUSDT\.PAPER[\s\S]*\d+\.\d\d %[\s\S]*3\.00 %[\s\S]*CANCEL_ORDERS/);
  const acted = page.getByTestId('breaker-event').filter({ hasText: 'btc-rapid' }).filter({ hasText: 'ACTED' });
  await acted.first().waitFor({ timeout: 30000 });
  assert.match(await acted.first().innerText(), /order[s]? canceled|ok/);
  await until(async () => {
    const r = await trader('GET', `/api/orders/${orderId}`);
    return (r.body?.status ?? r.body?.order?.status) === 'CANCELED';
  }, 20000, 'the order CANCELED');
  await until(async () => /TRIPPED|COOLING_DOWN/.test(await row.innerText()), 15000, 'the breaker state on its row');
  await screenshot(page, 'breakers-2-tripped');
  // The canceled order as the Orders page shows it.
  await page.getByRole('navigation').getByRole('link', { name: 'Orders', exact: true }).click();
  const history = page.getByTestId('order-history');
  await until(async () => new RegExp(`${orderId}[\\s\\S]*CANCELED`).test(await history.innerText()), 15000, 'the canceled order in the history');
  await screenshot(page, 'breakers-3-order-canceled');
  assert.deepEqual(problems, []);
  await close();
});
