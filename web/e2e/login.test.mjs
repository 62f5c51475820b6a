// Logging in and out; a wrong password is refused with the server's message.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, login, newPage, passwords, screenshot, startServer } from './harness.mjs';

let server;
let browser;
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a wrong password is refused and the right one opens the dashboard', async () => {
  const { page, problems, close } = await newPage(browser);
  await page.goto(server.url + '/');
  await page.getByLabel('User').fill('admin');
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('alert').waitFor();
  assert.match(await page.getByRole('alert').innerText(), /password|credentials|invalid/i);
  problems.length = 0; // the refused login's 401 is logged by the browser as a failed resource
  await login(page, server, 'admin', passwords.admin);
  assert.match(await page.getByTestId('current-user').innerText(), /admin.*admin/);
  await screenshot(page, 'login-overview');
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByRole('button', { name: 'Log in' }).waitFor();
  assert.deepEqual(problems, []);
  await close();
});
