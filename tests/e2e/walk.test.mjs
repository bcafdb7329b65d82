// The whole routine at the scene, as an initial support person, on a 360×740 phone and on a
// 320 px one: settings and one-tap calls, every section's records, bad input, English and back,
// reloads, the timeline; axe-core on every screen finds no serious or critical violation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launchProfile, openApp, row, hasStatus, startCase, watchForeignRequests, originOf, caseForm, seriousViolations } from './harness.mjs';

let served;
before(async () => {
  served = await serveDist();
});
after(async () => {
  await served?.close();
});

/// axe-core on the page: fails on any serious or critical violation, naming the screen.
async function checkAxe(page, screen) {
  assert.deepEqual(await seriousViolations(page), [], `axe on ${screen}`);
}

/// Nothing wider than the screen: no sideways scrolling.
async function fitsWidth(page, width, screen) {
  const scroll = await page.evaluate(() => document.scrollingElement.scrollWidth);
  assert.ok(scroll <= width, `${screen}: ${scroll} px wide on a ${width} px screen`);
}

function form(page, id) {
  return page.locator(`section[data-form="${id}"]`);
}

async function openForm(page, id) {
  await (await caseForm(page, id)).getByRole('button', { name: /Fyll i|Ändra|Lägg till|Fill in|Change|Add/ }).click();
}

async function saveForm(page, id) {
  await (await caseForm(page, id)).getByRole('button', { name: /^(Spara|Save)$/ }).click();
}

async function formError(page, id, text) {
  await (await caseForm(page, id)).locator('[role="alert"]').filter({ hasText: text }).waitFor({ timeout: 5000 });
}

async function entryShows(page, id, text) {
  await (await caseForm(page, id)).locator('.entry').filter({ hasText: text }).first().waitFor({ timeout: 5000 });
}

/// A `datetime-local` value `minutes` from now, in the browser's time zone.
async function localInput(page, minutes) {
  return page.evaluate((m) => {
    const d = new Date(Date.now() + m * 60000);
    const pad = (n) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
  }, minutes);
}

const HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>';

for (const viewport of [{ width: 360, height: 740 }, { width: 320, height: 640 }]) {
  test(`the whole routine at ${viewport.width}×${viewport.height}`, async () => {
    const phone = await launchProfile({ viewport, colorScheme: viewport.width === 320 ? 'dark' : 'light' });
    const foreign = watchForeignRequests(phone.context, originOf(served.url));
    try {
      const page = await phone.context.newPage();
      page.setDefaultTimeout(8000);
      page.on('dialog', (dialog) => dialog.dismiss());
      await openApp(page, served.url);
      await checkAxe(page, 'home');
      await fitsWidth(page, viewport.width, 'home');

      // Who am I, remembered on the device.
      await page.getByRole('link', { name: 'Vem är jag?' }).click();
      await page.getByLabel('Initialt stöd / ombud').check();
      await page.getByLabel('Ditt namn (frivilligt)').fill('Ali');
      await checkAxe(page, 'profile');
      await page.getByRole('button', { name: 'Spara' }).click();
      await page.getByRole('button', { name: 'Nytt ärende' }).waitFor();

      // Settings: the numbers for one-tap calls; letters are refused.
      await page.getByRole('link', { name: 'Inställningar' }).click();
      await page.getByLabel('Partiets säkerhetsansvarig, telefon').fill('ring Eva');
      await page.getByRole('button', { name: 'Spara', exact: true }).click();
      await page.locator('.settings [role="alert"]').filter({ hasText: 'Ange ett telefonnummer med siffror' }).waitFor();
      await page.getByLabel('Partiets säkerhetsansvarig, telefon').fill('070-111 22 33');
      await page.getByLabel('Kommunens säkerhetsstrateg, telefon').fill('0155-38 000');
      await page.getByRole('button', { name: 'Spara', exact: true }).click();
      await page.getByText('Inställningarna är sparade').waitFor({ state: 'attached' });
      await checkAxe(page, 'settings');
      await fitsWidth(page, viewport.width, 'settings');

      await page.getByRole('link', { name: 'Stödrutin' }).click();
      await page.getByRole('button', { name: 'Nytt ärende' }).click();
      await checkAxe(page, 'new case');
      await page.getByRole('button', { name: 'Starta ärendet' }).click();
      await page.getByRole('heading', { level: 1, name: /Händelsen/ }).waitFor();
      const caseUrl = page.url();

      // One-tap calls.
      const calls = page.locator('nav.calls');
      assert.equal(await calls.getByRole('link', { name: /Ring nödnumret/ }).getAttribute('href'), 'tel:112');
      assert.equal(await calls.getByRole('link', { name: /Ring polisen/ }).getAttribute('href'), 'tel:11414');
      assert.equal(await calls.getByRole('link', { name: /säkerhetsansvarig/ }).getAttribute('href'), 'tel:0701112233');
      assert.equal(await calls.getByRole('link', { name: /säkerhetsstrateg/ }).getAttribute('href'), 'tel:015538000');

      // The incident: where, what kind (more than one), a description, who. Hostile text stays text.
      await openForm(page, 'incident');
      await form(page, 'incident').getByLabel('Var hände det?').fill(HOSTILE);
      await form(page, 'incident').getByLabel('Hot').check();
      await form(page, 'incident').getByLabel('Trakasserier').check();
      await form(page, 'incident').getByLabel('Kort beskrivning').fill('x'.repeat(10000));
      await saveForm(page, 'incident');
      await formError(page, 'incident', 'Texten är för lång. Högst 4000 tecken.');
      assert.equal(await form(page, 'incident').locator('.entry').count(), 0, 'nothing recorded');
      await form(page, 'incident').getByLabel('Kort beskrivning').fill('Hotfulla meddelanden efter mötet, sedan följd till bilen.');
      await form(page, 'incident').getByLabel('Vem drabbades?').fill('Kim, ledamot i KS');
      await checkAxe(page, 'case with a form open');
      await saveForm(page, 'incident');
      await entryShows(page, 'incident', 'Hot, Trakasserier');
      await entryShows(page, 'incident', HOSTILE);
      assert.equal(await page.evaluate(() => window.__pwned), undefined);

      // 3.1.1 / 3.1.2: officer informed, assessment, strategist, police with the link stated.
      await (await row(page, '3.1.1-a')).getByRole('button', { name: 'Klar' }).click();
      await hasStatus(page, '3.1.1-a', 'done');
      await openForm(page, 'officer');
      const officer = form(page, 'officer');
      await officer.getByRole('button', { name: /^Nu.*Partiets säkerhetsansvarig informerades/ }).click();
      await officer.getByLabel('Informerad av').fill('Ali');
      await officer.getByLabel('Säkerhetsansvarigs bedömning').fill('Allvarligt, polisen kontaktas.');
      await officer.getByLabel('Kommunens säkerhetsstrateg', { exact: true }).selectOption('contacted');
      await officer.getByLabel('Polisen', { exact: true }).selectOption('contacted');
      await officer.getByLabel('Kopplingen till det politiska uppdraget framfördes till polisen').check();
      // A time before the incident is refused.
      await officer.getByLabel('Säkerhetsstrategen kontaktad').fill(await localInput(page, -24 * 60));
      await saveForm(page, 'officer');
      await formError(page, 'officer', 'Tiden ligger före händelsen');
      await officer.getByRole('button', { name: /^Nu.*Säkerhetsstrategen kontaktad/ }).click();
      await saveForm(page, 'officer');
      await entryShows(page, 'officer', 'Allvarligt, polisen kontaktas.');

      // 3.1.3: the decision on a police report, its reference, access protection, the link.
      await openForm(page, 'report');
      await form(page, 'report').getByLabel('Den utsattes beslut').selectOption('report');
      await form(page, 'report').getByLabel('Anmälans diarienummer').fill('5000-K111-26');
      await form(page, 'report').getByLabel('Åtkomstskydd begärdes').check();
      await form(page, 'report').getByLabel('Kopplingen till det politiska uppdraget angavs').check();
      await saveForm(page, 'report');
      await entryShows(page, 'report', '5000-K111-26');

      // Reload in the middle: everything is there, on the same screen.
      await page.reload();
      await entryShows(page, 'report', 'Åtkomstskydd begärdes');
      await entryShows(page, 'incident', 'Kim, ledamot i KS');
      assert.equal(page.url(), caseUrl);

      // 3.2.1: who supports now; the chosen support person needs consent and a real number.
      await openForm(page, 'support');
      const support = form(page, 'support');
      await support.getByLabel('Vem ger initialt stöd nu?').fill('Ali');
      await support.getByLabel('Vald stödperson: namn').fill('Robin');
      await support.getByLabel('Relation till den utsatte').fill('Partikollega');
      await support.getByLabel('Stödpersonens telefon').fill('abc');
      await saveForm(page, 'support');
      await formError(page, 'support', 'Ange ett telefonnummer med siffror');
      await support.getByLabel('Stödpersonens telefon').fill('073-444 55 66');
      await saveForm(page, 'support');
      await formError(page, 'support', 'sparas bara med samtycke');
      await support.getByLabel(/samtycker/).check();
      await saveForm(page, 'support');
      await entryShows(page, 'support', '0734445566');

      // 3.2.2: company, who and from when to when; an end before the start is refused.
      await openForm(page, 'company');
      const company = form(page, 'company');
      await company.getByLabel('Vem gav sällskap?').fill('Ali');
      await company.getByLabel('Till eller i väntan på').selectOption('care');
      await company.getByLabel('Från', { exact: true }).fill(await localInput(page, 3));
      await company.getByLabel('Till', { exact: true }).fill(await localInput(page, 1));
      await saveForm(page, 'company');
      await formError(page, 'company', 'Sluttiden ligger före starttiden');
      await company.getByLabel('Till', { exact: true }).fill('');
      await saveForm(page, 'company');
      await entryShows(page, 'company', 'Sjukvård');

      // 3.2.3: who was informed, by whom, what; the reminder that only necessary information goes out.
      assert.match(await (await caseForm(page, 'inform')).locator('.reminder').innerText(), /Endast nödvändig information/);
      await openForm(page, 'inform');
      await form(page, 'inform').getByLabel('Partikollegor').check();
      await form(page, 'inform').getByLabel('Massmedia').check();
      await form(page, 'inform').getByLabel('Informerade av').fill('Partiets säkerhetsansvarig');
      await form(page, 'inform').getByLabel('Vad sades?').fill('Att en händelse inträffat och att polisen har underrättats.');
      await saveForm(page, 'inform');
      await entryShows(page, 'inform', 'Partikollegor, Massmedia');

      // 3.2.4: the talk's date (not before the incident), documentation, needs, occupational health.
      await openForm(page, 'followup');
      const followup = form(page, 'followup');
      await followup.getByLabel('Samtalet hålls eller hölls').fill(await localInput(page, -3 * 24 * 60));
      await saveForm(page, 'followup');
      await formError(page, 'followup', 'Tiden ligger före händelsen');
      await followup.getByLabel('Samtalet hålls eller hölls').fill(await localInput(page, 7 * 24 * 60));
      await followup.getByLabel('Behov av professionellt stöd').fill('Samtal med företagshälsovården.');
      await followup.getByLabel('Stöd via företagshälsovården').selectOption('ordered');
      await saveForm(page, 'followup');
      await entryShows(page, 'followup', 'Beställt');
      assert.match(await page.locator('.booked').innerText(), /Uppföljande samtal:/);
      assert.match(await page.locator('.deadline').innerText(), /1[34] dagar kvar/);
      await checkAxe(page, 'case, every section recorded');
      await fitsWidth(page, viewport.width, 'case');

      // English and back: the same records, in English words.
      await page.getByRole('button', { name: 'English' }).click();
      await page.getByRole('heading', { name: 'About the incident' }).waitFor();
      await entryShows(page, 'incident', 'Threat, Harassment');
      await entryShows(page, 'followup', 'Ordered');
      await checkAxe(page, 'case in English');
      await page.reload();
      await page.getByRole('heading', { name: 'About the incident' }).waitFor();
      await page.getByRole('button', { name: 'Svenska' }).click();
      await page.getByRole('heading', { name: 'Om händelsen' }).waitFor();

      // The timeline: every record in order, with who recorded it.
      await page.locator('.timeline summary').click();
      const timeline = page.locator('.timeline-list');
      await timeline.locator('li').first().waitFor();
      const timelineText = await timeline.innerText();
      for (const expected of ['Ärendet startades', 'Om händelsen', 'Polisanmälan', 'Sällskap', 'Information till målgrupper', 'Uppföljande samtal', 'Initialt stöd / ombud (Ali)']) {
        assert.ok(timelineText.includes(expected), `timeline lacks ${expected}`);
      }
      assert.ok((await timeline.locator('li').count()) >= 9);
      await checkAxe(page, 'timeline');

      // A correction is a new record: the sheet shows the latest, the timeline both.
      await openForm(page, 'report');
      await form(page, 'report').getByLabel('Anmälans diarienummer').fill('5000-K222-26');
      await saveForm(page, 'report');
      await entryShows(page, 'report', '5000-K222-26');
      assert.equal(await form(page, 'report').locator('.entry').count(), 1);

      // The other screens.
      await page.getByRole('link', { name: 'Rapport för utskrift' }).click();
      await page.locator('article.report').waitFor();
      assert.match(await page.locator('article.report').innerText(), /5000-K222-26/);
      await checkAxe(page, 'report');
      await fitsWidth(page, viewport.width, 'report');
      await page.goto(new URL('#/import', served.url).href);
      await page.getByRole('heading', { name: 'Importera ärende' }).waitFor();
      await checkAxe(page, 'import');
      await page.goto(served.url);
      await page.locator('.case-link').first().waitFor();
      assert.match(await page.locator('.case-link').first().innerText(), /punkter öppna/);
      await checkAxe(page, 'home with a case');

      // Back through the screens with the phone's back button.
      await page.goBack();
      await page.getByRole('heading', { name: 'Importera ärende' }).waitFor();
      await page.goBack();
      await page.locator('article.report').waitFor();
      await page.goBack();
      await page.getByRole('heading', { name: 'Om händelsen' }).waitFor();

      // A final reload: every section still as recorded.
      await page.reload();
      for (const [id, text] of [['incident', 'Trakasserier'], ['officer', 'Kontaktad för bedömning'], ['report', '5000-K222-26'], ['support', 'Robin'], ['company', 'Sjukvård'], ['inform', 'Massmedia'], ['followup', 'Samtal med företagshälsovården.']]) {
        await entryShows(page, id, text);
      }
      assert.deepEqual(foreign, []);
    } finally {
      await phone.close();
    }
  });
}
