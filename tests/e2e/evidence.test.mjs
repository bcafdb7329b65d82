// Evidence and witnesses: pictures, a pasted message, a link and a witness are saved, kept
// across a reload with their SHA-256 checked again, never stored readable, carried to the
// officer in a sealed file the age tool opens, refused when a file in a case file was changed,
// and kept on screen (not recorded) when storage refuses them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, writeFile, mkdtemp, mkdir, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { serveDist, launchProfile, openApp, startCase, watchForeignRequests, originOf, seriousViolations, downloadFrom } from './harness.mjs';

let served;
let support;
let officer;
let foreign;
let dir;
/// The support person's case with its evidence, made by the first test and used by the others.
let caseUrl;
let page;
const fixtures = {};
/// Item id → SHA-256 as the app showed it.
const shown = new Map();

const MESSAGE = 'Vi vet var du bor. Sluta nu, annars händer något. /hotbrev-7731';
const LINK = 'https://example.org/inlagg/8812345-hotfullt';
const HANDLE = '@anonym_hotare_77';
const WITNESS = 'Kim Vittnesson';

before(async () => {
  served = await serveDist();
  support = await launchProfile();
  officer = await launchProfile();
  foreign = [support, officer].map((p) => watchForeignRequests(p.context, originOf(served.url)));
  dir = await mkdtemp(join(tmpdir(), 'stodrutin-evidence-'));
  // Two small real pictures, made by the browser's own encoders (noise, so every 32-byte slice
  // of them is distinctive).
  const blank = await support.context.newPage();
  for (const [name, type] of [['hotbild.jpg', 'image/jpeg'], ['skarmbild.png', 'image/png']]) {
    const b64 = await blank.evaluate(async (mime) => {
      const canvas = document.createElement('canvas');
      canvas.width = 48;
      canvas.height = 40;
      const ctx = canvas.getContext('2d');
      const image = ctx.createImageData(48, 40);
      let seed = mime.length * 7919;
      for (let i = 0; i < image.data.length; i += 1) {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        image.data[i] = i % 4 === 3 ? 255 : seed >> 16 & 255;
      }
      ctx.putImageData(image, 0, 0);
      const blob = await new Promise((done) => canvas.toBlob(done, mime, 0.92));
      const bytes = new Uint8Array(await blob.arrayBuffer());
      let s = '';
      for (const b of bytes) s += String.fromCharCode(b);
      return btoa(s);
    }, type);
    const bytes = Buffer.from(b64, 'base64');
    const path = join(dir, name);
    await writeFile(path, bytes);
    fixtures[name] = { path, bytes, sha256: sha256(bytes), type };
  }
  await blank.close();
});
after(async () => {
  await support?.close();
  await officer?.close();
  await served?.close();
});

function sha256(bytes) {
  return createHash('sha256').update(bytes).digest('hex');
}

/// Opens the case's evidence section (folded by default) as a user does: by tapping it.
async function openEvidence(p) {
  const section = p.locator('details#evidence');
  await section.waitFor({ state: 'attached' });
  if (!(await section.evaluate((d) => d.open))) await section.locator(':scope > summary').click();
  await p.locator('[data-testid=evidence-file]').waitFor({ state: 'attached' });
  return section;
}

/// Chooses a file in one of the two file inputs; returns the SHA-256 the form shows.
async function chooseFile(p, testid, path) {
  await p.locator(`input[data-testid=${testid}]`).setInputFiles(path);
  const code = p.locator('.evidence-form code.sha256');
  await code.waitFor({ timeout: 10000 });
  return (await code.innerText()).trim();
}

async function describe(p, { channel, platform, sender, kept, note }) {
  if (channel !== undefined) await p.locator('#evidence-channel').selectOption(channel);
  if (platform) await p.locator('#evidence-platform').fill(platform);
  if (sender) await p.locator('#evidence-sender').fill(sender);
  if (kept) await p.locator('#evidence-kept').fill(kept);
  if (note) await p.locator('#evidence-note').fill(note);
}

async function saveForm(p) {
  await p.locator('.evidence-form').getByRole('button', { name: 'Spara', exact: true }).click();
  await p.locator('.evidence-form').waitFor({ state: 'detached', timeout: 10000 });
}

/// The saved entries: id → SHA-256 shown.
async function listed(p) {
  return new Map(await p.locator('li.evidence-entry').evaluateAll((items) => items.map((li) => [
    li.dataset.evidence,
    li.querySelector('code.sha256').textContent.trim(),
  ])));
}

/// Waits until every file entry is checked; fails unless each is `verified` and each picture
/// shows (decoded: naturalWidth > 0).
async function allVerified(p, count) {
  const checks = p.locator('li.evidence-entry p.evidence-check');
  await p.waitForFunction(
    (n) => {
      const all = [...document.querySelectorAll('li.evidence-entry p.evidence-check')];
      return all.length === n && all.every((c) => c.dataset.check !== 'checking');
    },
    count,
    { timeout: 10000 },
  );
  assert.deepEqual(await checks.evaluateAll((all) => all.map((c) => c.dataset.check)), Array(count).fill('verified'));
  const widths = await p.locator('li.evidence-entry img.evidence-thumb').evaluateAll((imgs) => Promise.all(imgs.map((img) => (
    img.complete ? img.naturalWidth : new Promise((done) => {
      img.onload = () => done(img.naturalWidth);
      img.onerror = () => done(0);
    })
  ))));
  assert.equal(widths.length, count, 'every picture is shown');
  for (const w of widths) assert.ok(w > 0, 'the picture is decoded');
}

/// Every record of the item store, as [key, bytes (base64)]; nothing when it does not exist
/// (and this look creates nothing).
async function itemStore(p) {
  return p.evaluate(async () => {
    const names = (await indexedDB.databases()).map((d) => d.name);
    if (!names.includes('stodrutin-items')) return [];
    return new Promise((resolve, reject) => {
      const open = indexedDB.open('stodrutin-items');
      open.onupgradeneeded = () => open.transaction.abort();
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const db = open.result;
        if (!db.objectStoreNames.contains('items')) {
          db.close();
          resolve([]);
          return;
        }
        const tx = db.transaction('items');
        const store = tx.objectStore('items');
        const keys = store.getAllKeys();
        const values = store.getAll();
        tx.oncomplete = () => {
          db.close();
          resolve(keys.result.map((key, i) => {
            const v = values.result[i];
            const bytes = v instanceof Uint8Array ? v : ArrayBuffer.isView(v) ? new Uint8Array(v.buffer) : new Uint8Array(v);
            let s = '';
            for (const b of bytes) s += String.fromCharCode(b);
            return [String(key), btoa(s)];
          }));
        };
        tx.onerror = () => reject(tx.error);
      };
    });
  });
}

const localValues = (p) => p.evaluate(() => Object.fromEntries(Object.entries(localStorage)));

/// A secret's forms: as it is (UTF-8 bytes), hex, and base64 at each of the three alignments.
function forms(secret) {
  const bytes = Buffer.isBuffer(secret) ? secret : Buffer.from(secret, 'utf8');
  const out = [bytes, Buffer.from(bytes.toString('hex')), Buffer.from(bytes.toString('hex').toUpperCase())];
  for (let skip = 0; skip < 3; skip += 1) {
    const b64 = Buffer.concat([Buffer.alloc(skip), bytes]).toString('base64');
    out.push(Buffer.from(b64.slice(Math.ceil((skip * 4) / 3) + 1, -3)));
  }
  return out.filter((f) => f.length >= 6);
}

/// Fails if any localStorage value or item store record holds any secret in any form.
async function assertNothingReadable(p, secrets) {
  const values = Object.entries(await localValues(p)).map(([k, v]) => [`localStorage ${k}`, Buffer.from(v, 'utf8')]);
  const stored = await itemStore(p);
  const records = stored.map(([k, v]) => [`IndexedDB ${k}`, Buffer.from(v, 'base64')]);
  assert.ok(records.length > 0, 'the item store holds the files');
  for (const [where, value] of [...values, ...records]) {
    for (const [name, secret] of Object.entries(secrets)) {
      for (const form of forms(secret)) {
        assert.equal(value.indexOf(form), -1, `${where} holds ${name} (as ${form.toString('latin1').slice(0, 40)})`);
      }
    }
  }
  return stored;
}

/// 32 bytes from the middle of a file: in its compressed picture data.
const slice = (bytes) => bytes.subarray(Math.floor(bytes.length / 2), Math.floor(bytes.length / 2) + 32);

/// Attaches the two pictures, a message, a link and a witness to a new case.
test('pictures, a message, a link and a witness are saved with their SHA-256 and kept across a reload', async () => {
  page = await support.context.newPage();
  await openApp(page, served.url);
  await startCase(page);
  caseUrl = page.url();
  const section = await openEvidence(page);
  assert.ok(await page.getByTestId('evidence-unprotected').isVisible(), 'without a lock the panel says the evidence is not protected');

  const jpg = fixtures['hotbild.jpg'];
  assert.equal(await chooseFile(page, 'evidence-photo', jpg.path), jpg.sha256, 'the JPEG\'s SHA-256');
  assert.match(await page.locator('.evidence-chosen').innerText(), /hotbild\.jpg.*image\/jpeg/);
  await describe(page, { channel: 'sms', sender: '0701234567', kept: 'Den utsattes telefon', note: 'Skickad kl. 22' });
  await saveForm(page);
  await page.locator('li.evidence-entry').first().waitFor();

  const png = fixtures['skarmbild.png'];
  assert.equal(await chooseFile(page, 'evidence-file', png.path), png.sha256, 'the PNG\'s SHA-256');
  await describe(page, { channel: 'social_media', platform: 'Instagram', sender: HANDLE });
  await saveForm(page);
  await page.locator('li.evidence-entry').nth(1).waitFor();

  await page.getByRole('button', { name: 'Klistra in meddelande' }).click();
  await page.locator('textarea#evidence-text').fill(MESSAGE);
  await describe(page, { channel: 'sms', sender: '0701234567' });
  await saveForm(page);
  await page.locator('li.evidence-entry').nth(2).waitFor();

  await page.getByRole('button', { name: 'Lägg till länk' }).click();
  await page.locator('input#evidence-text').fill(LINK);
  await describe(page, { channel: 'social_media', platform: 'X', sender: HANDLE });
  await saveForm(page);
  await page.locator('li.evidence-entry').nth(3).waitFor();

  // The witnesses are the pack's list form, in the panel.
  assert.equal(await page.getByRole('button', { name: 'Lägg till vittne' }).count(), 0, 'no form of the panel\'s own');
  const witnesses = section.locator('section.details[data-form="witnesses"]');
  await witnesses.getByRole('button', { name: /^Lägg till\s*:\s*Vittnen$/ }).click();
  await witnesses.getByLabel('Vittnets namn').fill(WITNESS);
  await witnesses.getByLabel('Vittnets telefon').fill('0709876543');
  await witnesses.getByLabel('Vad såg eller hörde vittnet?').fill('Såg när lappen sattes upp på dörren');
  // A name and number are kept only with the witness's consent.
  await witnesses.getByRole('button', { name: 'Spara', exact: true }).click();
  await witnesses.getByRole('alert').filter({ hasText: 'Uppgifterna om personen sparas bara med samtycke.' }).waitFor();
  assert.equal(await witnesses.locator('li.entry').count(), 0, 'nothing saved without the consent');
  await witnesses.getByLabel('Vittnet samtycker till att namn och telefon sparas i ärendet').check();
  await witnesses.getByRole('button', { name: 'Spara', exact: true }).click();
  await witnesses.locator('li.entry').filter({ hasText: WITNESS }).waitFor();

  const entry = (text) => section.locator('li.evidence-entry').filter({ hasText: text });
  const ids = {};
  for (const [name, text, digest] of [
    ['jpg', 'hotbild.jpg', jpg.sha256],
    ['png', 'skarmbild.png', png.sha256],
    ['message', MESSAGE, sha256(Buffer.from(MESSAGE))],
    ['link', LINK, sha256(Buffer.from(LINK))],
  ]) {
    const li = entry(text);
    assert.equal(await li.count(), 1, `${name} listed once`);
    assert.equal((await li.locator('code.sha256').innerText()).trim(), digest, `${name}'s SHA-256`);
    ids[name] = await li.getAttribute('data-evidence');
    shown.set(ids[name], digest);
  }
  assert.match(await entry(LINK).innerText(), new RegExp(HANDLE));
  assert.match(await entry(MESSAGE).innerText(), /0701234567/);
  await allVerified(page, 2);
  // The saved original comes back byte for byte.
  const copy = await downloadFrom(page, () => entry('hotbild.jpg').getByRole('button', { name: 'Spara en kopia av originalet' }).click(), /^hotbild\.jpg$/);
  assert.equal(sha256(await readFile(copy)), jpg.sha256, 'the copy of the original is the file chosen');
  assert.deepEqual(await seriousViolations(page), [], 'axe on the evidence list');
  await page.getByRole('button', { name: 'Klistra in meddelande' }).click();
  assert.deepEqual(await seriousViolations(page), [], 'axe on the message form');
  await page.locator('.evidence-form').getByRole('button', { name: 'Avbryt' }).click();
  const before = await listed(page);

  await page.reload();
  await openEvidence(page);
  await page.locator('li.evidence-entry').nth(3).waitFor();
  assert.deepEqual(await listed(page), before, 'every item is still listed with the same SHA-256');
  await allVerified(page, 2);
  assert.equal(await page.locator('li.evidence-entry').count(), 4);
  const witnessEntry = page.locator('section.details[data-form="witnesses"] li.entry').filter({ hasText: WITNESS });
  await witnessEntry.waitFor();
  assert.match(await witnessEntry.innerText(), /0709876543/);
  assert.match(await page.locator('#evidence summary .section-count').innerText(), /^5$/);
});

test('the printed report lists every item with its SHA-256 and the pictures small; the police sheet gathers the words, the senders and the witness', async () => {
  // A hostile note on a row: printed as the characters it is, never as markup.
  const HOSTILE = '<img src=x onerror="window.__pwned=1">Anteckning';
  await page.goto(caseUrl);
  const noted = page.locator('li[data-row="3.1.1-a"]');
  await noted.waitFor({ state: 'attached' });
  const fold = page.locator('details.routine-section').filter({ has: noted });
  if (!(await fold.evaluate((d) => d.open))) await fold.locator(':scope > summary').click();
  await noted.getByRole('button', { name: 'Anteckning' }).click();
  await noted.getByLabel('Anteckning').fill(HOSTILE);
  await noted.getByRole('button', { name: 'Spara anteckningen' }).click();
  await noted.locator('.note-text').filter({ hasText: 'onerror' }).waitFor();

  await page.goto(`${caseUrl}/report`);
  const report = page.locator('article.report');
  await report.locator('li.evidence-print').nth(3).waitFor();
  const printed = new Map(await report.locator('li.evidence-print').evaluateAll((items) => items.map((li) => [
    li.dataset.evidence,
    li.querySelector('code.sha256').textContent.trim(),
  ])));
  assert.deepEqual(printed, shown, 'every item printed once, each with the SHA-256 shown in the case');
  assert.equal(await report.locator('blockquote.evidence-words').innerText(), MESSAGE, 'the message\'s words');
  // The two pictures, small, decoded from the stored bytes.
  await page.waitForFunction(() => document.querySelectorAll('.evidence-print-thumb img').length === 2, null, { timeout: 10000 });
  const widths = await report.locator('.evidence-print-thumb img').evaluateAll((imgs) => Promise.all(imgs.map((img) => (
    img.complete ? img.naturalWidth : new Promise((done) => {
      img.onload = () => done(img.naturalWidth);
      img.onerror = () => done(0);
    })
  ))));
  assert.ok(widths.every((w) => w > 0), `the pictures are decoded: ${widths}`);
  assert.ok((await report.locator('.evidence-print-thumb img').first().getAttribute('src')).startsWith('blob:'));
  const witness = report.locator('li.witness-print');
  assert.match(await witness.innerText(), new RegExp(`${WITNESS}[\\s\\S]*0709876543[\\s\\S]*lappen`));
  assert.equal(await witness.locator('a.tel-link').getAttribute('href'), 'tel:0709876543');
  assert.ok((await report.innerText()).includes(HOSTILE), 'the hostile note is printed as text');
  assert.equal(await page.evaluate(() => window.__pwned), undefined, 'and nothing of it ran');
  assert.equal(await report.locator('img[src="x"]').count(), 0);
  assert.deepEqual(await seriousViolations(page), [], 'axe on the report');

  await page.getByTestId('police-sheet-link').click();
  const sheet = page.getByTestId('police-sheet');
  await sheet.waitFor();
  assert.equal(await sheet.getAttribute('lang'), 'sv');
  // The sender named by two items each is listed once, with both ways the items came.
  const senders = await sheet.locator('.police-senders li').allInnerTexts();
  assert.deepEqual(senders, ['0701234567 – SMS', `${HANDLE} – Sociala medier (Instagram), Sociala medier (X)`]);
  assert.equal(await sheet.locator('.police-words blockquote').innerText(), MESSAGE);
  assert.deepEqual(
    await sheet.locator('li.evidence-print').evaluateAll((items) => items.map((li) => li.dataset.evidence)),
    [...shown.keys()],
    'the evidence list, in the order recorded',
  );
  assert.equal(await sheet.locator('.evidence-print-thumb').count(), 0, 'no pictures on the sheet');
  assert.match(await sheet.locator('li.witness-print').innerText(), new RegExp(WITNESS));
  const calls = await sheet.locator('.police-advice a.tel-link').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  assert.deepEqual(calls, ['tel:11414', 'tel:112']);
  assert.deepEqual(await seriousViolations(page), [], 'axe on the police sheet');
  // It follows the language, built again in English.
  await page.locator('.top-bar').getByRole('button', { name: 'English' }).click();
  await page.locator('[data-testid="police-sheet"][lang="en"]').waitFor();
  assert.match(await sheet.locator('.police-senders').innerText(), /Social media \(Instagram\)/);
  await page.locator('.top-bar').getByRole('button', { name: 'Svenska' }).click();
  await page.locator('[data-testid="police-sheet"][lang="sv"]').waitFor();
  await page.goto(caseUrl);
});

test('nothing in local storage or the item store is readable: without a lock and with a PIN', async () => {
  const jpg = fixtures['hotbild.jpg'];
  const png = fixtures['skarmbild.png'];
  const secrets = {
    'the JPEG': slice(jpg.bytes),
    'the PNG': slice(png.bytes),
    'the JPEG\'s start': jpg.bytes.subarray(0, 32),
    'the message': MESSAGE.slice(0, 24),
    'the link': LINK.slice(8, 36),
    'the handle': HANDLE,
    'the witness': WITNESS,
  };
  // The default state ("Senare"): the first test's case.
  const records = await assertNothingReadable(page, secrets);
  assert.equal(records.length, 2, 'two files, two records');
  const sizes = records.map(([, v]) => Buffer.from(v, 'base64').length).sort((a, b) => a - b);
  const plainSizes = [jpg.bytes.length, png.bytes.length].sort((a, b) => a - b);
  // Each record is one file sealed: its bytes plus a header, a nonce and a tag.
  assert.ok(sizes.every((s, i) => s > plainSizes[i] && s < plainSizes[i] + 100), `sealed sizes ${sizes} for ${plainSizes}`);
  const caseId = caseUrl.split('/').pop();
  for (const [key] of records) assert.ok(key.startsWith(`${caseId}/`), `${key} is under its case`);

  // A PIN lock.
  const locked = await launchProfile();
  try {
    const p = await locked.context.newPage();
    await p.goto(served.url);
    await p.getByRole('heading', { name: 'Skydda ärendena på telefonen' }).waitFor();
    await p.locator('#lock-secret').fill('493817');
    await p.locator('#lock-secret-repeat').fill('493817');
    await p.getByRole('button', { name: 'Sätt låset' }).click();
    await p.getByRole('button', { name: 'Nytt ärende' }).waitFor();
    await startCase(p);
    await openEvidence(p);
    assert.equal(await p.getByTestId('evidence-unprotected').count(), 0, 'a PIN protects the evidence: no warning');
    assert.equal(await chooseFile(p, 'evidence-photo', jpg.path), jpg.sha256);
    await saveForm(p);
    assert.equal(await chooseFile(p, 'evidence-file', png.path), png.sha256);
    await describe(p, { sender: HANDLE });
    await saveForm(p);
    await p.getByRole('button', { name: 'Klistra in meddelande' }).click();
    await p.locator('textarea#evidence-text').fill(MESSAGE);
    await saveForm(p);
    await p.getByRole('button', { name: 'Lägg till länk' }).click();
    await p.locator('input#evidence-text').fill(LINK);
    await saveForm(p);
    await p.locator('li.evidence-entry').nth(3).waitFor();
    await allVerified(p, 2);
    const lockedRecords = await assertNothingReadable(p, secrets);
    assert.equal(lockedRecords.length, 2);

    // A file chosen and described when the lock comes is kept (sealed, in memory) and is on
    // screen again after the unlock: a photo taken in the app may exist nowhere else.
    assert.equal(await chooseFile(p, 'evidence-file', png.path), png.sha256);
    await describe(p, { sender: 'avsändare före låset' });
    await p.locator('.top-bar').getByRole('button', { name: 'Lås nu' }).click();
    await p.getByRole('heading', { name: 'Stödrutin är låst' }).waitFor();
    assert.equal(await p.locator('.evidence-form, code.sha256').count(), 0, 'the form is gone while locked');
    await assertNothingReadable(p, { ...secrets, 'the sender typed': 'avsändare före låset' });
    await p.locator('#unlock-secret').fill('493817');
    await p.getByRole('button', { name: 'Lås upp', exact: true }).click();
    await p.locator('.evidence-form code.sha256').waitFor();
    assert.equal((await p.locator('.evidence-form code.sha256').innerText()).trim(), png.sha256);
    assert.equal(await p.locator('#evidence-sender').inputValue(), 'avsändare före låset');
    await saveForm(p);
    await p.locator('li.evidence-entry').nth(4).waitFor();
    await allVerified(p, 3);
    assert.match(await p.locator('li.evidence-entry').filter({ hasText: 'avsändare före låset' }).locator('code.sha256').innerText(), new RegExp(png.sha256));

    // A witness being noted when the lock comes: after the unlock the panel and the witness's
    // form are open again with what was typed (nothing else of the panel was being added).
    const witnessForm = p.locator('section.details[data-form="witnesses"]');
    await witnessForm.getByRole('button', { name: /^Lägg till\s*:\s*Vittnen$/ }).click();
    await witnessForm.getByLabel('Vittnets namn').fill('Vittne före låset');
    await p.locator('.top-bar').getByRole('button', { name: 'Lås nu' }).click();
    await p.getByRole('heading', { name: 'Stödrutin är låst' }).waitFor();
    await assertNothingReadable(p, { ...secrets, 'the witness typed': 'Vittne före låset' });
    await p.locator('#unlock-secret').fill('493817');
    await p.getByRole('button', { name: 'Lås upp', exact: true }).click();
    await witnessForm.getByLabel('Vittnets namn').waitFor();
    assert.equal(await witnessForm.getByLabel('Vittnets namn').inputValue(), 'Vittne före låset');
  } finally {
    await locked.close();
  }
});

/// Runs the standard age tool; the passphrase, if any, through a terminal (`script`).
function age(args, { passphrase } = {}) {
  if (passphrase === undefined) {
    const out = spawnSync('age', args);
    assert.equal(out.status, 0, String(out.stderr));
    return out.stdout;
  }
  const out = spawnSync('script', ['-qec', ['age', ...args].join(' '), '/dev/null'], {
    input: `${passphrase}\n`,
    encoding: 'utf8',
  });
  return out.stdout;
}

test('sealed to the officer: the officer imports every item unchanged, and age and tar give the same SHA-256', async () => {
  // The officer makes a key; its backup opens with the age tool.
  const b = await officer.context.newPage();
  await openApp(b, served.url);
  await b.goto(new URL('#/settings', served.url).href);
  await b.locator('#key-passphrase').fill('officerns egen lösenfras');
  await b.locator('#key-passphrase-repeat').fill('officerns egen lösenfras');
  const backup = await downloadFrom(b, () => b.getByRole('button', { name: 'Skapa min nyckel' }).click(), /\.age$/);
  const publicKey = (await b.locator('#own-public-key').inputValue()).trim();
  const identity = age(['-d', backup], { passphrase: 'officerns egen lösenfras' });
  assert.match(identity, new RegExp(`# public key: ${publicKey}`));
  const identityFile = join(dir, 'officer.key');
  await writeFile(identityFile, identity.slice(identity.indexOf('# Stödrutin')));

  // The support person stores the officer's key and exports with one tap.
  await page.goto(new URL('#/settings', served.url).href);
  await page.getByLabel('Säkerhetsansvarigs publika nyckel').fill(publicKey);
  await page.getByRole('button', { name: 'Spara', exact: true }).click();
  await page.getByText('Inställningarna är sparade').waitFor({ state: 'attached' });
  await page.goto(caseUrl);
  const sealed = await downloadFrom(
    page,
    () => page.getByRole('button', { name: 'Kryptera och skicka till säkerhetsansvarig' }).click(),
    /^stodrutin-arende-[0-9a-f]{8}-\d{4}-\d{2}-\d{2}\.age$/,
  );
  await page.getByText(/^Ärendet är exporterat/).waitFor({ state: 'attached' });
  assert.equal(await page.getByTestId('export-left-out').count(), 0, 'nothing left out');
  const sealedBytes = await readFile(sealed);
  assert.ok(sealedBytes.subarray(0, 21).toString('latin1').startsWith('age-encryption.org/v1'), 'a binary age file');
  for (const f of Object.values(fixtures)) assert.equal(sealedBytes.indexOf(slice(f.bytes)), -1, 'the pictures are sealed');
  assert.equal(sealedBytes.indexOf(Buffer.from(MESSAGE)), -1, 'the message is sealed');

  // The officer imports it: the preview lists every item with its SHA-256.
  await b.goto(new URL('#/import', served.url).href);
  await b.getByRole('heading', { name: 'Importera ärende' }).waitFor();
  await b.locator('#import-file').setInputFiles(sealed);
  await b.getByRole('heading', { name: 'Det här finns i filen' }).waitFor({ timeout: 15000 });
  const previewed = new Map(await b.locator('ul.import-evidence li[data-evidence]').evaluateAll((items) => items.map((li) => [
    li.dataset.evidence,
    li.querySelector('code.sha256').textContent.trim(),
  ])));
  assert.deepEqual(previewed, shown, 'the preview lists every item with the same SHA-256');
  await b.getByRole('button', { name: 'Importera', exact: true }).click();
  await b.waitForURL(/#\/case\//, { timeout: 15000 });
  assert.equal(b.url().split('/').pop(), caseUrl.split('/').pop(), 'the same case');
  await openEvidence(b);
  await b.locator('li.evidence-entry').nth(3).waitFor();
  assert.deepEqual(await listed(b), shown, 'the imported case lists every item with the same SHA-256');
  await allVerified(b, 2);
  await b.locator('section.details[data-form="witnesses"] li.entry').filter({ hasText: WITNESS }).waitFor();

  // The standard tools open it: age with the officer's key, then tar.
  const tarFile = join(dir, 'case.tar');
  age(['-d', '-i', identityFile, '-o', tarFile, sealed]);
  const out = join(dir, 'opened');
  await mkdir(out);
  const untar = spawnSync('tar', ['-xf', tarFile, '-C', out], { encoding: 'utf8' });
  assert.equal(untar.status, 0, untar.stderr);
  const names = await readdir(join(out, 'evidence'));
  assert.equal(names.length, 2, 'two files in evidence/');
  const sums = spawnSync('sha256sum', names.map((n) => join(out, 'evidence', n)), { encoding: 'utf8' });
  assert.equal(sums.status, 0, sums.stderr);
  for (const line of sums.stdout.trim().split('\n')) {
    const [digest, path] = line.split(/\s+/);
    const id = path.split('/').pop().replace(/\.[^.]+$/, '');
    assert.equal(digest, shown.get(id), `${path}: the SHA-256 the app showed`);
  }
  assert.deepEqual(
    new Set(names.map((n) => n.replace(/\.[^.]+$/, '')).map((id) => shown.get(id))),
    new Set([fixtures['hotbild.jpg'].sha256, fixtures['skarmbild.png'].sha256]),
  );
  const caseJson = JSON.parse(await readFile(join(out, 'case.json'), 'utf8'));
  assert.equal(caseJson.format, 'stodrutin-case');
  await b.close();
});

/// Every localStorage value and every item store key.
async function storage(p) {
  return { local: await localValues(p), items: (await itemStore(p)).map(([k]) => k).sort() };
}

test('a case file with a changed picture is refused by name and changes nothing', async () => {
  await page.goto(caseUrl);
  await page.getByRole('button', { name: 'Exportera okrypterat …' }).click();
  const plain = await downloadFrom(
    page,
    () => page.getByRole('button', { name: 'Jag förstår – exportera okrypterat' }).click(),
    /^stodrutin-arende-[0-9a-f]{8}-\d{4}-\d{2}-\d{2}\.tar$/,
  );
  const tar = await readFile(plain);
  // The unencrypted file does hold the picture as it is (the search of the storage test finds it).
  for (const f of Object.values(fixtures)) assert.notEqual(tar.indexOf(slice(f.bytes)), -1);
  assert.notEqual(tar.indexOf(Buffer.from(MESSAGE)), -1);
  // Flip one byte inside the JPEG's entry (the tar's headers and checksums stay valid).
  let at = 0;
  let changed = false;
  while (at + 512 <= tar.length) {
    const name = tar.subarray(at, at + 100).toString('latin1').replace(/\0.*$/s, '');
    if (!name) break;
    const size = parseInt(tar.subarray(at + 124, at + 136).toString('latin1').replace(/\0.*$/s, '').trim(), 8);
    if (name.startsWith('evidence/') && name.endsWith('.jpg')) {
      tar[at + 512 + Math.floor(size / 2)] ^= 0x01;
      changed = true;
    }
    at += 512 + Math.ceil(size / 512) * 512;
  }
  assert.ok(changed, 'the tar holds the JPEG');
  const tampered = join(dir, 'tampered.tar');
  await writeFile(tampered, tar);
  assert.equal(spawnSync('tar', ['-tf', tampered]).status, 0, 'still a valid tar');

  // The untouched file is read (to be sure the refusal is about the change).
  await page.goto(new URL('#/import', served.url).href);
  await page.getByRole('heading', { name: 'Importera ärende' }).waitFor();
  await page.locator('#import-file').setInputFiles(plain);
  await page.getByRole('heading', { name: 'Det här finns i filen' }).waitFor({ timeout: 10000 });
  await page.goto(served.url);
  await page.goto(new URL('#/import', served.url).href);
  await page.getByRole('heading', { name: 'Importera ärende' }).waitFor();
  const stored = await storage(page);
  await page.locator('#import-file').setInputFiles(tampered);
  const alert = page.locator('.import [role="alert"]').filter({ hasText: 'hotbild.jpg' });
  await alert.waitFor({ timeout: 10000 });
  assert.match(await alert.innerText(), /stämmer inte med sin kontrollsumma/);
  assert.equal(await page.locator('.preview').count(), 0, 'no preview, nothing to confirm');
  assert.deepEqual(await storage(page), stored, 'storage is unchanged');
});

test('storage refusing a file keeps it on screen to try again, and records nothing', async () => {
  const p = await support.context.newPage();
  // The item store's `put` refuses as a full disk does, while the flag is set.
  await p.addInitScript(() => {
    window.__refuseItems = true;
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function patched(...args) {
      if (window.__refuseItems && this.name === 'items') {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      }
      return put.apply(this, args);
    };
  });
  await openApp(p, served.url);
  await startCase(p);
  await openEvidence(p);
  const itemsBefore = (await itemStore(p)).map(([k]) => k).sort();
  const png = fixtures['skarmbild.png'];
  assert.equal(await chooseFile(p, 'evidence-file', png.path), png.sha256);
  await describe(p, { sender: HANDLE });
  await p.locator('.evidence-form').getByRole('button', { name: 'Spara', exact: true }).click();
  const alert = p.locator('.evidence-form [role="alert"]');
  await alert.filter({ hasText: 'lagring är full' }).waitFor({ timeout: 10000 });
  // The chosen file stays, with its checksum, a retry and a copy of the original.
  assert.equal((await p.locator('.evidence-form code.sha256').innerText()).trim(), png.sha256);
  const retry = p.locator('.evidence-form').getByRole('button', { name: 'Försök igen' });
  await retry.waitFor();
  const copy = await downloadFrom(p, () => p.locator('.evidence-form').getByRole('button', { name: 'Spara en kopia av originalet' }).click(), /^skarmbild\.png$/);
  assert.equal(sha256(await readFile(copy)), png.sha256, 'the copy of the original is the file chosen');
  assert.equal(await p.locator('li.evidence-entry').count(), 0, 'nothing listed');
  assert.deepEqual((await itemStore(p)).map(([k]) => k).sort(), itemsBefore, 'nothing stored');
  assert.match(await p.locator('#evidence summary .section-count').innerText(), /^0$/);
  // Cancelling, or starting another item, asks first: a photo taken here may exist nowhere else.
  // The camera or file picker does not even open (a photo taken in it would be lost).
  let pickerOpened = false;
  p.on('filechooser', () => { pickerOpened = true; });
  await p.locator('label.file-button').filter({ hasText: 'Ta foto' }).click();
  await alert.filter({ hasText: 'tryck en gång till för att släppa den' }).waitFor();
  await p.waitForTimeout(300);
  assert.equal(pickerOpened, false, 'the camera did not open');
  assert.equal((await p.locator('.evidence-form code.sha256').innerText()).trim(), png.sha256, 'the file is still on screen');
  assert.equal(await p.locator('textarea#evidence-text').count(), 0);

  // Space is freed: the retry saves it.
  await p.evaluate(() => { window.__refuseItems = false; });
  await retry.click();
  await p.locator('.evidence-form').waitFor({ state: 'detached', timeout: 10000 });
  await p.locator('li.evidence-entry').first().waitFor();
  assert.equal((await p.locator('li.evidence-entry code.sha256').innerText()).trim(), png.sha256);
  assert.match(await p.locator('li.evidence-entry').innerText(), new RegExp(HANDLE));
  await allVerified(p, 1);
  const caseId = p.url().split('/').pop();
  const after = (await itemStore(p)).map(([k]) => k);
  assert.equal(after.filter((k) => k.startsWith(`${caseId}/`)).length, 1, 'one record for the new case');
  await p.close();
});

test('a file chosen while another is still being read takes its place, and the first never comes back', async () => {
  const p = await support.context.newPage();
  await openApp(p, served.url);
  await startCase(p);
  await openEvidence(p);
  const input = p.locator('input[data-testid=evidence-file]');
  const large = join(dir, 'film.mp4');
  await writeFile(large, Buffer.alloc(20 * 1024 * 1024, 7));
  // A slow phone: the film takes seconds to read.
  const cdp = await p.context().newCDPSession(p);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 20 });
  await input.setInputFiles(large);
  await p.getByText('Läser filen och räknar kontrollsumman').waitFor();
  // The user changes their mind while the film is still being read.
  const png = fixtures['skarmbild.png'];
  assert.equal(await chooseFile(p, 'evidence-file', png.path), png.sha256);
  // The film's reading goes on at full speed and ends: the screenshot stays chosen.
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  await p.waitForTimeout(2000);
  assert.equal((await p.locator('.evidence-form code.sha256').innerText()).trim(), png.sha256);
  assert.equal(await p.getByText('film.mp4').count(), 0);
  await saveForm(p);
  assert.deepEqual([...(await listed(p)).values()], [png.sha256]);
  await p.close();
});

/// Changes one record of the item store: flips a bit of its sealed bytes, or deletes it.
async function changeRecord(p, key, flip) {
  await p.evaluate(([k, flipIt]) => new Promise((resolve, reject) => {
    const open = indexedDB.open('stodrutin-items');
    open.onsuccess = () => {
      const db = open.result;
      const tx = db.transaction('items', 'readwrite');
      const store = tx.objectStore('items');
      if (flipIt) {
        const get = store.get(k);
        get.onsuccess = () => {
          const bytes = new Uint8Array(get.result);
          bytes[bytes.length - 20] ^= 1;
          store.put(bytes, k);
        };
      } else {
        store.delete(k);
      }
      tx.oncomplete = () => { db.close(); resolve(); };
      tx.onerror = () => reject(tx.error);
    };
    open.onerror = () => reject(open.error);
  }), [key, flip]);
}

/// A new case with the JPEG and the PNG attached and checked: the ids of the case and items.
async function caseWithTwoFiles(p) {
  await openApp(p, served.url);
  await startCase(p);
  await openEvidence(p);
  await chooseFile(p, 'evidence-photo', fixtures['hotbild.jpg'].path);
  await saveForm(p);
  await chooseFile(p, 'evidence-file', fixtures['skarmbild.png'].path);
  await saveForm(p);
  await p.locator('li.evidence-entry').nth(1).waitFor();
  await allVerified(p, 2);
  const idOf = (name) => p.locator('li.evidence-entry').filter({ hasText: name }).getAttribute('data-evidence');
  return { caseId: p.url().split('/').pop(), jpgId: await idOf('hotbild.jpg'), pngId: await idOf('skarmbild.png') };
}

/// Changes the JPEG's stored bytes and removes the PNG's; after a reload the list says so.
async function damageBoth(p, { caseId, jpgId, pngId }) {
  await changeRecord(p, `${caseId}/${jpgId}`, true);
  await changeRecord(p, `${caseId}/${pngId}`, false);
  await p.reload();
  await openEvidence(p);
  await p.locator(`li.evidence-entry[data-evidence="${jpgId}"] p.evidence-check[data-check="damaged"]`).waitFor({ timeout: 10000 });
  await p.locator(`li.evidence-entry[data-evidence="${pngId}"] p.evidence-check[data-check="missing"]`).waitFor({ timeout: 10000 });
}

test('a stored file changed or gone is named as such, the rest of the case works, and the export leaves it out by name', async () => {
  const p = await support.context.newPage();
  const jpg = fixtures['hotbild.jpg'];
  const png = fixtures['skarmbild.png'];
  const ids = await caseWithTwoFiles(p);
  const { jpgId, pngId } = ids;
  await damageBoth(p, ids);
  const check = (id) => p.locator(`li.evidence-entry[data-evidence="${id}"] p.evidence-check`);
  assert.match(await check(jpgId).innerText(), /skadad eller ändrad/);
  assert.match(await check(pngId).innerText(), /finns inte på den här enheten/);
  assert.equal(await p.locator('img.evidence-thumb').count(), 0, 'no picture shown');
  assert.equal(await p.locator('li.evidence-entry').getByRole('button', { name: 'Spara en kopia av originalet' }).first().isDisabled(), true);
  // The rest of the case works: a message is still saved.
  await p.getByRole('button', { name: 'Klistra in meddelande' }).click();
  await p.locator('textarea#evidence-text').fill(MESSAGE);
  await saveForm(p);
  await p.locator('li.evidence-entry').filter({ hasText: MESSAGE }).waitFor();
  // The export is made without the two files, and names them.
  await p.getByRole('button', { name: 'Exportera okrypterat …' }).click();
  const file = await downloadFrom(p, () => p.getByRole('button', { name: 'Jag förstår – exportera okrypterat' }).click(), /\.json$/);
  const leftOut = p.getByTestId('export-left-out');
  await leftOut.waitFor();
  const named = await leftOut.innerText();
  assert.match(named, /hotbild\.jpg/);
  assert.match(named, /skarmbild\.png/);
  assert.ok(named.includes(jpg.sha256) && named.includes(png.sha256), 'named with their SHA-256');
  assert.match(await p.locator('.handover h2').innerText(), /Ej exporterat/, 'still marked not exported');
  const exported = JSON.parse(await readFile(file, 'utf8'));
  assert.ok(JSON.stringify(exported).includes(MESSAGE));
  await p.close();
});

test('a case file mends the files stored here damaged or gone: the import puts its checked bytes in their place', async () => {
  const p = await support.context.newPage();
  const ids = await caseWithTwoFiles(p);
  const { caseId } = ids;
  // The copy handed over before the damage: the unencrypted file, with both files.
  await p.getByRole('button', { name: 'Exportera okrypterat …' }).click();
  const file = await downloadFrom(p, () => p.getByRole('button', { name: 'Jag förstår – exportera okrypterat' }).click(), /\.tar$/);
  await damageBoth(p, ids);

  await p.goto(new URL('#/import', served.url).href);
  await p.locator('#import-file').setInputFiles(file);
  await p.getByRole('heading', { name: 'Det här finns i filen' }).waitFor({ timeout: 15000 });
  await p.getByRole('button', { name: 'Importera', exact: true }).click();
  await p.waitForURL(new RegExp(`#/case/${caseId}$`), { timeout: 15000 });
  await openEvidence(p);
  await allVerified(p, 2);
  await p.reload();
  await openEvidence(p);
  await allVerified(p, 2);
  await p.close();
});

test('a file the browser\'s storage does not answer for says so, not "gone", and the copy tries again', async () => {
  const p = await support.context.newPage();
  // The item store's reads fail, as when the browser dropped the connection, while the flag is set.
  await p.addInitScript(() => {
    const get = IDBObjectStore.prototype.get;
    IDBObjectStore.prototype.get = function patched(...args) {
      if (sessionStorage.getItem('failGets') && this.name === 'items') {
        throw new DOMException('The connection was lost.', 'UnknownError');
      }
      return get.apply(this, args);
    };
  });
  await openApp(p, served.url);
  await startCase(p);
  await openEvidence(p);
  const png = fixtures['skarmbild.png'];
  await chooseFile(p, 'evidence-file', png.path);
  await saveForm(p);
  await allVerified(p, 1);
  await p.evaluate(() => sessionStorage.setItem('failGets', '1'));
  await p.reload();
  await openEvidence(p);
  const entry = p.locator('li.evidence-entry').first();
  await entry.locator('p.evidence-check[data-check="unavailable"]').waitFor({ timeout: 10000 });
  assert.match(await entry.locator('p.evidence-check').innerText(), /svarade inte/);
  await p.evaluate(() => sessionStorage.removeItem('failGets'));
  const copy = await downloadFrom(p, () => entry.getByRole('button', { name: 'Spara en kopia av originalet' }).click(), /^skarmbild\.png$/);
  assert.equal(sha256(await readFile(copy)), png.sha256, 'read on the next try, unchanged');
  await entry.locator('p.evidence-check[data-check="verified"]').waitFor();
  await p.close();
});

/// Waits (up to 10 s) until `check` holds: removals from IndexedDB finish after the screen says so.
async function eventually(check, what) {
  for (let i = 0; i < 100; i += 1) {
    if (await check()) return;
    await new Promise((done) => setTimeout(done, 100));
  }
  assert.fail(`not after 10 s: ${what}`);
}

test('deleting a case and wiping the device remove their evidence bytes too', async () => {
  const phone = await launchProfile();
  try {
    const p = await phone.context.newPage();
    await openApp(p, served.url);
    const png = fixtures['skarmbild.png'];
    const attachOne = async () => {
      await startCase(p);
      await openEvidence(p);
      assert.equal(await chooseFile(p, 'evidence-file', png.path), png.sha256);
      await saveForm(p);
      await p.locator('li.evidence-entry').first().waitFor({ state: 'attached' });
      return p.url().split('/').pop();
    };
    const first = await attachOne();
    await p.goto(`${served.url}#/`);
    const second = await attachOne();
    const keysOf = async () => (await itemStore(p)).map(([k]) => k);
    assert.equal((await keysOf()).filter((k) => k.startsWith(`${second}/`)).length, 1);
    // The case is deleted: its bytes go with it, the other case's stay.
    await p.getByRole('button', { name: 'Radera ärendet från enheten' }).click();
    await p.getByRole('button', { name: 'Radera', exact: true }).click();
    await p.getByRole('button', { name: 'Nytt ärende' }).waitFor({ timeout: 10000 });
    await eventually(async () => !(await keysOf()).some((k) => k.startsWith(`${second}/`)), 'the deleted case\'s file is removed');
    assert.equal((await keysOf()).filter((k) => k.startsWith(`${first}/`)).length, 1, 'the other case keeps its file');
    // The device is wiped: no evidence byte is left.
    await p.getByRole('button', { name: 'Radera allt på enheten' }).click();
    await p.getByRole('button', { name: 'Radera', exact: true }).click();
    await p.getByRole('heading', { name: 'Skydda ärendena på telefonen' }).waitFor({ timeout: 10000 });
    await eventually(async () => (await keysOf()).length === 0, 'every evidence file is removed');
  } finally {
    await phone.close();
  }
});

test('a browser without IndexedDB refuses files in words, saves messages, and still deletes and wipes', async () => {
  // Some private modes and locked-down browsers give a page no IndexedDB at all.
  const phone = await launchProfile();
  try {
    await phone.context.addInitScript(() => {
      Object.defineProperty(window, 'indexedDB', { configurable: true, get: () => undefined });
    });
    const p = await phone.context.newPage();
    await openApp(p, served.url);
    await startCase(p);
    await openEvidence(p);
    const png = fixtures['skarmbild.png'];
    assert.equal(await chooseFile(p, 'evidence-file', png.path), png.sha256, 'the file is read and hashed');
    await p.locator('.evidence-form').getByRole('button', { name: 'Spara', exact: true }).click();
    await p.locator('.evidence-form [role="alert"]').filter({ hasText: 'kan inte spara filer här' }).waitFor({ timeout: 10000 });
    assert.equal((await p.locator('.evidence-form code.sha256').innerText()).trim(), png.sha256, 'the chosen file stays on screen');
    assert.equal(await p.locator('li.evidence-entry').count(), 0, 'nothing recorded');
    await p.locator('.evidence-form').getByRole('button', { name: 'Avbryt' }).click();

    await p.getByRole('button', { name: 'Klistra in meddelande' }).click();
    await p.locator('textarea#evidence-text').fill(MESSAGE);
    await saveForm(p);
    const message = p.locator('li.evidence-entry').filter({ hasText: MESSAGE });
    await message.waitFor();
    assert.equal((await message.locator('code.sha256').innerText()).trim(), sha256(Buffer.from(MESSAGE)));
    await p.reload();
    await openEvidence(p);
    await p.locator('li.evidence-entry').filter({ hasText: MESSAGE }).waitFor();
    const caseUrl = p.url();
    // A case file without files is exported and imported here too.
    await p.getByRole('button', { name: 'Exportera okrypterat …' }).click();
    const exported = await downloadFrom(p, () => p.getByRole('button', { name: 'Jag förstår – exportera okrypterat' }).click(), /\.json$/);
    await p.goto(new URL('#/import', served.url).href);
    await p.locator('#import-file').setInputFiles(exported);
    await p.getByRole('heading', { name: 'Det här finns i filen' }).waitFor({ timeout: 10000 });
    await p.getByRole('button', { name: 'Importera', exact: true }).click();
    await p.waitForURL(caseUrl);
    await p.locator('#case-heading').waitFor();

    // Deleting the case and wiping the device do not wait on a store that is not there.
    await p.getByRole('button', { name: 'Radera ärendet från enheten' }).click();
    await p.getByRole('button', { name: 'Radera', exact: true }).click();
    await p.getByRole('button', { name: 'Nytt ärende' }).waitFor({ timeout: 10000 });
    assert.equal(await p.locator('.case-list li').count(), 0, 'the case is gone');
    await p.getByRole('button', { name: 'Radera allt på enheten' }).click();
    await p.getByRole('button', { name: 'Radera', exact: true }).click();
    await p.getByRole('heading', { name: 'Skydda ärendena på telefonen' }).waitFor({ timeout: 10000 });
    assert.equal(await p.locator('[role="alert"]').filter({ hasText: /\S/ }).count(), 0, 'no error is shown');
  } finally {
    await phone.close();
  }
});

test('no request of the evidence tests left the origin', () => {
  assert.deepEqual(foreign.flat(), []);
});
