// A backtest from the dashboard: a trader runs sma_cross on synthetic data from the form, follows the
// progress to DONE, and sees the equity chart, the metrics and the report download; a second run trades
// only from a given time (the bars before it warm the strategy up); a third runs on a CSV file on the server
// whose timestamps are the bars' close times.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { apiAs, launchBrowser, login, newPage, passwords, screenshot, startServer } from './harness.mjs';

let server;
let browser;

// 300 hourly bars stamped with their close times, the first at 2024-01-01T01:00Z: a slow wave for sma_cross.
const firstStampMs = Date.UTC(2024, 0, 1, 1);
const barsDir = mkdtempSync(path.join(tmpdir(), 'ballast-e2e-bars-'));
let csv = 'timestamp,open,high,low,close,volume\n';
for (let k = 0; k < 300; k++) {
  const open = (100 + 10 * Math.sin(k / 15)).toFixed(2);
  const close = (100 + 10 * Math.sin((k + 1) / 15)).toFixed(2);
  const high = (Math.max(Number(open), Number(close)) + 0.5).toFixed(2);
  const low = (Math.min(Number(open), Number(close)) - 0.5).toFixed(2);
  csv += `${firstStampMs + k * 3600000},${open},${high},${low},${close},100\n`;
}
writeFileSync(path.join(barsDir, 'wave-1h.csv'), csv);

before(async () => {
  server = await startServer({ BALLAST_BACKTEST_DATA_DIR: barsDir });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

// A trader's page on the Backtests form, loaded (the strategies listed).
async function openForm() {
  const { page, problems, close } = await newPage(browser);
  await login(page, server, 'trader', passwords.trader);
  await page.getByRole('navigation').getByRole('link', { name: 'Backtests', exact: true }).click();
  const form = page.getByTestId('backtest-form');
  await form.getByLabel('Strategy').waitFor();
  return { page, problems, close, form };
}

test('an sma_cross backtest runs from the form to its charts and metrics', async () => {
  const { page, problems, close, form } = await openForm();
  assert.equal(await form.getByLabel('Strategy').inputValue(), 'sma_cross');
  await form.getByLabel('Bars').fill('1500');
  await form.getByLabel('Seed').fill('7');
  await form.getByLabel('Label').fill('e2e sma_cross');
  await form.getByRole('button', { name: 'Run backtest' }).click();

  const status = page.getByTestId('backtest-status');
  await status.waitFor({ timeout: 15000 });
  await page.waitForFunction(() => document.querySelector('[data-testid="backtest-status"]')?.textContent === 'DONE', null, { timeout: 120000 });
  assert.equal(await page.getByTestId('backtest-progress').getAttribute('aria-valuenow'), '100');
  await page.getByTestId('equity-chart').locator('canvas').first().waitFor({ timeout: 15000 });
  await page.getByTestId('drawdown-chart').locator('canvas').first().waitFor();
  await page.getByTestId('price-chart').locator('canvas').first().waitFor();
  const metrics = await page.getByTestId('backtest-metrics').innerText();
  assert.match(metrics, /Total return\s+-?\d+\.\d\d %/);
  assert.match(metrics, /Final equity\s+[\d,]+\.\d\d USDT/);
  assert.match(await page.getByTestId('metric-total-return').innerText(), /%$/);
  assert.match(await page.getByTestId('backtest-list').innerText(), /e2e sma_cross[\s\S]*DONE/);
  await page.waitForTimeout(800);
  await screenshot(page, 'backtests-1-done');

  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 20000 }), page.getByTestId('download-report').click()]);
  assert.match(download.suggestedFilename(), /^backtest-.+\.html$/);

  // The report opens in a new tab: the self-contained HTML with its charts.
  const [tab] = await Promise.all([page.context().waitForEvent('page', { timeout: 20000 }), page.getByTestId('open-report').click()]);
  await tab.waitForLoadState();
  assert.match(await tab.content(), /<svg/);
  await screenshot(tab, 'backtests-2-report');
  await tab.close();
  assert.deepEqual(problems, []);
  await close();
});

test('a backtest that trades from a given time starts its results there', async () => {
  const { page, problems, close, form } = await openForm();
  await form.getByLabel('Bars').fill('1500');
  await form.getByLabel('Label').fill('e2e trade-from');
  // Checked in the form before anything is sent.
  await form.getByLabel('Trade from (UTC)').fill('last tuesday');
  await form.getByRole('button', { name: 'Run backtest' }).click();
  await form.getByText('a date or time such as 2024-03-01').waitFor();

  // The synthetic bars (1 h) end now: trade over the last 500 hours only.
  const from = new Date(Math.floor(Date.now() / 3600000) * 3600000 - 500 * 3600000);
  const iso = from.toISOString().slice(0, 16) + 'Z';
  await form.getByLabel('Trade from (UTC)').fill(iso);
  await form.getByRole('button', { name: 'Run backtest' }).click();
  await page.waitForFunction(() => document.querySelector('[data-testid="backtest-status"]')?.textContent === 'DONE', null, { timeout: 120000 });

  const api = await apiAs(server, 'trader', passwords.trader);
  const list = await api('GET', '/api/backtests');
  const job = list.body.backtests.find((j) => j.label === 'e2e trade-from');
  assert.ok(job, JSON.stringify(list.body).slice(0, 300));
  assert.equal(job.trade_from, from.toISOString().replace('.000Z', 'Z'));
  const done = await api('GET', `/api/backtests/${job.id}`);
  const first = done.body.result.equity[0].ts_ms;
  // The first sample is the end of the first bar that starts at or after the time (bars are on the hour).
  assert.ok(first > from.getTime() && first <= from.getTime() + 2 * 3600000, `${first} vs ${from.getTime()}`);
  assert.ok(done.body.result.equity_samples <= 501, String(done.body.result.equity_samples));
  assert.deepEqual(problems, []);
  await close();
});

test('a backtest on a CSV file stamped at bar closes', async () => {
  const { page, problems, close, form } = await openForm();
  await form.getByLabel('Data').selectOption('csv');
  await form.getByRole('textbox', { name: /CSV files \(in the server/ }).fill('wave-1h.csv');
  await form.getByTestId('backtest-bar-time').selectOption('end');
  await form.getByLabel('Label').fill('e2e bar close');
  await form.getByRole('button', { name: 'Run backtest' }).click();
  await page.waitForFunction(() => document.querySelector('[data-testid="backtest-status"]')?.textContent === 'DONE', null, { timeout: 120000 });

  const api = await apiAs(server, 'trader', passwords.trader);
  const list = await api('GET', '/api/backtests');
  const job = list.body.backtests.find((j) => j.label === 'e2e bar close');
  assert.ok(job, JSON.stringify(list.body).slice(0, 300));
  assert.equal(job.data.bar_time, 'end');
  const done = await api('GET', `/api/backtests/${job.id}`);
  // The first bar closes at its own stamp (as a bar start it would close an hour later).
  assert.equal(done.body.result.equity[0].ts_ms, firstStampMs);
  assert.ok(done.body.result.metrics.trades > 0, JSON.stringify(done.body.result.metrics));
  assert.deepEqual(problems, []);
  await close();
});
