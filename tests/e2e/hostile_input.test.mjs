// Hostile input refused by name, with nothing changed: a case file edited to break the rules of
// recording (with its digest recomputed, as a forger would), and a low-order officer key.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { serveDist, launchProfile, openApp, row, hasStatus, startCase } from './harness.mjs';

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

/// The digest rule of docs/case-file-format.md: SHA-256 of the file's JSON without `sha256`,
/// members in file order, no white space (JSON.stringify keeps insertion order).
function withDigest(file) {
  const { sha256, ...content } = file;
  return { ...content, sha256: createHash('sha256').update(JSON.stringify(content)).digest('hex') };
}

async function exportedCase(page) {
  await startCase(page);
  await (await row(page, '3.1.1-a')).getByRole('button', { name: 'Anteckning' }).click();
  await (await row(page, '3.1.1-a')).getByLabel('Anteckning').fill('Kort anteckning');
  await (await row(page, '3.1.1-a')).getByRole('button', { name: 'Spara anteckningen' }).click();
  await (await row(page, '3.1.1-a')).locator('.note-text').waitFor();
  await page.getByRole('button', { name: 'Exportera okrypterat …' }).click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Jag förstår – exportera okrypterat' }).click(),
  ]);
  const { readFile } = await import('node:fs/promises');
  return JSON.parse(await readFile(await download.path(), 'utf8'));
}

async function importText(page, text) {
  await page.goto(new URL('#/import', served.url).href);
  await page.getByRole('heading', { name: 'Importera ärende' }).waitFor();
  await page.locator('#import-text').fill(text);
  const t0 = Date.now();
  await page.getByRole('button', { name: 'Läs in texten' }).click();
  return t0;
}

test('an edited case file that breaks the rules is refused naming the event, and nothing changes', async () => {
  const page = await browser.context.newPage();
  await openApp(page, served.url);
  const file = await exportedCase(page);
  const storedBefore = await page.evaluate(() => JSON.stringify(Object.entries(localStorage).sort()));

  // 100,000 characters of markup in the note.
  const noteAt = file.events.findIndex((e) => e.payload.type === 'note_added');
  const markup = structuredClone(file);
  markup.events[noteAt].payload.text = '<img src=x onerror=alert(1)>'.repeat(3572).slice(0, 100000);
  const t0 = await importText(page, JSON.stringify(withDigest(markup)));
  const alert = page.locator('.import [role="alert"]');
  await alert.filter({ hasText: `registrering nr ${noteAt + 1}` }).waitFor({ timeout: 5000 });
  assert.match(await alert.innerText(), /Texten är för lång/);
  assert.ok(Date.now() - t0 < 5000, 'answered at once');
  assert.equal(await page.locator('.preview').count(), 0, 'no preview, nothing to confirm');

  // One event five years ahead.
  const future = structuredClone(file);
  const later = new Date(Date.now() + 5 * 365 * 24 * 3600 * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
  future.events[noteAt].at = later;
  await importText(page, JSON.stringify(withDigest(future)));
  await alert.filter({ hasText: `registrering nr ${noteAt + 1}` }).waitFor({ timeout: 5000 });
  assert.match(await alert.innerText(), /framtiden|future/i);

  // A phone whose clock ran half an hour ahead is not refused (a note this device does not
  // hold yet: the same event id with other content would be a contradiction).
  const ahead = structuredClone(file);
  ahead.events[noteAt].id = 'f'.repeat(32);
  ahead.events[noteAt].at = new Date(Date.now() + 30 * 60 * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
  await importText(page, JSON.stringify(withDigest(ahead)));
  await page.locator('.preview').waitFor({ timeout: 5000 }).catch(async (err) => {
    throw new Error(`no preview; the app said: ${await alert.innerText()}`, { cause: err });
  });

  const storedAfter = await page.evaluate(() => JSON.stringify(Object.entries(localStorage).sort()));
  assert.equal(storedAfter, storedBefore, 'nothing stored changed');
  await page.close();
});

test('a low-order officer key is refused where it is entered, and nothing is sealed to it', async () => {
  const page = await browser.context.newPage();
  await openApp(page, served.url);
  await page.goto(new URL('#/settings', served.url).href);
  const field = page.getByLabel('Säkerhetsansvarigs publika nyckel');
  // 32 zero bytes: X25519 with it gives an all-zero secret, so anyone could open the file.
  await field.fill('age1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq5cu47z');
  await page.getByRole('button', { name: 'Spara', exact: true }).click();
  await page.locator('.settings [role="alert"]').filter({ hasText: 'Den här nyckeln är ogiltig' }).waitFor();
  const settings = await page.evaluate(() => localStorage.getItem('stodrutin.settings'));
  assert.ok(!settings || !settings.includes('age1qqqq'), 'the key is not stored');
  await page.goto(served.url);
  await startCase(page);
  assert.equal(await page.getByRole('button', { name: 'Kryptera och skicka till säkerhetsansvarig' }).count(), 0);
  await page.close();
});
