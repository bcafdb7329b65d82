// Shared set-up for the end-to-end tests: the release build (dist/) served on loopback and
// Debian's Chromium driven by playwright-core.
import { chromium } from 'playwright-core';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { startServer } from '../../tools/serve.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DIST = join(root, 'dist');

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

export async function serveDist(dir = DIST) {
  const server = await startServer({ root: dir, port: 0 });
  const { port } = server.address();
  return {
    server,
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((done) => server.close(done)),
  };
}

/// A browser with its own, new profile (like a second phone), closed by `close()`.
export async function launchProfile({ viewport = { width: 360, height: 740 }, colorScheme = 'light' } = {}) {
  const userDataDir = await mkdtemp(join(tmpdir(), 'stodrutin-e2e-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
    colorScheme,
    locale: 'sv-SE',
    timezoneId: 'Europe/Stockholm',
  });
  return {
    context,
    close: async () => {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/// Opens the app and waits until its first screen is there. At the first start the app offers
/// a lock; the tests that are not about the lock take "Senare" (later), as a user in a hurry may.
export async function openApp(page, url) {
  await page.goto(url);
  const home = page.getByRole('button', { name: /Nytt ärende|New case/ });
  const later = page.getByRole('button', { name: /Senare – starta utan lås|Later – start without a lock/ });
  await home.or(later).first().waitFor();
  if (await later.isVisible()) {
    await later.click();
    await home.waitFor();
  }
}

export function row(page, id) {
  return page.locator(`li[data-row="${id}"]`);
}

/// Waits (up to 5 s) until the row shows the status; fails the test otherwise.
export async function hasStatus(page, id, status) {
  await page.locator(`li[data-row="${id}"][data-status="${status}"]`).waitFor({ timeout: 5000 });
}

/// Records every request the browser makes that is not to `origin` (including the service
/// worker's). The app must never make one: tests assert the list is empty at the end.
export function watchForeignRequests(context, origin) {
  const foreign = [];
  const check = (request) => {
    const url = request.url();
    if (url.startsWith('data:') || url.startsWith('blob:')) return;
    if (new URL(url).origin !== origin) foreign.push(url);
  };
  context.on('request', check);
  return foreign;
}

export function originOf(url) {
  return new URL(url).origin;
}

/// Waits until a service worker controls the page (the app's files are then cached).
export async function waitForServiceWorker(page) {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30000 });
  await page.locator('[data-offline="ready"]').waitFor({ timeout: 30000 });
}

/// Starts a case from the first screen and waits for it to open.
export async function startCase(page) {
  await page.getByRole('button', { name: 'Nytt ärende' }).click();
  await page.getByRole('button', { name: 'Starta ärendet' }).click();
  await page.getByRole('heading', { level: 1, name: /Händelsen/ }).waitFor();
}
