// The emergency stop from the overview: a trader engages it (HALTED), a viewer sees no trading buttons
// anywhere, an admin resets it (ACTIVE again).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiAs, launchBrowser, login, newPage, passwords, screenshot, startServer, until } from './harness.mjs';

let server;
let browser;
let trader;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  trader = await apiAs(server, 'trader', passwords.trader);
});
after(async () => {
  await browser?.close();
  await server?.stop();
});


async function nav(page, name) {
  await page.getByRole('navigation').getByRole('link', { name, exact: true }).click();
}

async function stateIs(page, state) {
  await until(async () => (await page.getByTestId('trading-state').innerText()).trim() === state, 15000, `trading state ${state}`);
}

test('a trader engages the emergency stop and the overview shows HALTED', async () => {
  // A position to be seen (and not closable) by the viewer later; the stop is engaged without flattening.
  const placed = await trader('POST', '/api/orders', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.01' });
  assert.equal(placed.status, 201);
  await until(async () => (await trader('GET', '/api/positions')).body.positions.length > 0, 20000, 'the position');

  const { page, problems, close } = await newPage(browser);
  await login(page, server, 'trader', passwords.trader);
  await stateIs(page, 'ACTIVE');
  assert.equal(await page.getByTestId('emergency-reset').count(), 0); // resets are for admins
  await screenshot(page, 'emergency-1-trader-active');
  await page.getByTestId('emergency-stop').click();
  const dialog = page.getByRole('dialog', { name: 'Engage the emergency stop?' });
  await dialog.waitFor();
  // Typed key by key over more than one live update: the field must keep the focus while data ticks.
  await dialog.getByLabel('Reason').click();
  await dialog.getByLabel('Reason').pressSequentially('e2e: desk drill', { delay: 120 });
  assert.equal(await dialog.getByLabel('Reason').inputValue(), 'e2e: desk drill');
  await screenshot(page, 'emergency-2-confirm');
  await dialog.getByRole('button', { name: 'Stop trading' }).click();
  await stateIs(page, 'HALTED');
  const result = page.getByTestId('emergency-result');
  await result.waitFor();
  assert.match(await result.innerText(), /PAPER/);
  assert.match(await result.innerText(), /ok/);
  const risk = await trader('GET', '/api/risk');
  assert.equal(risk.body.trading_state, 'HALTED');
  assert.equal(risk.body.emergency_stop, true);
  assert.equal(await page.getByTestId('emergency-stop').count(), 0);
  await screenshot(page, 'emergency-3-halted');
  assert.deepEqual(problems, []);
  await close();
});

test('a viewer sees the halt but no trading buttons', async () => {
  const { page, problems, close } = await newPage(browser);
  await login(page, server, 'viewer', passwords.viewer);
  await stateIs(page, 'HALTED');
  assert.equal(await page.getByTestId('emergency-stop').count(), 0);
  assert.equal(await page.getByTestId('emergency-reset').count(), 0);
  await screenshot(page, 'emergency-4-viewer-overview');
  await nav(page, 'Orders');
  await page.getByTestId('order-ticket').waitFor();
  assert.equal(await page.getByTestId('ticket-send').count(), 0);
  assert.equal(await page.getByTestId('cancel-all').count(), 0);
  await screenshot(page, 'emergency-5-viewer-orders');
  // The VaR column needs 30 returns; wait for them so the page's analysis call answers 200, not 409 (which
  // the browser would log as a failed resource).
  await until(async () => (await trader('GET', '/api/risk/analysis?confidence=0.95&horizon_days=1')).status === 200, 40000, 'enough history for VaR');
  await nav(page, 'Positions');
  await page.getByTestId('position-row-BTCUSDT').waitFor();
  assert.equal(await page.getByRole('button', { name: /Close/ }).count(), 0);
  await screenshot(page, 'emergency-6-viewer-positions');
  assert.deepEqual(problems, []);
  await close();
});

test('an admin resets the emergency stop and trading is ACTIVE again', async () => {
  const { page, problems, close } = await newPage(browser);
  await login(page, server, 'admin', passwords.admin);
  await stateIs(page, 'HALTED');
  await page.getByTestId('emergency-reset').click();
  const dialog = page.getByRole('dialog', { name: 'Reset the emergency stop?' });
  await dialog.getByLabel('Reason').fill('e2e: drill over');
  await screenshot(page, 'emergency-7-admin-confirm-reset');
  await dialog.getByRole('button', { name: 'Reset' }).click();
  await stateIs(page, 'ACTIVE');
  const risk = await trader('GET', '/api/risk');
  assert.equal(risk.body.trading_state, 'ACTIVE');
  assert.equal(risk.body.emergency_stop, false);
  await page.getByTestId('emergency-stop').waitFor();
  await screenshot(page, 'emergency-8-admin-active');
  assert.deepEqual(problems, []);
  await close();
});
