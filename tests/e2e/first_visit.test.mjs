// The first visit: a first screen in the page's own HTML that calls 112 and 114 14 before the wasm
// (and with JavaScript off, or when the wasm cannot load), replaced by the app when it mounts; the
// precompressed files that tools/serve.mjs sends; the wasm fetched once on a first visit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import {
  DIST, CHROMIUM_ARGS, serveDist, launchProfile, openApp, startCase, waitForServiceWorker,
  watchForeignRequests, originOf,
} from './harness.mjs';

const require = createRequire(import.meta.url);
const AXE = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
// Lines only the static first screen has (the app's home screen shows the purpose line too).
const SHELL_ONLY = ['Ringknapparna fungerar även när appen inte har öppnats', 'behöver JavaScript'];

let served;
before(async () => {
  served = await serveDist();
});
after(async () => {
  await served?.close();
});

/// The two calls of the first screen: their targets, names, sizes and that they fit the screen.
async function checkCalls(page, width) {
  const emergency = page.locator('.shell a[href="tel:112"]');
  const police = page.locator('.shell a[href="tel:11414"]');
  assert.equal(await emergency.count(), 1, 'one link to 112');
  assert.equal(await police.count(), 1, 'one link to 114 14');
  assert.match(await emergency.innerText(), /^Ring nödnumret\s+112$/);
  assert.match(await police.innerText(), /^Ring polisen\s+114 14$/);
  for (const link of [emergency, police]) {
    assert.ok(await link.isVisible(), 'the call is visible');
    const box = await link.boundingBox();
    assert.ok(box.height >= 44 && box.width >= 44, `a touch target of ${box.width}×${box.height} px`);
    assert.ok(box.x >= 0 && box.x + box.width <= width, `within the ${width} px screen`);
  }
}

test('with JavaScript off, the page itself names the app and calls 112 and 114 14', async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  try {
    for (const colorScheme of ['light', 'dark']) {
      const context = await browser.newContext({
        javaScriptEnabled: false, viewport: { width: 320, height: 640 }, colorScheme, locale: 'sv-SE',
      });
      const page = await context.newPage();
      await page.goto(served.url);
      assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Stödrutin');
      assert.ok(await page.getByText('Rutin vid hot, våld och trakasserier mot förtroendevalda').isVisible());
      // (Playwright's text matching skips <noscript>: the rendered text is read instead.)
      assert.match(await page.evaluate(() => document.body.innerText), /Stödrutin behöver JavaScript för att föra ärenden\. Ringknapparna fungerar ändå\./);
      assert.ok(await page.locator('noscript p').first().isVisible(), 'the noscript lines are shown');
      await checkCalls(page, 320);
      // The links work as links: tel: targets, nothing in the way of a tap.
      const hrefs = await page.locator('a[href^="tel:"]').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
      assert.deepEqual(hrefs, ['tel:112', 'tel:11414']);
      await context.close();
    }
  } finally {
    await browser.close();
  }
});

test('when the wasm cannot load, the first screen stays: readable at 320 px, light and dark, no axe violation', async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  try {
    for (const colorScheme of ['light', 'dark']) {
      const context = await browser.newContext({ viewport: { width: 320, height: 640 }, colorScheme, locale: 'sv-SE' });
      await context.route('**/*.wasm', (route) => route.abort());
      const page = await context.newPage();
      await page.goto(served.url);
      await page.waitForTimeout(500);
      assert.ok(await page.locator('#shell').isVisible(), 'the first screen is still there');
      await checkCalls(page, 320);
      const scroll = await page.evaluate(() => document.scrollingElement.scrollWidth);
      assert.ok(scroll <= 320, `${scroll} px wide on a 320 px screen`);
      const colours = await page.evaluate(() => {
        const style = getComputedStyle(document.querySelector('.shell-emergency'));
        return { page: getComputedStyle(document.body).backgroundColor, emergency: style.backgroundColor, text: style.color };
      });
      if (colorScheme === 'dark') assert.equal(colours.page, 'rgb(18, 20, 23)', 'the dark background');
      else assert.equal(colours.page, 'rgb(255, 255, 255)', 'the light background');
      await page.evaluate(AXE);
      const violations = await page.evaluate(async () => {
        const result = await window.axe.run(document, { resultTypes: ['violations'] });
        return result.violations.map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
      });
      assert.deepEqual(violations, [], `axe on the first screen, ${colorScheme}`);
      await context.close();
    }
  } finally {
    await browser.close();
  }
});

test('with JavaScript on, the app replaces the first screen: no shell text remains, on the first visit and after', async () => {
  const browser = await launchProfile({ viewport: { width: 320, height: 640 } });
  const foreign = watchForeignRequests(browser.context, originOf(served.url));
  try {
    const page = await browser.context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const gone = async (when) => {
      assert.equal(await page.locator('#shell').count(), 0, `${when}: the first screen is removed`);
      const text = await page.evaluate(() => document.body.innerText);
      for (const line of SHELL_ONLY) assert.ok(!text.includes(line), `${when}: "${line}" is gone`);
      assert.equal(await page.locator('main').count(), 1, `${when}: one <main>, the app's`);
      assert.equal(await page.getByRole('heading', { level: 1 }).count(), 1, `${when}: one level-1 heading`);
    };
    await openApp(page, served.url);
    await gone('first visit');
    // The home screen has no calls; a case has the app's own, one of each.
    assert.equal(await page.locator('a[href^="tel:"]').count(), 0);
    await waitForServiceWorker(page);
    await startCase(page);
    assert.equal(await page.locator('a[href="tel:112"]').count(), 1);
    assert.equal(await page.locator('a[href="tel:11414"]').count(), 1);
    assert.equal(await page.locator('.shell').count(), 0);

    await page.goto(served.url);
    await page.getByRole('button', { name: 'Nytt ärende' }).waitFor();
    await gone('from the service worker');
    assert.deepEqual(errors, []);
    assert.deepEqual(foreign, []);
  } finally {
    await browser.close();
  }
});

test('a first visit fetches the wasm once: the service worker caches what the page fetched', async () => {
  const own = await serveDist();
  const sent = [];
  own.server.on('request', (req, res) => {
    res.on('finish', () => sent.push({ path: req.url, status: res.statusCode, encoding: res.getHeader('content-encoding') }));
  });
  const browser = await launchProfile();
  try {
    const page = await browser.context.newPage();
    await openApp(page, own.url);
    await waitForServiceWorker(page);
    await page.waitForTimeout(500);
    const wasm = sent.filter((r) => r.path.endsWith('.wasm'));
    assert.equal(wasm.filter((r) => r.status === 200).length, 1, `the wasm was sent in full once: ${JSON.stringify(wasm)}`);
    assert.equal(wasm[0].encoding, 'br', 'and brotli-compressed');
    const cached = await page.evaluate(async () => {
      const keys = await (await caches.open((await caches.keys())[0])).keys();
      return keys.map((r) => new URL(r.url).pathname);
    });
    assert.ok(cached.some((p) => p.endsWith('.wasm')), 'the wasm is in the service worker cache');
    assert.ok(!cached.some((p) => /\.(br|gz)$/.test(p)), 'no precompressed copy is precached');
  } finally {
    await browser.close();
    await own.close();
  }
});

/// One raw HTTP GET (no decoding), with the given request headers.
function get(url, headers = {}) {
  return new Promise((done, fail) => {
    request(url, { headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => done({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', fail).end();
  });
}

test('tools/serve.mjs sends the precompressed copies the request accepts, with the original type', async () => {
  const names = await readdir(DIST);
  const wasmName = names.find((n) => n.endsWith('.wasm'));
  const wasm = await readFile(join(DIST, wasmName));
  const url = new URL(wasmName, served.url);

  const br = await get(url, { 'accept-encoding': 'gzip, deflate, br' });
  assert.equal(br.status, 200);
  assert.equal(br.headers['content-encoding'], 'br');
  assert.equal(br.headers['content-type'], 'application/wasm');
  assert.match(br.headers.vary, /accept-encoding/i);
  assert.ok(br.body.length < wasm.length / 2, 'compressed');
  assert.ok(brotliDecompressSync(br.body).equals(wasm), 'the brotli body is the wasm');

  const gz = await get(url, { 'accept-encoding': 'gzip, br;q=0' });
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.ok(gunzipSync(gz.body).equals(wasm), 'the gzip body is the wasm');

  const identity = await get(url);
  assert.equal(identity.headers['content-encoding'], undefined);
  assert.equal(identity.headers['content-type'], 'application/wasm');
  assert.match(identity.headers.vary, /accept-encoding/i);
  assert.ok(identity.body.equals(wasm), 'without Accept-Encoding, the file as it is');
  assert.equal((await get(url, { 'accept-encoding': 'identity' })).headers['content-encoding'], undefined);

  // Hashed names may be kept; index.html is asked for again, and answered 304 while unchanged.
  assert.match(br.headers['cache-control'], /immutable/);
  const index = await get(served.url, { 'accept-encoding': 'br' });
  assert.equal(index.headers['content-encoding'], 'br');
  assert.equal(index.headers['content-type'], 'text/html; charset=utf-8');
  assert.equal(index.headers['cache-control'], 'no-cache');
  const again = await get(served.url, { 'accept-encoding': 'br', 'if-none-match': index.headers.etag });
  assert.equal(again.status, 304);
  assert.equal(again.body.length, 0);
  // A route of the app (no file) is the app shell, compressed too.
  const route = await get(new URL('some/route', served.url), { 'accept-encoding': 'gzip' });
  assert.equal(route.headers['content-encoding'], 'gzip');
  assert.ok(gunzipSync(route.body).equals(await readFile(join(DIST, 'index.html'))));
});

test('make dist writes a .br and a .gz beside every text and wasm file, and the service worker precaches none', async () => {
  const files = (await readdir(DIST, { recursive: true })).map((f) => f.split('\\').join('/'));
  const originals = files.filter((f) => /\.(html|js|css|wasm|webmanifest|svg)$/.test(f));
  assert.ok(originals.length >= 6, `text and wasm files: ${originals}`);
  for (const file of originals) {
    const bytes = await readFile(join(DIST, file));
    assert.ok(brotliDecompressSync(await readFile(join(DIST, `${file}.br`))).equals(bytes), `${file}.br is ${file}`);
    assert.ok(gunzipSync(await readFile(join(DIST, `${file}.gz`))).equals(bytes), `${file}.gz is ${file}`);
  }
  const sw = await readFile(join(DIST, 'sw.js'), 'utf8');
  const precache = JSON.parse(sw.match(/const PRECACHE = (\[.*\]);/)[1]);
  assert.ok(precache.includes('./index.html') && precache.some((p) => p.endsWith('.wasm')), `precache: ${precache}`);
  assert.deepEqual(precache.filter((p) => /\.(br|gz)$/.test(p)), []);
  assert.ok(!files.some((f) => /\.(br|gz)\.(br|gz)$/.test(f)), 'no copy of a copy');
});
