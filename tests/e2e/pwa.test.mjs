// Installable, offline-first and closed to the outside: the manifest and icons, the service
// worker's offline use and updates, and the Content-Security-Policy.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createServer } from 'node:http';
import {
  DIST, serveDist, launchProfile, openApp, row, hasStatus, watchForeignRequests, originOf,
  waitForServiceWorker, startCase,
} from './harness.mjs';

const run = promisify(execFile);

function pngSize(bytes) {
  assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG', 'a PNG file');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

test('the manifest meets installability: names, scope, standalone, colours, icons', async () => {
  const served = await serveDist();
  try {
    const response = await fetch(new URL('manifest.webmanifest', served.url));
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type'), /manifest\+json/);
    const manifest = await response.json();
    assert.equal(manifest.short_name, 'Stödrutin');
    assert.match(manifest.name, /^Stödrutin/);
    assert.equal(manifest.lang, 'sv');
    assert.equal(manifest.display, 'standalone');
    assert.equal(manifest.start_url, '/');
    assert.equal(manifest.scope, '/');
    assert.match(manifest.theme_color, /^#[0-9a-f]{6}$/i);
    assert.match(manifest.background_color, /^#[0-9a-f]{6}$/i);
    const want = [['192x192', 'any'], ['512x512', 'any'], ['512x512', 'maskable']];
    for (const [sizes, purpose] of want) {
      const icon = manifest.icons.find((i) => i.sizes === sizes && i.purpose === purpose);
      assert.ok(icon, `icon ${sizes} ${purpose}`);
      const bytes = Buffer.from(await (await fetch(new URL(icon.src, served.url))).arrayBuffer());
      const [w, h] = sizes.split('x').map(Number);
      assert.deepEqual(pngSize(bytes), { width: w, height: h });
    }
    const index = await (await fetch(served.url)).text();
    assert.match(index, /<link rel="manifest" href="\/manifest.webmanifest"/);
    assert.match(index, /<link rel="apple-touch-icon" href="\/icons\/apple-touch-icon.png"/);
    assert.match(index, /<meta name="apple-mobile-web-app-capable" content="yes"/);
    assert.match(index, /<meta name="theme-color"/);
    const touch = Buffer.from(await (await fetch(new URL('icons/apple-touch-icon.png', served.url))).arrayBuffer());
    assert.deepEqual(pngSize(touch), { width: 180, height: 180 });

    // Chromium's own verdict: no installability errors.
    const browser = await launchProfile();
    try {
      const page = await browser.context.newPage();
      await openApp(page, served.url);
      await waitForServiceWorker(page);
      const cdp = await browser.context.newCDPSession(page);
      const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
      assert.deepEqual(installabilityErrors, []);
    } finally {
      await browser.close();
    }
  } finally {
    await served.close();
  }
});

test('offline: after the first visit the app opens, records and keeps cases with no network', async () => {
  const served = await serveDist();
  const browser = await launchProfile();
  const foreign = watchForeignRequests(browser.context, originOf(served.url));
  try {
    const page = await browser.context.newPage();
    await openApp(page, served.url);
    await waitForServiceWorker(page);

    await served.close();
    await browser.context.setOffline(true);

    await page.reload();
    await page.getByRole('button', { name: 'Nytt ärende' }).waitFor();
    await startCase(page);
    await (await row(page, '3.1.1-a')).getByRole('button', { name: 'Klar' }).click();
    await hasStatus(page, '3.1.1-a', 'done');
    await (await row(page, '3.2.1-a')).getByRole('button', { name: 'Klar' }).click();
    await hasStatus(page, '3.2.1-a', 'done');

    await page.reload();
    await hasStatus(page, '3.1.1-a', 'done');
    await hasStatus(page, '3.2.1-a', 'done');
    assert.match(await page.locator('.progress').innerText(), /17 av 19/);
    assert.deepEqual(foreign, []);
  } finally {
    await browser.close();
  }
});

test('update: a new version is offered, never forced, and keeps every case', async () => {
  const site = await mkdtemp(join(tmpdir(), 'stodrutin-site-'));
  await cp(DIST, site, { recursive: true });
  const stamp = (id) => run('node', ['tools/postbuild.mjs', site], { env: { ...process.env, STODRUTIN_BUILD_ID: id } });
  await stamp('version-a');
  const served = await serveDist(site);
  const browser = await launchProfile();
  try {
    const page = await browser.context.newPage();
    await openApp(page, served.url);
    await waitForServiceWorker(page);
    assert.equal(await page.locator('.build').innerText(), 'version-a');
    await startCase(page);
    await (await row(page, '3.1.3-a')).getByRole('button', { name: 'Klar' }).click();
    await hasStatus(page, '3.1.3-a', 'done');

    // The second version is published while the user is recording.
    await stamp('version-b');
    await page.evaluate(() => { window.stillTheSamePage = true; });
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
    const offer = page.getByRole('button', { name: 'Ny version finns – ladda om' });
    await offer.waitFor({ timeout: 30000 });
    // Offered, not forced: the page has not reloaded, and recording goes on.
    await (await row(page, '3.1.3-b')).getByRole('button', { name: 'Klar' }).click();
    await hasStatus(page, '3.1.3-b', 'done');
    await page.waitForTimeout(500);
    assert.equal(await page.evaluate(() => window.stillTheSamePage), true);

    // Words typed in an open note would go with a reload: the offer says so and waits.
    const noted = await row(page, '3.1.3-a');
    await noted.getByRole('button', { name: 'Anteckning' }).click();
    await noted.getByLabel('Anteckning').fill('Ringde polisen 14.05');
    await offer.click();
    await page.locator('[role="alert"]').filter({ hasText: 'försvinner om appen laddas om' }).waitFor();
    await page.waitForTimeout(500);
    assert.equal(await page.evaluate(() => window.stillTheSamePage), true, 'not reloaded');
    await noted.getByRole('button', { name: 'Spara anteckningen' }).click();
    await noted.locator('.note-text').filter({ hasText: 'Ringde polisen' }).waitFor();

    await Promise.all([page.waitForEvent('load'), offer.click()]);
    await page.locator('.build').waitFor();
    assert.equal(await page.locator('.build').innerText(), 'version-b');
    await hasStatus(page, '3.1.3-a', 'done');
    await hasStatus(page, '3.1.3-b', 'done');
    await (await row(page, '3.1.3-a')).locator('.note-text').filter({ hasText: 'Ringde polisen' }).waitFor();
    const caches = await page.evaluate(() => caches.keys());
    assert.deepEqual(caches, ['stodrutin-version-b'], 'the old version\'s cache is removed');
  } finally {
    await browser.close();
    await served.close();
    await rm(site, { recursive: true, force: true });
  }
});

test('the Content-Security-Policy blocks scripts from other origins and injected inline code', async () => {
  const index = await readFile(join(DIST, 'index.html'), 'utf8');
  const policy = index.match(/<meta http-equiv="Content-Security-Policy" content="([^"]+)"/)?.[1];
  assert.ok(policy, 'a CSP meta tag');
  assert.match(policy, /default-src 'none'/);
  assert.match(policy, /script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/=]+'$|script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/=]+';/);
  assert.doesNotMatch(policy, /unsafe-inline|https?:|\*/);

  // Another origin on loopback, serving a script that would announce itself.
  const evil = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/javascript' }).end('window.evilRan = true;');
  });
  await new Promise((done) => evil.listen(0, '127.0.0.1', done));
  const evilUrl = `http://127.0.0.1:${evil.address().port}/evil.js`;
  const served = await serveDist();
  const browser = await launchProfile();
  try {
    const page = await browser.context.newPage();
    const violations = [];
    await page.exposeFunction('reportViolation', (v) => violations.push(v));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => window.reportViolation(`${e.violatedDirective} ${e.blockedURI}`));
    });
    await openApp(page, served.url);
    assert.deepEqual(violations, [], 'the app itself breaks no rule of its policy');
    await page.evaluate((src) => {
      const external = document.createElement('script');
      external.src = src;
      document.head.append(external);
      const inline = document.createElement('script');
      inline.textContent = 'window.inlineRan = true;';
      document.head.append(inline);
    }, evilUrl);
    await page.waitForTimeout(500);
    assert.equal(await page.evaluate(() => window.evilRan), undefined);
    assert.equal(await page.evaluate(() => window.inlineRan), undefined);
    assert.ok(violations.some((v) => v.includes(evilUrl)), `violations: ${violations}`);
    assert.ok(violations.some((v) => v.startsWith('script-src') && v.includes('inline')), `violations: ${violations}`);
  } finally {
    await browser.close();
    await served.close();
    evil.close();
  }
});
