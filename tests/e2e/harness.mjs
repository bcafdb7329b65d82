// Shared set-up for the end-to-end tests: the release build (dist/) served on loopback and
// Debian's Chromium driven by playwright-core.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
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

/// The row, with its section opened as a user would open it: a case shows one section at a time
/// (the others are one line each until tapped).
export async function row(page, id) {
  return shownInItsSection(page, page.locator(`li[data-row="${id}"]`));
}

/// Waits for `element`, taps its folded section open if it is in one, and waits until it shows.
async function shownInItsSection(page, element) {
  await element.waitFor({ state: 'attached' });
  const section = page.locator('details.routine-section').filter({ has: element });
  if ((await section.count()) > 0 && !(await section.evaluate((details) => details.open))) {
    await section.locator(':scope > summary').click();
  }
  await element.waitFor();
  return element;
}

/// A form of the case, with its section opened (the incident's form is never folded).
export async function caseForm(page, id) {
  return shownInItsSection(page, page.locator(`section[data-form="${id}"]`));
}

/// Waits (up to 5 s) until the row shows the status, open or folded; fails the test otherwise.
export async function hasStatus(page, id, status) {
  await page.locator(`li[data-row="${id}"][data-status="${status}"]`).waitFor({ state: 'attached', timeout: 5000 });
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

/// Clicks and saves the download it starts (its name matching `pattern`, if given); returns the
/// file's path.
export async function downloadFrom(page, click, pattern) {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  const name = download.suggestedFilename();
  if (pattern) assert.match(name, pattern);
  const path = join(await mkdtemp(join(tmpdir(), 'stodrutin-file-')), name);
  await download.saveAs(path);
  return path;
}

/// Starts a case from the first screen and waits for it to open.
export async function startCase(page) {
  await page.getByRole('button', { name: 'Nytt ärende' }).click();
  await page.getByRole('button', { name: 'Starta ärendet' }).click();
  await page.getByRole('heading', { level: 1, name: /Händelsen/ }).waitFor();
}

const AXE = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/// axe-core's serious and critical violations on the page (injected through the debugging
/// protocol, so the app's CSP stays as it is), each named with up to three of its nodes.
export async function seriousViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE);
  return page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] }))
    .violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`));
}
