// Routine packs end to end: a build that ships the example pack beside Oxelösund's offers both on
// "Nytt ärende"; a case under each follows its own routine; the example's checklists and its
// out-of-hours contact show; a witness is noted with the panel's own form under Oxelösund's
// version 1 and the example's list form is in the panel. A case sealed under the example pack opens, in the example's
// routine, in a second profile served a build whose pack list holds only Oxelösund's — the same
// wasm with another list (tools/packs.mjs) — and the carried pack's numbers are no one-tap calls.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { DIST, serveDist, launchProfile, openApp, row, hasStatus, watchForeignRequests, originOf } from './harness.mjs';

const OXELOSUND = 'routines/oxelosund-2018-06-13.json';
const EXAMPLE = 'routines/exempel-kommun-2026-v2.json';

/// A copy of the release build that ships `packs`: the wasm is the same file, byte for byte.
async function buildWithPacks(packs) {
  const dir = await mkdtemp(join(tmpdir(), 'stodrutin-packs-'));
  await cp(DIST, dir, { recursive: true });
  for (const args of [['tools/packs.mjs', dir, ...packs], ['tools/postbuild.mjs', dir]]) {
    const out = spawnSync('node', args, { encoding: 'utf8' });
    assert.equal(out.status, 0, out.stderr);
  }
  return dir;
}

let bothDir;
let both;
let onlyOxelosund;
let support;
let officer;
let foreign;
before(async () => {
  bothDir = await buildWithPacks([OXELOSUND, EXAMPLE]);
  both = await serveDist(bothDir);
  onlyOxelosund = await serveDist(await buildWithPacks([OXELOSUND]));
  support = await launchProfile();
  officer = await launchProfile();
  foreign = [
    watchForeignRequests(support.context, originOf(both.url)),
    watchForeignRequests(officer.context, originOf(onlyOxelosund.url)),
  ];
});
after(async () => {
  await support?.close();
  await officer?.close();
  await both?.close();
  await onlyOxelosund?.close();
  if (bothDir) await rm(bothDir, { recursive: true, force: true });
});

async function startUnder(page, routineName) {
  await page.getByRole('button', { name: 'Nytt ärende' }).click();
  await page.getByRole('radio', { name: routineName }).check();
  await page.getByRole('button', { name: 'Starta ärendet' }).click();
  await page.getByRole('heading', { level: 1, name: /Händelsen/ }).waitFor();
}

test('two packs shipped: a case under each, the example\'s checklists and out-of-hours contact', async () => {
  const page = await support.context.newPage();
  await openApp(page, both.url);

  // Oxelösund's routine, as before.
  await startUnder(page, /Oxelösunds kommun/);
  await (await row(page, '3.2.4-a')).waitFor();
  assert.equal(await page.locator('li.row').count(), 19);
  // Version 1 of the pack has no witness list: the panel notes witnesses with its own form, and
  // the police sheet lists them.
  await page.locator('#evidence > summary').click();
  await page.getByRole('button', { name: 'Lägg till vittne' }).click();
  assert.equal(await page.locator('section.details[data-form="witnesses"]').count(), 0);
  await page.locator('#witness-name').fill('Sam Vittnesson');
  await page.locator('#witness-phone').fill('0705554433');
  await page.locator('#witness-saw').fill('Såg bilen');
  await page.locator('.evidence-form').getByRole('button', { name: 'Spara', exact: true }).click();
  await page.locator('li.witness-entry').filter({ hasText: 'Sam Vittnesson' }).waitFor();
  assert.match(await page.locator('#evidence summary .section-count').innerText(), /^1$/);
  await page.goto(`${page.url()}/police`);
  const witness = page.getByTestId('police-sheet').locator('li.witness-print');
  await witness.waitFor();
  assert.match(await witness.innerText(), /Sam Vittnesson[\s\S]*0705554433[\s\S]*Såg bilen/);
  assert.equal(await witness.locator('a.tel-link').getAttribute('href'), 'tel:0705554433');
  await page.goto(both.url);

  // The example pack: its own rows, its own follow-up deadline, its guide.
  await startUnder(page, /Exempelkommun.*\(exempel\)/);
  await (await row(page, '1.1-a')).waitFor();
  assert.equal(await page.locator('li[data-row="3.2.4-a"]').count(), 0, 'no Oxelösund rows in the example case');
  // The example's witness list is in the evidence panel, not in its section.
  await page.locator('#evidence > summary').click();
  await page.locator('#evidence section.details[data-form="witnesses"]').getByRole('button', { name: /^Lägg till\s*:\s*Vittnen$/ }).waitFor();
  assert.equal(await page.locator('section.details[data-form="witnesses"]').count(), 1);
  assert.equal(await page.getByRole('button', { name: 'Lägg till vittne' }).count(), 0);
  const guide = page.locator('details.routine-guide');
  await guide.locator(':scope > summary').click();
  assert.match(await guide.innerText(), /exempelrutin/i);
  // The out-of-hours route of the security chief, as a one-tap call (a shipped pack).
  const outOfHours = guide.locator('a.call', { hasText: 'Utanför kontorstid' });
  await outOfHours.waitFor();
  assert.match(await outOfHours.getAttribute('href'), /^tel:\+?\d+$/);
  // The checklist for e-mail, SMS and social media opens on a tap.
  const digital = guide.locator('details.checklist[data-checklist="digital"]');
  await digital.locator('summary').click();
  assert.match(await digital.innerText(), /E-post, SMS och sociala medier/);
  assert.ok((await digital.locator('li').count()) >= 3);

  await (await row(page, '1.1-a')).getByRole('button', { name: 'Klar' }).click();
  await hasStatus(page, '1.1-a', 'done');

  // The case list shows both cases.
  await page.goto(both.url);
  await page.locator('a[href^="#/case/"]').nth(1).waitFor();
});

test('a case under the example pack opens in its routine where only Oxelösund\'s is shipped', async () => {
  const a = await support.context.newPage();
  await openApp(a, both.url);
  // The example case is the one with row 1.1-a done.
  const cases = a.locator('a[href^="#/case/"]');
  const count = await cases.count();
  let found = false;
  for (let i = 0; i < count && !found; i += 1) {
    await cases.nth(i).click();
    await a.getByRole('heading', { level: 1, name: /Händelsen/ }).waitFor();
    found = (await a.locator('li[data-row="1.1-a"]').count()) > 0;
    if (!found) await a.goto(both.url);
  }
  assert.ok(found, 'the example case is listed');

  await a.getByRole('button', { name: 'Exportera okrypterat …' }).click();
  const [download] = await Promise.all([
    a.waitForEvent('download'),
    a.getByRole('button', { name: 'Jag förstår – exportera okrypterat' }).click(),
  ]);
  const file = join(await mkdtemp(join(tmpdir(), 'stodrutin-file-')), download.suggestedFilename());
  await download.saveAs(file);

  const b = await officer.context.newPage();
  await openApp(b, onlyOxelosund.url);
  // This build offers no choice: it ships one routine.
  await b.getByRole('button', { name: 'Nytt ärende' }).click();
  await b.getByRole('button', { name: 'Starta ärendet' }).waitFor();
  assert.equal(await b.getByRole('radio').count(), 0);

  await b.goto(new URL('#/import', onlyOxelosund.url).href);
  await b.locator('#import-file').setInputFiles(file);
  await b.getByRole('heading', { name: 'Det här finns i filen' }).waitFor();
  assert.match(await b.locator('.preview').innerText(), /Exempelkommun.*rutinen följer med filen/s);
  await b.getByRole('button', { name: 'Importera', exact: true }).click();
  await hasStatus(b, '1.1-a', 'done');
  assert.equal(await b.locator('li[data-row="3.2.4-a"]').count(), 0);

  // The carried pack's numbers: no one-tap call until the user has seen and confirmed the number.
  const guide = b.locator('details.routine-guide');
  await guide.locator(':scope > summary').click();
  assert.match(await guide.innerText(), /har inte rutinen med sig/);
  assert.equal(await guide.locator('a[href^="tel:"]').count(), 0);
  await guide.locator('.carried-call button').first().click();
  await guide.getByRole('alert').waitFor();
  assert.equal(await guide.locator('a[href^="tel:"]').count(), 1);
  assert.match(await guide.getByRole('alert').innerText(), /\d/, 'the number is shown to confirm');
  // Cancelled, the call is gone again; asked again, it comes back once.
  await guide.getByRole('button', { name: 'Avbryt' }).click();
  await guide.getByRole('alert').waitFor({ state: 'detached' });
  assert.equal(await guide.locator('a[href^="tel:"]').count(), 0);
  await guide.locator('.carried-call button').first().click();
  await guide.locator('.carried-call button').first().click();
  await guide.getByRole('alert').waitFor();
  assert.equal(await guide.locator('a[href^="tel:"]').count(), 1);

  // After a reload it still opens in its own routine (the pack is kept on the device).
  await b.reload();
  await (await row(b, '1.1-a')).waitFor();

  // Without its pack (the kept copy gone, or no longer readable) the case is still listed, named
  // as such, and can still be handed over.
  await b.evaluate(() => {
    for (const key of Object.keys(localStorage)) {
      if (key.startsWith('stodrutin.routine.')) localStorage.removeItem(key);
    }
  });
  await b.goto(onlyOxelosund.url);
  await b.reload();
  const listed = b.locator('a.case-link').filter({ hasText: 'Rutinen saknas' });
  await listed.waitFor();
  assert.equal(await b.locator('a.case-link').count(), 1);
  await listed.click();
  await b.getByRole('alert').filter({ hasText: 'inte känner till' }).waitFor();
  assert.ok(await b.getByRole('button', { name: 'Exportera okrypterat …' }).isVisible(), 'it can be exported');
  assert.equal(await b.locator('a[href$="/report"], a[href$="/police"]').count(), 0, 'no report without the routine');

  for (const list of foreign) assert.deepEqual(list, []);
});
