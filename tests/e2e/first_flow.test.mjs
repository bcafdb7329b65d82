// The first flow: start a case at the scene, mark rows, reload, and find everything as it was.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launchProfile, openApp, row, hasStatus, watchForeignRequests, originOf } from './harness.mjs';

let served;
let browser;
let foreign;
before(async () => {
  served = await serveDist();
  browser = await launchProfile();
  foreign = watchForeignRequests(browser.context, originOf(served.url));
});
after(async () => {
  await browser?.close();
  await served?.close();
});



test('start a case in two taps, mark rows, reload and find them', async () => {
  const page = await browser.context.newPage();
  await openApp(page, served.url);

  // Two taps: "Nytt ärende", then "Starta ärendet" with the time already filled in as now.
  await page.getByRole('button', { name: 'Nytt ärende' }).click();
  const incident = await page.getByLabel('När hände det?').inputValue();
  assert.match(incident, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
  await page.getByRole('button', { name: 'Starta ärendet' }).click();

  await page.getByRole('heading', { level: 1, name: /Händelsen/ }).waitFor();
  assert.match(page.url(), /#\/case\/[0-9a-f]{32}$/);
  assert.equal(await page.locator('li.row').count(), 19);
  assert.match(await page.locator('.deadline').innerText(), /14 dagar kvar/);

  // Done now.
  await (await row(page, '3.1.1-a')).getByRole('button', { name: 'Klar' }).click();
  await hasStatus(page, '3.1.1-a', 'done');

  // Not applicable, with a reason.
  await (await row(page, '3.2.3-b')).getByRole('button', { name: 'Ej aktuell' }).click();
  await (await row(page, '3.2.3-b')).getByLabel('Skäl').fill('Ingen mediekontakt');
  await (await row(page, '3.2.3-b')).getByRole('button', { name: 'Spara' }).click();
  await hasStatus(page, '3.2.3-b', 'not-applicable');

  // A note.
  await (await row(page, '3.1.2-a')).getByRole('button', { name: 'Anteckning' }).click();
  await (await row(page, '3.1.2-a')).getByLabel('Anteckning').fill('Polisen ringd, ärendet kopplat till uppdraget');
  await (await row(page, '3.1.2-a')).getByRole('button', { name: 'Spara anteckningen' }).click();

  // Words typed in a note are not thrown away by the row's other buttons: tapped again,
  // "Anteckning" leaves them; "Klar" records the row and leaves the note open; "Ej aktuell" takes
  // them as the reason.
  const typing = await row(page, '3.1.3-a');
  await typing.getByRole('button', { name: 'Anteckning', exact: true }).click();
  await typing.getByLabel('Anteckning').fill('Kommunchefen ringd');
  await typing.getByRole('button', { name: 'Anteckning', exact: true }).click();
  assert.equal(await typing.getByLabel('Anteckning').inputValue(), 'Kommunchefen ringd');
  await typing.getByRole('button', { name: 'Klar' }).click();
  await hasStatus(page, '3.1.3-a', 'done');
  assert.equal(await typing.getByLabel('Anteckning').inputValue(), 'Kommunchefen ringd');
  await typing.getByRole('button', { name: 'Spara anteckningen' }).click();
  await typing.locator('.note-text').filter({ hasText: 'Kommunchefen ringd' }).waitFor();
  const reasoned = await row(page, '3.1.3-b');
  await reasoned.getByRole('button', { name: 'Anteckning', exact: true }).click();
  await reasoned.getByLabel('Anteckning').fill('Inte aktuellt här');
  await reasoned.getByRole('button', { name: 'Ej aktuell' }).click();
  assert.equal(await reasoned.getByLabel('Skäl').inputValue(), 'Inte aktuellt här');
  await reasoned.getByRole('button', { name: 'Spara', exact: true }).click();
  await hasStatus(page, '3.1.3-b', 'not-applicable');
  // A reason typed, then "Klar": the row is done, and the words stay, as a note.
  const changed = await row(page, '3.2.2-a');
  await changed.getByRole('button', { name: 'Ej aktuell' }).click();
  await changed.getByLabel('Skäl').fill('Gjordes ändå');
  await changed.getByRole('button', { name: 'Klar' }).click();
  await hasStatus(page, '3.2.2-a', 'done');
  assert.equal(await changed.getByLabel('Anteckning').inputValue(), 'Gjordes ändå');
  // With words typed, "Ändra tid" asks to save or cancel them first.
  await changed.getByRole('button', { name: 'Ändra tid' }).click();
  await changed.getByText('Spara eller avbryt det du har skrivit först.').waitFor();
  assert.equal(await changed.getByLabel('Anteckning').inputValue(), 'Gjordes ändå');
  await changed.getByRole('button', { name: 'Spara anteckningen' }).click();
  await changed.locator('.note-text').filter({ hasText: 'Gjordes ändå' }).waitFor();

  // Done, then reopened: a correction.
  await (await row(page, '3.2.1-a')).getByRole('button', { name: 'Klar' }).click();
  await (await row(page, '3.2.1-a')).getByRole('button', { name: 'Öppna igen' }).click();
  await hasStatus(page, '3.2.1-a', 'open');

  assert.match(await page.locator('.progress').innerText(), /14 av 19 punkter öppna/);

  await page.reload();
  await page.getByRole('heading', { level: 1, name: /Händelsen/ }).waitFor();
  await hasStatus(page, '3.1.1-a', 'done');
  await hasStatus(page, '3.2.3-b', 'not-applicable');
  assert.match(await (await row(page, '3.2.3-b')).innerText(), /Ingen mediekontakt/);
  await hasStatus(page, '3.2.1-a', 'open');
  assert.match(await (await row(page, '3.1.2-a')).locator('.note-text').innerText(), /Polisen ringd/);
  assert.match(await page.locator('.progress').innerText(), /14 av 19 punkter öppna/);

  // Closing the browser and opening it again: the case is in the list.
  await page.close();
  const again = await browser.context.newPage();
  await openApp(again, served.url);
  await again.locator('.case-link').first().waitFor();
  assert.match(await again.locator('.case-link').first().innerText(), /14 av 19 punkter öppna/);
  await again.locator('.case-link').first().click();
  await hasStatus(again, '3.1.1-a', 'done');
  await again.close();
});

test('a done time can be adjusted, and back goes back', async () => {
  const page = await browser.context.newPage();
  await openApp(page, served.url);
  await page.getByRole('button', { name: 'Nytt ärende' }).click();
  const incident = await page.getByLabel('När hände det?').inputValue();
  await page.getByRole('button', { name: 'Starta ärendet' }).click();
  const r = (await row(page, '3.2.2-a'));
  await r.getByRole('button', { name: 'Klar' }).click();
  await r.getByRole('button', { name: 'Ändra tid' }).click();
  // The incident's own minute is a valid done time (not before the incident, not in the future).
  await r.getByLabel('Klar').fill(incident);
  await r.getByRole('button', { name: 'Spara' }).click();
  assert.match(await r.locator('.status').innerText(), new RegExp(incident.replace('T', ' ')));

  // A time before the incident is refused with a message, and the stored time stays.
  await r.getByRole('button', { name: 'Ändra tid' }).click();
  await r.getByLabel('Klar').fill('2001-01-01T10:00');
  await r.getByRole('button', { name: 'Spara' }).click();
  assert.equal(await r.getByRole('alert').innerText(), 'Tiden ligger före händelsen. Kontrollera tiden, händelsens tid överst och telefonens klocka.');
  await page.reload();
  assert.match(await (await row(page, '3.2.2-a')).locator('.status').innerText(), new RegExp(incident.replace('T', ' ')));

  await page.goBack();
  await page.getByRole('button', { name: 'Starta ärendet' }).waitFor();
  await page.close();
});

test('no request of the whole session left the origin', () => {
  assert.deepEqual(foreign, []);
});
