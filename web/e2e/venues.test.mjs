// The Venues page against a live venue: `ballast serve` with a [[venues]] Binance USDⓈ-M account pointed at
// the mock exchange (tests/tools/mock_binance_serve.cpp) on 127.0.0.1. The venue holds 0.010 BTCUSDT that
// Ballast has never seen: the page shows the venue connected, the position adopted by the reconciliation at
// start (a POSITION_CORRECTED correction) and marked at 30,000; a trader reconciles again from the page (no
// corrections now); a viewer sees the same figures without the buttons.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiAs, launchBrowser, login, newPage, passwords, screenshot, startMockBinance, startServer } from './harness.mjs';

let mock;
let server;
let browser;

before(async () => {
  mock = await startMockBinance();
  const config = `[[venues]]
name = "binance"
kind = "binance_futures"
symbols = ["BTCUSDT"]
api_key_env = "E2E_BINANCE_KEY"
api_secret_env = "E2E_BINANCE_SECRET"
rest_url = "${mock.rest_url}"
user_stream_url = "${mock.user_stream_url}"
stream_url = "${mock.stream_url}"
`;
  server = await startServer({ E2E_BINANCE_KEY: mock.api_key, E2E_BINANCE_SECRET: mock.api_secret }, { config });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
  await mock?.stop();
});

async function openVenues(user) {
  const { page, problems, close } = await newPage(browser);
  await login(page, server, user, passwords[user]);
  await page.getByRole('navigation').getByRole('link', { name: 'Venues', exact: true }).click();
  await page.getByTestId('venues-table').waitFor();
  return { page, problems, close };
}

test('a trader sees the live venue, its adopted position and reconciles from the page', async () => {
  const { page, problems, close } = await openVenues('trader');
  const connection = page.getByTestId('venue-connection-binance');
  await page.waitForFunction(() => document.querySelector('[data-testid="venue-connection-binance"]')?.textContent === 'connected', null, { timeout: 30000 });
  assert.equal(await connection.innerText(), 'connected');
  // The reconciliation at start adopted the venue's position.
  assert.match(await page.getByTestId('venue-reconciliation-binance').innerText(), /^in sync; 1 correction: POSITION_CORRECTED 1$/);
  assert.match(await page.getByTestId('venue-corrections').innerText(), /POSITION_CORRECTED\s+BTCUSDT\.BINANCE/);
  const row = page.getByTestId('venue-position-BTCUSDT');
  await row.waitFor({ timeout: 15000 });
  // Marked by the mock's trades at 30,000: 0.01 long entered at 30,000, no P&L.
  await page.waitForFunction(() => /30,000/.test(document.querySelector('[data-testid="venue-position-BTCUSDT"]')?.textContent ?? ''), null, { timeout: 15000 });
  const text = await row.innerText();
  assert.match(text, /LONG/);
  assert.match(text, /0\.01\b/);
  // The columns are those of the Positions page's first seven (the same headings component).
  const headings = await page.getByTestId('venue-positions').locator('thead th').allInnerTexts();
  assert.deepEqual(headings.map((h) => h.trim()), ['Instrument', 'Side', 'Size', 'Entry', 'Mark', 'Unrealised P&L', 'Liquidation']);
  await page.waitForTimeout(500);
  await screenshot(page, 'venues-1-binance');

  await page.getByTestId('venue-reconcile').click();
  const result = page.getByTestId('venue-action-result');
  await result.waitFor({ timeout: 15000 });
  assert.match(await result.innerText(), /^Reconciled at .+: 0 corrections\.$/);
  // The API says the same: the last report has no corrections.
  const api = await apiAs(server, 'trader', passwords.trader);
  const venue = await api('GET', '/api/venues/binance');
  assert.equal(venue.status, 200);
  assert.equal(venue.body.reconciliation.corrections.length, 0);
  assert.equal(venue.body.positions[0].quantity, '0.01');
  assert.deepEqual(problems, []);
  await close();
});

test('a viewer sees the venue without the trading buttons', async () => {
  const { page, problems, close } = await openVenues('viewer');
  await page.getByTestId('venue-detail').waitFor();
  assert.equal(await page.getByTestId('venue-reconcile').count(), 0);
  assert.equal(await page.getByTestId('venue-cancel-all').count(), 0);
  assert.deepEqual(problems, []);
  await close();
});
