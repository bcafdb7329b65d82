// Never lose a case: two tabs on one case, a page killed mid-session, and deleting only after a
// confirmation and a countdown that can be cancelled.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { serveDist, launchProfile, openApp, row, hasStatus, startCase, caseForm } from './harness.mjs';

let served;
let browser;
before(async () => {
  served = await serveDist();
  browser = await launchProfile();
});
after(async () => {
  await browser?.close();
  await served?.close();
});

/// The events of the case shown, as the app read them from storage (the stored values are
/// sealed): the timeline lists every one.
const storedEvents = async (page) => {
  await page.reload();
  await page.locator('.timeline summary').click();
  await page.locator('.timeline-list > li').first().waitFor();
  return page.locator('.timeline-list > li').count();
};

test('two tabs appending to one case both keep their events', async () => {
  const a = await browser.context.newPage();
  await openApp(a, served.url);
  await startCase(a);
  const caseUrl = a.url();
  const b = await browser.context.newPage();
  await b.goto(caseUrl);
  await (await row(b, '3.1.1-a')).waitFor();

  await (await row(a, '3.1.1-a')).getByRole('button', { name: 'Klar' }).click();
  await hasStatus(a, '3.1.1-a', 'done');
  await (await row(b, '3.2.1-a')).getByRole('button', { name: 'Klar' }).click();
  await hasStatus(b, '3.2.1-a', 'done');
  // Each tab sees the other's change without a reload (storage events).
  await hasStatus(b, '3.1.1-a', 'done');
  await hasStatus(a, '3.2.1-a', 'done');
  await (await row(a, '3.2.2-a')).getByRole('button', { name: 'Klar' }).click();
  await (await row(b, '3.2.2-b')).getByRole('button', { name: 'Klar' }).click();
  await hasStatus(a, '3.2.2-b', 'done');

  for (const page of [a, b]) {
    await page.reload();
    for (const id of ['3.1.1-a', '3.2.1-a', '3.2.2-a', '3.2.2-b']) await hasStatus(page, id, 'done');
  }
  assert.equal(await storedEvents(a), 5);
  await a.close();
  await b.close();
});

test('a sheet changed in two tabs keeps both changes: only what was changed in a form is saved', async () => {
  const a = await browser.context.newPage();
  await openApp(a, served.url);
  await startCase(a);
  const caseUrl = a.url();
  const fill = async (page, label, value) => {
    const form = await caseForm(page, 'incident');
    await form.getByRole('button', { name: /Fyll i|Ändra/ }).click();
    await form.getByLabel(label).fill(value);
    return form;
  };
  // Tab A opens the sheet and types the place; meanwhile tab B records who was affected.
  const formA = await fill(a, 'Var hände det?', 'Stadshuset');
  const b = await browser.context.newPage();
  await b.goto(caseUrl);
  const formB = await fill(b, 'Vem drabbades?', 'Kim Ledamot');
  await formB.getByRole('button', { name: 'Spara', exact: true }).click();
  await formB.locator('.entry').filter({ hasText: 'Kim Ledamot' }).waitFor();
  await formA.locator('.entry').filter({ hasText: 'Kim Ledamot' }).waitFor();
  // A's save changes the place only: B's name stays.
  await formA.getByRole('button', { name: 'Spara', exact: true }).click();
  await formA.locator('.entry').filter({ hasText: 'Stadshuset' }).waitFor();
  assert.match(await formA.locator('.entry').innerText(), /Kim Ledamot/);
  await b.reload();
  const entry = (await caseForm(b, 'incident')).locator('.entry');
  await entry.filter({ hasText: 'Stadshuset' }).waitFor();
  assert.match(await entry.innerText(), /Kim Ledamot/);
  await a.close();
  await b.close();
});

test('a page killed mid-session loses nothing recorded before the kill', async () => {
  const page = await browser.context.newPage();
  await openApp(page, served.url);
  await startCase(page);
  const caseUrl = page.url();
  await (await row(page, '3.1.2-a')).getByRole('button', { name: 'Klar' }).click();
  await hasStatus(page, '3.1.2-a', 'done');
  await (await row(page, '3.1.3-a')).getByRole('button', { name: 'Anteckning' }).click();
  await (await row(page, '3.1.3-a')).getByLabel('Anteckning').fill('Den utsatte vill anmäla');
  await (await row(page, '3.1.3-a')).getByRole('button', { name: 'Spara anteckningen' }).click();
  await (await row(page, '3.1.3-a')).locator('.note-text').waitFor();

  // The renderer dies at once: no unload, no chance to flush anything.
  const cdp = await browser.context.newCDPSession(page);
  const crashed = page.waitForEvent('crash', { timeout: 10000 });
  cdp.send('Page.crash').catch(() => {}); // never answers: the target is gone
  await crashed;

  const again = await browser.context.newPage();
  await again.goto(caseUrl);
  await hasStatus(again, '3.1.2-a', 'done');
  assert.equal(await (await row(again, '3.1.3-a')).locator('.note-text').innerText(), 'Den utsatte vill anmäla');
  await again.close();
});

test('deleting a case asks, names what goes, counts down, and can be cancelled', async () => {
  const page = await browser.context.newPage();
  await openApp(page, served.url);
  await startCase(page);
  await (await row(page, '3.2.3-a')).getByRole('button', { name: 'Klar' }).click();
  await hasStatus(page, '3.2.3-a', 'done');
  const caseKey = await page.evaluate(() => `stodrutin.case.${location.hash.split('/').pop()}`);

  await page.getByRole('button', { name: 'Radera ärendet från enheten' }).click();
  assert.match(await page.locator('.confirm .warning').innerText(), /Ärendet om händelsen \d{4}-\d{2}-\d{2} \d{2}:\d{2}, med 2 registreringar, raderas/);
  await page.getByRole('button', { name: 'Radera', exact: true }).click();
  assert.match(await page.locator('.countdown').innerText(), /Raderas om [45] s/);
  await page.getByRole('button', { name: 'Avbryt' }).click();
  await page.waitForTimeout(6000);
  assert.notEqual(await page.evaluate((k) => localStorage.getItem(k), caseKey), null, 'cancelled: still stored');

  await page.getByRole('button', { name: 'Radera ärendet från enheten' }).click();
  await page.getByRole('button', { name: 'Radera', exact: true }).click();
  await page.getByRole('button', { name: 'Nytt ärende' }).waitFor({ timeout: 10000 });
  assert.equal(await page.evaluate((k) => localStorage.getItem(k), caseKey), null);
  await page.close();
});

test('the first screen shows storage use and wipes everything only after the countdown', async () => {
  const page = await browser.context.newPage();
  await openApp(page, served.url);
  assert.match(await page.locator('.storage-used').innerText(), /^Ärendena använder \d+ kB av cirka 5120 kB\.$/);
  assert.match(await page.locator('.storage').innerText(), /Webbläsaren (har lovat|kan rensa)/);
  const cases = await page.locator('.case-link').count();
  assert.ok(cases > 0);
  await page.getByRole('button', { name: 'Radera allt på enheten' }).click();
  assert.match(await page.locator('.confirm .warning').innerText(), new RegExp(`Alla ${cases} ärenden \\(${cases} ej exporterade\\)`));
  await page.getByRole('button', { name: 'Radera', exact: true }).click();
  // Nothing is left, the lock included: the app offers the lock again, as at the first start.
  await page.getByRole('heading', { name: 'Skydda ärendena på telefonen' }).waitFor({ timeout: 10000 });
  const left = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('stodrutin.')));
  assert.deepEqual(left, []);
  await page.getByRole('button', { name: 'Senare – starta utan lås' }).click();
  await page.getByText('Inga ärenden på den här enheten.').waitFor({ timeout: 10000 });
  await page.close();
});

test('a damaged case opened by its link says it is unreadable and kept, and exports it raw', async () => {
  const page = await browser.context.newPage();
  await openApp(page, served.url);
  const id = '0123456789abcdef0123456789abcdef';
  const damaged = '{"schema":2,"case":{"id":"0123456789abcdef0123456789abcdef","events":{"e1":{"id":"e1","at":"2026-';
  await page.evaluate(([key, raw]) => localStorage.setItem(key, raw), [`stodrutin.case.${id}`, damaged]);
  await page.goto(new URL(`#/case/${id}`, served.url).href);
  await page.reload();
  const alert = page.locator('main [role="alert"]').filter({ hasText: 'kunde inte läsas' });
  await alert.waitFor();
  assert.match(await alert.innerText(), /ligger kvar orört/);
  assert.doesNotMatch(await page.locator('main').innerText(), /finns inte på den här enheten/);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Exportera ärendet som det är' }).click(),
  ]);
  const exported = JSON.parse(await readFile(await download.path(), 'utf8'));
  assert.equal(exported[`stodrutin.case.${id}`], damaged, 'the raw export holds the stored text as it is');
  assert.equal(await page.evaluate((k) => localStorage.getItem(k), `stodrutin.case.${id}`), damaged, 'kept untouched');
  await page.evaluate((k) => localStorage.removeItem(k), `stodrutin.case.${id}`);
  await page.close();
});

test('a damaged profile is kept aside and announced, and a new one takes its place', async () => {
  const page = await browser.context.newPage();
  await openApp(page, served.url);
  const cut = '{"device_id":"abc","ro';
  await page.evaluate((raw) => localStorage.setItem('stodrutin.profile', raw), cut);
  await page.reload();
  await page.locator('[role="alert"]').filter({ hasText: 'kunde inte läsas' }).waitFor();
  const stored = await page.evaluate(() => Object.fromEntries(Object.entries(localStorage)));
  const aside = Object.keys(stored).filter((k) => k.startsWith('stodrutin.aside.device-profile.'));
  assert.equal(aside.length, 1, 'the damaged profile is kept aside');
  // Kept sealed like every value; the raw export gives the copy as stored, sealed (never opened).
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Exportera oläsbara data' }).click(),
  ]);
  const exported = JSON.parse(await readFile(await download.path(), 'utf8'));
  assert.equal(exported[aside[0]], stored[aside[0]]);
  assert.ok(!exported[aside[0]].includes('device_id'), 'nothing in the clear');
  await page.close();
});
