// Safari's engine: evidence. A picture (a PNG chosen through the file picker, as WebDriver
// chooses: the file's path sent to the input) and a pasted message are saved with the SHA-256
// Node computes; after a reload the picture's stored bytes are checked again and it shows, and
// the message is still listed; the unencrypted export is a tar whose evidence file has the
// SHA-256 the app showed. If this WebKit cannot keep files (no IndexedDB), the app must say so
// instead, and the message alone is saved and exported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { deflateSync } from 'node:zlib';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { openApp, startCase, servedBrowser } from './webdriver.mjs';

const MESSAGE = 'Vi vet var du bor. Sluta nu, annars händer något. /hotbrev-webkit-4471';
const FILE_NAME = 'skarmbild-webkit.png';
const NO_FILES = 'Den här webbläsaren kan inte spara filer här (privat läge?). Meddelanden, länkar och vittnen går att spara; behåll originalfilen i telefonen.';

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/// A small valid PNG (RGB, 40 × 32) of seeded noise, with a text chunk naming it: bytes no
/// other file has.
function noisePng(width = 40, height = 32, seed = 0x5afe) {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  let s = seed;
  for (let y = 0; y < height; y += 1) {
    raw[y * (width * 3 + 1)] = 0; // filter: none
    for (let i = 1; i <= width * 3; i += 1) {
      s = (s * 1103515245 + 12345) % 2147483648;
      raw[y * (width * 3 + 1) + i] = (s >> 16) & 255;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB, deflate, no filter set, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('tEXt', Buffer.from('Comment\0stodrutin webkit evidence test', 'latin1')),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/// Opens the case's evidence section (folded by default) by tapping its summary.
async function openEvidence(s) {
  await s.waitFor('details#evidence > summary', { timeout: 30000 });
  if (!(await s.execute('return document.querySelector("details#evidence").open'))) {
    await (await s.find('details#evidence > summary')).click();
  }
  await s.waitUntil(() => document.querySelector('details#evidence').open, { what: 'the evidence section is open' });
  await s.waitFor('input[data-testid=evidence-file]');
}

/// Clicks the form's "Spara"; returns null once the form is gone (saved), or the text of its
/// alert if it says something instead.
async function saveForm(s) {
  await s.clickButton('Spara', { within: '.evidence-form' });
  return s.waitUntil(() => {
    const form = document.querySelector('.evidence-form');
    if (!form) return { saved: true };
    const alert = form.querySelector('[role="alert"]');
    const said = alert ? alert.innerText.trim() : '';
    return said ? { alert: said } : null;
  }, { timeout: 15000, what: 'the form is saved or says why not' }).then((r) => (r.saved ? null : r.alert));
}

/// The saved entries, in order: { id, sha256, check, text }.
const entries = (s) => s.evaluate(() => [...document.querySelectorAll('li.evidence-entry')].map((li) => ({
  id: li.dataset.evidence,
  sha256: li.querySelector('code.sha256').textContent.trim(),
  check: li.querySelector('p.evidence-check')?.dataset.check ?? null,
  text: li.innerText,
})));

/// Waits until the entry's check is done; returns its data-check.
async function checked(s, id) {
  return s.waitUntil((eid) => {
    const c = document.querySelector(`li.evidence-entry[data-evidence="${eid}"] p.evidence-check`);
    return c && c.dataset.check !== 'checking' ? c.dataset.check : null;
  }, { timeout: 15000, what: `entry ${id} is checked` }, id);
}

/// The entry's picture, once loaded: its natural width (0 if it did not decode), or null if none.
const thumbWidth = (s, id) => s.evaluate((eid) => {
  const img = document.querySelector(`li.evidence-entry[data-evidence="${eid}"] img.evidence-thumb`);
  if (!img) return null;
  if (img.complete) return img.naturalWidth;
  return new Promise((done) => {
    img.addEventListener('load', () => done(img.naturalWidth));
    img.addEventListener('error', () => done(0));
  });
}, id);

test('a PNG and a pasted message: SHA-256 as Node computes it, checked and shown after a reload, and in the unencrypted tar', async (t) => {
  const started = Date.now();
  const step = (what) => t.diagnostic(`${((Date.now() - started) / 1000).toFixed(1)} s: ${what}`);
  const dir = await mkdtemp(join(tmpdir(), 'stodrutin-webkit-evidence-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const png = noisePng();
  const pngPath = join(dir, FILE_NAME);
  await writeFile(pngPath, png);
  const pngSha = sha256(png);
  const messageSha = sha256(Buffer.from(MESSAGE, 'utf8'));

  const { served, s } = await servedBrowser(t);
  await openApp(s, served.url, { firstStart: true });
  const caseUrl = await startCase(s);
  const caseId = caseUrl.split('/').pop();
  await openEvidence(s);
  assert.equal((await s.findAll('[data-testid=evidence-unprotected]')).length, 1, 'without a lock the panel says the evidence is not protected');
  step('case open, evidence section open');

  // The picture, through the file picker.
  await (await s.find('input[data-testid=evidence-file]')).sendKeys(pngPath);
  const code = await s.waitFor('.evidence-form code.sha256', { timeout: 15000 });
  assert.equal((await code.text()).trim(), pngSha, 'the form shows the PNG\'s SHA-256');
  const chosen = (await (await s.find('.evidence-form .evidence-chosen')).text()).trim();
  assert.match(chosen, new RegExp(`${FILE_NAME.replace('.', '\\.')}.*image/png`), 'named, with its type');
  const refused = await saveForm(s);
  step(`PNG chosen and saved${refused ? ' (refused)' : ''}`);
  const filesKept = refused === null;
  if (!filesKept) {
    // WebKit without IndexedDB: the app must say so, and keep nothing half-saved.
    assert.equal(refused, NO_FILES, 'the only acceptable refusal: this browser cannot keep files');
    t.diagnostic('!!! WEBKIT: INDEXEDDB UNAVAILABLE: the app refused the file with "Den här webbläsaren kan inte spara filer här"');
    assert.equal((await entries(s)).length, 0, 'nothing listed');
    await s.clickButton('Avbryt', { within: '.evidence-form' });
  }

  // The message, pasted.
  await s.clickButton('Klistra in meddelande');
  const textarea = await s.waitFor('textarea#evidence-text');
  await textarea.sendKeys(MESSAGE);
  assert.equal(await textarea.property('value'), MESSAGE, 'the message as typed');
  assert.equal(await saveForm(s), null, 'the message is saved');
  step('message saved');

  const listed = await entries(s);
  assert.equal(listed.length, filesKept ? 2 : 1);
  const message = listed.find((e) => e.text.includes(MESSAGE));
  assert.ok(message, 'the message is listed');
  assert.equal(message.sha256, messageSha, 'the message\'s SHA-256');
  assert.equal(message.check, null, 'a message has no file to check');
  let picture;
  if (filesKept) {
    picture = listed.find((e) => e.text.includes(FILE_NAME));
    assert.ok(picture, 'the picture is listed');
    assert.equal(picture.sha256, pngSha, 'the listed PNG\'s SHA-256');
    assert.equal(await checked(s, picture.id), 'verified', 'checked before the reload');
  }

  // After a reload: the picture's stored bytes checked again, and shown.
  await s.refresh();
  await s.waitFor('h1', { text: /Händelsen/, timeout: 30000 });
  assert.equal(await s.url(), caseUrl);
  await openEvidence(s);
  await s.waitFor('li.evidence-entry blockquote.evidence-message', { text: MESSAGE });
  const again = await entries(s);
  assert.deepEqual(again.map((e) => [e.id, e.sha256]), listed.map((e) => [e.id, e.sha256]), 'the same items, the same SHA-256');
  if (filesKept) {
    assert.equal(await checked(s, picture.id), 'verified', 'the stored PNG is unchanged');
    const width = await thumbWidth(s, picture.id);
    assert.equal(width, 40, 'the picture shows, decoded at its own width');
  }
  step('reloaded: checked and shown');

  // The unencrypted export: a tar with the case and the picture.
  await s.clickButton('Exportera okrypterat …');
  await s.clickButton('Jag förstår – exportera okrypterat');
  await s.waitFor('*', { text: /^Ärendet är exporterat/ });
  const extension = filesKept ? 'tar' : 'json';
  const [saved] = await s.downloaded({ pattern: new RegExp(`\\.${extension}$`), timeout: 15000 });
  assert.match(basename(saved), new RegExp(`^stodrutin-arende-${caseId.slice(0, 8)}-\\d{4}-\\d{2}-\\d{2}\\.${extension}$`));
  assert.equal((await s.findAll('[data-testid=export-left-out]')).length, 0, 'nothing left out');
  step(`exported: ${basename(saved)}`);
  if (!filesKept) {
    assert.ok((await readFile(saved, 'utf8')).includes(MESSAGE), 'the file holds the message');
    return;
  }
  const list = spawnSync('tar', ['-tf', saved], { encoding: 'utf8' });
  assert.equal(list.status, 0, list.stderr);
  const names = list.stdout.trim().split('\n');
  const archived = `evidence/${picture.id}.png`;
  assert.ok(names.includes('case.json'), `case.json in ${names}`);
  assert.ok(names.includes(archived), `${archived} in ${names}`);
  assert.equal(names.filter((n) => n.startsWith('evidence/')).length, 1, 'one file in evidence/ (the message is in case.json)');
  const out = spawnSync('tar', ['-xOf', saved, archived]);
  assert.equal(out.status, 0, String(out.stderr));
  assert.equal(sha256(out.stdout), pngSha, 'the exported picture has the SHA-256 the app showed');
  assert.ok(out.stdout.equals(png), 'byte for byte the file chosen');
  const caseJson = spawnSync('tar', ['-xOf', saved, 'case.json'], { encoding: 'utf8' });
  assert.equal(caseJson.status, 0, caseJson.stderr);
  assert.equal(JSON.parse(caseJson.stdout).format, 'stodrutin-case');
  assert.ok(caseJson.stdout.includes(MESSAGE), 'case.json holds the message');
  step('tar checked');
});
