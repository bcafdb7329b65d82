// The handover between two phones (two browser profiles): the support person exports, the party
// security officer imports and carries the follow-up on, exports back; nothing is lost and a
// re-import changes nothing. Bad files change nothing either.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveDist, launchProfile, openApp, row, hasStatus, startCase, watchForeignRequests, originOf } from './harness.mjs';

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

async function exportCase(page) {
  await page.getByRole('button', { name: 'Exportera ärendet som fil' }).click();
  assert.match(await page.locator('.handover .warning').innerText(), /okrypterad/);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Jag förstår – exportera okrypterat' }).click(),
  ]);
  const name = download.suggestedFilename();
  assert.match(name, /^stodrutin-arende-[0-9a-f]{8}-\d{4}-\d{2}-\d{2}\.json$/);
  const path = join(await mkdtemp(join(tmpdir(), 'stodrutin-file-')), name);
  await download.saveAs(path);
  await page.getByText('Ärendet är exporterat.').waitFor({ state: 'attached' });
  return path;
}

async function importFile(page, path) {
  await page.goto(new URL('#/import', served.url).href);
  await page.getByRole('heading', { name: 'Importera ärende' }).waitFor();
  await page.locator('#import-file').setInputFiles(path);
  await page.getByRole('heading', { name: 'Det här finns i filen' }).waitFor();
  return page.locator('.preview').innerText();
}

test('support person → officer → support person, with nothing lost', async () => {
  const a = await support.context.newPage();
  await openApp(a, served.url);
  await startCase(a);
  await row(a, '3.1.1-a').getByRole('button', { name: 'Klar' }).click();
  await hasStatus(a, '3.1.1-a', 'done');
  await row(a, '3.2.1-a').getByRole('button', { name: 'Klar' }).click();
  await hasStatus(a, '3.2.1-a', 'done');
  assert.match(await a.locator('.handover').innerText(), /Ej exporterat/);
  const first = await exportCase(a);
  assert.doesNotMatch(await a.locator('.handover h2').innerText(), /Ej exporterat/);
  const caseUrl = a.url();

  const b = await officer.context.newPage();
  const preview = await importFile(b, first);
  assert.match(preview, /3 registreringar, varav 3 nya här/);
  assert.match(preview, /Ärendet är nytt på den här enheten/);
  await b.getByRole('button', { name: 'Importera', exact: true }).click();
  await hasStatus(b, '3.1.1-a', 'done');
  await hasStatus(b, '3.2.1-a', 'done');
  // The officer carries the follow-up on.
  await row(b, '3.2.4-a').getByRole('button', { name: 'Klar' }).click();
  await hasStatus(b, '3.2.4-a', 'done');
  await row(b, '3.2.4-b').getByRole('button', { name: 'Anteckning' }).click();
  await row(b, '3.2.4-b').getByLabel('Anteckning').fill('Samtalet hölls, dokumenterat i partiets system');
  await row(b, '3.2.4-b').getByRole('button', { name: 'Spara anteckningen' }).click();
  await row(b, '3.2.4-b').locator('.note-text').waitFor();
  const back = await exportCase(b);

  // Meanwhile the support person recorded more on their own phone.
  await row(a, '3.2.2-b').getByRole('button', { name: 'Klar' }).click();
  await hasStatus(a, '3.2.2-b', 'done');

  const returned = await importFile(a, back);
  assert.match(returned, /5 registreringar, varav 2 nya här/);
  assert.match(returned, /Ärendet finns redan här/);
  await a.getByRole('button', { name: 'Importera', exact: true }).click();
  await hasStatus(a, '3.2.4-a', 'done');
  await hasStatus(a, '3.2.2-b', 'done');
  await hasStatus(a, '3.1.1-a', 'done');
  assert.match(await row(a, '3.2.4-b').locator('.note-text').innerText(), /Samtalet hölls/);
  assert.equal(a.url(), caseUrl);

  // Re-importing either file changes nothing.
  for (const file of [first, back]) {
    assert.match(await importFile(a, file), /varav 0 nya här/);
    await a.getByRole('button', { name: 'Importera', exact: true }).click();
    await hasStatus(a, '3.2.2-b', 'done');
  }
  assert.match(await a.locator('.progress').innerText(), /15 av 19 punkter öppna/);
  await a.reload();
  await hasStatus(a, '3.2.4-a', 'done');
  assert.match(await a.locator('.progress').innerText(), /15 av 19 punkter öppna/);
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
    'newer.json': [text.replace('"version":1', '"version":2'), 'Filen är gjord av en nyare version av appen. Uppdatera appen och försök igen. Inget har ändrats.'],
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
