// The handover between two phones (two browser profiles): the support person exports, the party
// security officer imports and carries the follow-up on, exports back; nothing is lost and a
// re-import changes nothing. Bad files change nothing either.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { serveDist, launchProfile, openApp, row, hasStatus, startCase, watchForeignRequests, originOf, caseForm, downloadFrom } from './harness.mjs';

let served;
let support;
let officer;
let foreign;
before(async () => {
  served = await serveDist();
  support = await launchProfile();
  officer = await launchProfile();
  foreign = [
    ...[support, officer].map((p) => watchForeignRequests(p.context, originOf(served.url))),
  ];
});
after(async () => {
  await support?.close();
  await officer?.close();
  await served?.close();
});

/// The unencrypted export, after its warning.
async function exportCase(page) {
  await page.getByRole('button', { name: 'Exportera okrypterat …' }).click();
  assert.match(await page.locator('.handover .warning').innerText(), /okrypterad/);
  const path = await downloadFrom(
    page,
    () => page.getByRole('button', { name: 'Jag förstår – exportera okrypterat' }).click(),
    /^stodrutin-arende-[0-9a-f]{8}-\d{4}-\d{2}-\d{2}\.json$/,
  );
  await page.getByText(/^Ärendet är exporterat/).waitFor({ state: 'attached' });
  return path;
}

async function importFile(page, path) {
  await page.goto(new URL('#/import', served.url).href);
  await page.getByRole('heading', { name: 'Importera ärende' }).waitFor();
  await page.locator('#import-file').setInputFiles(path);
  await page.getByRole('heading', { name: 'Det här finns i filen' }).waitFor();
  return page.locator('.preview').innerText();
}

/// Runs the standard age tool; the passphrase, if any, through a terminal (`script`), since the
/// tool reads it from nowhere else.
function age(args, { passphrase } = {}) {
  if (passphrase === undefined) {
    const out = spawnSync('age', args, { encoding: 'utf8' });
    assert.equal(out.status, 0, out.stderr);
    return out.stdout;
  }
  const out = spawnSync('script', ['-qec', ['age', ...args].join(' '), '/dev/null'], {
    input: `${passphrase}\n`,
    encoding: 'utf8',
  });
  return out.stdout;
}

const REFERENCE = '5000-K998877-26';

test('sealed to the officer\'s key and back with a passphrase; the age tool reads both ways', async () => {
  // The officer makes a key; its backup is a passphrase file the age tool opens.
  const b = await officer.context.newPage();
  await openApp(b, served.url);
  await b.goto(new URL('#/settings', served.url).href);
  await b.locator('#key-passphrase').fill('officerns egen lösenfras');
  await b.locator('#key-passphrase-repeat').fill('officerns egen lösenfras');
  const backup = await downloadFrom(b, () => b.getByRole('button', { name: 'Skapa min nyckel' }).click(), /^stodrutin-nyckel-\d{4}-\d{2}-\d{2}-[a-z0-9]{8}\.age$/);
  const publicKey = (await b.locator('#own-public-key').inputValue()).trim();
  assert.match(publicKey, /^age1[0-9a-z]{58}$/);
  const identity = age(['-d', backup], { passphrase: 'officerns egen lösenfras' });
  assert.match(identity, new RegExp(`# public key: ${publicKey}`));
  const dir = await mkdtemp(join(tmpdir(), 'stodrutin-age-'));
  const identityFile = join(dir, 'officer.key');
  await writeFile(identityFile, identity.slice(identity.indexOf('# Stödrutin')));

  // The support person stores the officer's key, records, and exports with one tap.
  const a = await support.context.newPage();
  await openApp(a, served.url);
  await a.goto(new URL('#/settings', served.url).href);
  await a.getByLabel('Säkerhetsansvarigs publika nyckel').fill('age1inte-en-nyckel');
  await a.getByRole('button', { name: 'Spara', exact: true }).click();
  await a.locator('.settings [role="alert"]').filter({ hasText: 'Det här är ingen publik nyckel' }).waitFor();
  await a.getByLabel('Säkerhetsansvarigs publika nyckel').fill(publicKey);
  await a.getByRole('button', { name: 'Spara', exact: true }).click();
  await a.getByText('Inställningarna är sparade').waitFor({ state: 'attached' });
  await a.goto(served.url);
  await startCase(a);
  const caseUrl = a.url();
  await (await row(a, '3.1.1-a')).getByRole('button', { name: 'Klar' }).click();
  await hasStatus(a, '3.1.1-a', 'done');
  const report = await caseForm(a, 'report');
  await report.getByRole('button', { name: /Fyll i/ }).click();
  await report.getByLabel('Den utsattes beslut').selectOption('report');
  await report.getByLabel('Anmälans diarienummer').fill(REFERENCE);
  await report.getByLabel('Åtkomstskydd begärdes').check();
  await report.getByRole('button', { name: 'Spara', exact: true }).click();
  await report.locator('.entry').filter({ hasText: REFERENCE }).waitFor();
  assert.match(await a.locator('.handover').innerText(), /Ej exporterat/);
  const sealed = await downloadFrom(
    a,
    () => a.getByRole('button', { name: 'Kryptera och skicka till säkerhetsansvarig' }).click(),
    /^stodrutin-arende-[0-9a-f]{8}-\d{4}-\d{2}-\d{2}\.age$/,
  );
  await a.getByText(/^Ärendet är exporterat/).waitFor({ state: 'attached' });
  const sealedText = await readFile(sealed, 'utf8');
  assert.match(sealedText, /^-----BEGIN AGE ENCRYPTED FILE-----\n/);
  assert.doesNotMatch(sealedText, new RegExp(REFERENCE));
  // The standard tool opens it with the officer's key and finds the case file inside.
  const plain = JSON.parse(age(['-d', '-i', identityFile, sealed]));
  assert.equal(plain.format, 'stodrutin-case');
  assert.ok(JSON.stringify(plain.events).includes(REFERENCE));

  // The officer imports it and carries the follow-up on.
  const preview = await importFile(b, sealed);
  assert.match(preview, /3 registreringar, varav 3 nya här/);
  await b.getByRole('button', { name: 'Importera', exact: true }).click();
  await hasStatus(b, '3.1.1-a', 'done');
  assert.match(await (await caseForm(b, 'report')).locator('.entry').innerText(), new RegExp(REFERENCE));
  await (await row(b, '3.2.4-a')).getByRole('button', { name: 'Klar' }).click();
  await hasStatus(b, '3.2.4-a', 'done');
  await (await row(b, '3.2.4-b')).getByRole('button', { name: 'Anteckning' }).click();
  await (await row(b, '3.2.4-b')).getByLabel('Anteckning').fill('Samtalet hölls, dokumenterat i partiets system');
  await (await row(b, '3.2.4-b')).getByRole('button', { name: 'Spara anteckningen' }).click();
  await (await row(b, '3.2.4-b')).locator('.note-text').waitFor();
  // Back with a passphrase (the officer's phone stores no recipient key of its own).
  await b.getByLabel('Lösenfras', { exact: true }).fill('kort');
  await b.getByLabel('Lösenfrasen en gång till').fill('kort');
  await b.getByRole('button', { name: 'Kryptera med lösenfras och skicka' }).click();
  await b.locator('.handover [role="alert"]').filter({ hasText: 'Lösenfrasen är för kort' }).waitFor();
  await b.getByLabel('Lösenfras', { exact: true }).fill('tillbaka till stödet');
  await b.getByLabel('Lösenfrasen en gång till').fill('tillbaka till stödet');
  const back = await downloadFrom(b, () => b.getByRole('button', { name: 'Kryptera med lösenfras och skicka' }).click(), /\.age$/);
  assert.ok(age(['-d', back], { passphrase: 'tillbaka till stödet' }).includes('Samtalet hölls'));

  // Meanwhile the support person recorded more on their own phone.
  await (await row(a, '3.2.2-b')).getByRole('button', { name: 'Klar' }).click();
  await hasStatus(a, '3.2.2-b', 'done');

  // The support person opens the passphrase file: a wrong passphrase is named, then it opens.
  await a.goto(new URL('#/import', served.url).href);
  await a.locator('#import-file').setInputFiles(back);
  await a.getByLabel('Lösenfras').fill('fel fras');
  await a.getByRole('button', { name: 'Öppna filen' }).click();
  await a.locator('.import [role="alert"]').filter({ hasText: 'Fel lösenfras' }).waitFor();
  await a.getByLabel('Lösenfras').fill('tillbaka till stödet');
  await a.getByRole('button', { name: 'Öppna filen' }).click();
  await a.getByRole('heading', { name: 'Det här finns i filen' }).waitFor();
  assert.match(await a.locator('.preview').innerText(), /5 registreringar, varav 2 nya här/);
  await a.getByRole('button', { name: 'Importera', exact: true }).click();
  await hasStatus(a, '3.2.4-a', 'done');
  await hasStatus(a, '3.2.2-b', 'done');
  assert.match(await (await row(a, '3.2.4-b')).locator('.note-text').innerText(), /Samtalet hölls/);
  // The support person's phone has no private key: the file sealed to the officer is refused.
  await a.goto(new URL('#/import', served.url).href);
  await a.locator('#import-file').setInputFiles(sealed);
  await a.locator('.import [role="alert"]').filter({ hasText: 'den här enheten har ingen' }).waitFor();

  // Each re-import changes nothing.
  assert.match(await importFile(b, sealed), /varav 0 nya här/);
  await b.getByRole('button', { name: 'Importera', exact: true }).click();
  await hasStatus(b, '3.2.4-a', 'done');
  assert.match(await b.locator('.progress').innerText(), /17 av 19 punkter öppna/);

  // A file made by the age tool (to the officer's key) imports.
  const made = join(dir, 'from-the-tool.age');
  const plainFile = join(dir, 'plain.json');
  await writeFile(plainFile, JSON.stringify(plain));
  age(['-r', publicKey, '-a', '-o', made, plainFile]);
  assert.match(await importFile(b, made), /3 registreringar, varav 0 nya här/);
  // And one sealed to another key is refused by name.
  const otherKey = join(dir, 'other.key');
  spawnSync('age-keygen', ['-o', otherKey]);
  const otherPublic = (await readFile(otherKey, 'utf8')).match(/public key: (age1[0-9a-z]+)/)[1];
  const wrong = join(dir, 'wrong.age');
  age(['-r', otherPublic, '-a', '-o', wrong, plainFile]);
  await b.goto(new URL('#/import', served.url).href);
  await b.locator('#import-file').setInputFiles(wrong);
  await b.locator('.import [role="alert"]').filter({ hasText: 'krypterad till en annan nyckel' }).waitFor();
  const cut = join(dir, 'cut.age');
  await writeFile(cut, sealedText.slice(0, sealedText.length / 2));
  await b.locator('#import-file').setInputFiles(cut);
  await b.locator('.import [role="alert"]').filter({ hasText: 'avklippt' }).waitFor();

  // The follow-up deadline as a calendar event, and the printable report.
  await b.goto(caseUrl);
  const ics = await downloadFrom(b, () => b.getByRole('button', { name: /i kalendern/ }).click(), /^stodrutin-uppfoljning-[0-9a-f]{8}\.ics$/);
  const calendar = await readFile(ics, 'utf8');
  assert.match(calendar, /BEGIN:VEVENT\r\n/);
  assert.match(calendar, /DTSTART;VALUE=DATE:\d{8}\r\n/);
  await b.getByRole('link', { name: 'Rapport för utskrift' }).click();
  const printed = b.locator('article.report');
  await printed.waitFor();
  const reportText = await printed.innerText();
  assert.match(reportText, new RegExp(REFERENCE));
  assert.match(reportText, /Åtkomstskydd begärdes\s*:?\s*Ja/);
  assert.match(reportText, /Uppföljande samtal senast/);
  assert.match(reportText, /Samtalet hölls/);
  await b.emulateMedia({ media: 'print' });
  assert.equal(await b.locator('.top-bar').isVisible(), false);
  assert.equal(await b.getByRole('button', { name: /Skriv ut/ }).isVisible(), false);
  await b.emulateMedia({ media: 'screen' });
});

test('bad files get their own message and change nothing', async () => {
  const page = await officer.context.newPage();
  await openApp(page, served.url);
  const dir = await mkdtemp(join(tmpdir(), 'stodrutin-bad-'));
  const good = await (async () => {
    // A real file from this profile's case, to damage in several ways.
    await page.locator('.case-link').first().click();
    return exportCase(page);
  })();
  const text = await readFile(good, 'utf8');
  const stored = await page.evaluate(() => JSON.stringify(Object.entries(localStorage).filter(([k]) => k.startsWith('stodrutin.case.')).sort()));
  const bad = {
    'not-a-case.json': ['{"hello": "world"}', 'Det här är inte en ärendefil från Stödrutin. Inget har ändrats.'],
    'truncated.json': [text.slice(0, text.length - 40), 'Filen är avklippt, troligen vid kopiering eller nedladdning. Be om filen igen. Inget har ändrats.'],
    'tampered.json': [text.replace('Samtalet hölls', 'Samtalet hölls inte'), 'Filen har ändrats efter exporten eller är skadad: kontrollsumman stämmer inte. Inget har ändrats.'],
    'newer.json': [text.replace('"version":3', '"version":5'), 'Filen är gjord av en nyare version av appen. Uppdatera appen och försök igen. Inget har ändrats.'],
    'html.json': ['<script>alert(1)</script>', 'Det här är inte en ärendefil från Stödrutin. Inget har ändrats.'],
  };
  for (const [name, [content, message]] of Object.entries(bad)) {
    const path = join(dir, name);
    await writeFile(path, content);
    await page.goto(new URL('#/import', served.url).href);
    await page.getByRole('heading', { name: 'Importera ärende' }).waitFor();
    await page.locator('#import-file').setInputFiles(path);
    await page.locator('.import [role="alert"]').filter({ hasText: message }).waitFor({ timeout: 5000 });
    assert.equal(await page.locator('.preview').count(), 0, name);
  }
  // Pasting works the same way.
  await page.getByLabel('… eller klistra in filens text').fill('inte en fil');
  await page.getByRole('button', { name: 'Läs in texten' }).click();
  await page.locator('.import [role="alert"]').filter({ hasText: 'inte en ärendefil' }).waitFor();
  const after = await page.evaluate(() => JSON.stringify(Object.entries(localStorage).filter(([k]) => k.startsWith('stodrutin.case.')).sort()));
  assert.equal(after, stored);
});

test('no request of the handover left the origin', () => {
  assert.deepEqual(foreign.flat(), []);
});
