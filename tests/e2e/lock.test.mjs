// Locked and encrypted at rest: a passkey lock (a virtual authenticator with the PRF extension),
// a PIN lock, nothing readable in storage, failed attempts that survive a reload, the idle and
// background locks, a draft kept across a lock, "Senare" then a PIN, and a forgotten PIN whose
// locked export the officer opens.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { serveDist, launchProfile, row, startCase, caseForm } from './harness.mjs';

const require = createRequire(import.meta.url);
const AXE = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');

let served;
let localhost;
before(async () => {
  served = await serveDist();
  // WebAuthn refuses the 127.0.0.1 origin; localhost is a secure context it accepts.
  localhost = served.url.replace('127.0.0.1', 'localhost');
});
after(async () => {
  await served?.close();
});

const PIN = '493817';
const REFERENCE = '5000-K123456-26';
const SUPPORT_NAME = 'Robin Stödsson';
const SUPPORT_PHONE = '0734445566';

const setupHeading = (page) => page.getByRole('heading', { name: 'Skydda ärendena på telefonen' });
const lockHeading = (page) => page.getByRole('heading', { name: 'Stödrutin är låst' });

async function setPin(page, pin = PIN) {
  await page.locator('#lock-secret').fill(pin);
  await page.locator('#lock-secret-repeat').fill(pin);
  await page.getByRole('button', { name: 'Sätt låset' }).click();
}

/// The first start's "Senare": the app opens unprotected, and says so.
async function startUnprotected(page) {
  await page.getByRole('button', { name: 'Senare – starta utan lås' }).click();
  await page.getByRole('link', { name: 'Inte skyddat – välj en PIN-kod' }).waitFor();
}

async function unlockWithPin(page, pin = PIN) {
  await page.locator('#unlock-secret').fill(pin);
  await page.getByRole('button', { name: 'Lås upp', exact: true }).click();
}

/// A new phone whose lock was just set with the PIN, on its first screen.
async function phoneWithPin() {
  const browser = await launchProfile();
  const page = await browser.context.newPage();
  await page.goto(served.url);
  await setupHeading(page).waitFor();
  await setPin(page);
  await page.getByRole('button', { name: 'Nytt ärende' }).waitFor();
  return { browser, page };
}

/// Records a police reference and a support person's name and phone.
async function recordSensitive(page) {
  await startCase(page);
  const report = await caseForm(page, 'report');
  await report.getByRole('button', { name: /Fyll i/ }).click();
  await report.getByLabel('Den utsattes beslut').selectOption('report');
  await report.getByLabel('Anmälans diarienummer').fill(REFERENCE);
  await report.getByRole('button', { name: 'Spara', exact: true }).click();
  await report.locator('.entry').filter({ hasText: REFERENCE }).waitFor();
  const support = await caseForm(page, 'support');
  await support.getByRole('button', { name: /Fyll i/ }).click();
  await support.locator('#support-chosen_name').fill(SUPPORT_NAME);
  await support.locator('#support-chosen_phone').fill(SUPPORT_PHONE);
  await support.locator('#support-consent').check();
  await support.getByRole('button', { name: 'Spara', exact: true }).click();
  await support.locator('.entry').filter({ hasText: SUPPORT_NAME }).waitFor();
  return page.url();
}

/// Every stored value, and whether any holds a secret as text, base64 (at each of the three
/// alignments) or hex.
async function storedValues(page) {
  return page.evaluate(() => Object.fromEntries(Object.entries(localStorage)));
}
function encodings(secret) {
  const bytes = Buffer.from(secret, 'utf8');
  const forms = [secret, bytes.toString('hex'), bytes.toString('hex').toUpperCase()];
  for (let skip = 0; skip < 3; skip += 1) {
    const b64 = Buffer.concat([Buffer.alloc(skip), bytes]).toString('base64');
    // Drop the characters that depend on the padding bytes and on what follows.
    forms.push(b64.slice(Math.ceil((skip * 4) / 3) + 1, -3));
  }
  return forms.filter((f) => f.length >= 6);
}
function assertNothingReadable(values, secrets) {
  const plain = new Set(['stodrutin.lock', 'stodrutin.lock.failures', 'stodrutin.prelock']);
  for (const [key, value] of Object.entries(values)) {
    if (!key.startsWith('stodrutin.')) continue;
    for (const secret of secrets) {
      for (const form of encodings(secret)) {
        assert.ok(!value.includes(form), `${key} holds ${secret} (as ${form})`);
      }
    }
    if (plain.has(key)) continue;
    const parsed = JSON.parse(value);
    assert.equal(parsed.schema, 3, `${key} is a sealed envelope`);
    assert.equal(typeof parsed.sealed, 'string', `${key} is a sealed envelope`);
    assert.deepEqual(Object.keys(parsed).sort(), ['schema', 'sealed'], `${key} holds nothing else`);
  }
}

test('a passkey lock: set up, record, reload, unlock with the passkey; nothing readable in storage', async () => {
  const browser = await launchProfile();
  const page = await browser.context.newPage();
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      ctap2Version: 'ctap2_1',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
      hasPrf: true,
    },
  });
  await page.goto(localhost);
  await setupHeading(page).waitFor();
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] }))
    .violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id));
  assert.deepEqual(violations, [], 'axe on the set-up screen');
  await page.getByRole('button', { name: 'Använd telefonens skärmlås (nyckel)' }).click();
  await page.getByRole('button', { name: 'Nytt ärende' }).waitFor();
  const caseUrl = await recordSensitive(page);

  const values = await storedValues(page);
  assertNothingReadable(values, [REFERENCE, SUPPORT_NAME, SUPPORT_PHONE]);
  assert.ok(JSON.parse(values['stodrutin.lock']).passkeys.length === 1);

  await page.goto(caseUrl);
  await page.reload();
  await lockHeading(page).waitFor();
  assert.equal(await page.locator('a[href="tel:112"]').count(), 1, 'the calls are on the lock screen');
  assert.doesNotMatch(await page.locator('body').innerText(), new RegExp(REFERENCE));
  await page.getByRole('button', { name: 'Lås upp med telefonens skärmlås' }).click();
  await (await caseForm(page, 'report')).locator('.entry').filter({ hasText: REFERENCE }).waitFor();

  // A lock with only the passkey is offered a PIN as a fallback, and then opens with either.
  await page.goto(new URL('#/settings', localhost).href);
  await page.getByRole('button', { name: 'Bekräfta med telefonens skärmlås' }).click();
  await page.getByTestId('add-secret-help').waitFor();
  await page.locator('#lock-new-secret').fill(PIN);
  await page.locator('#lock-new-secret-repeat').fill(PIN);
  await page.locator('.lock-settings').getByRole('button', { name: 'Lägg till', exact: true }).click();
  await page.getByText('Appen låses upp med en PIN-kod eller telefonens skärmlås (nyckel).').waitFor();
  assert.equal(await page.getByTestId('add-secret-help').count(), 0);
  await page.locator('.top-bar').getByRole('button', { name: 'Lås nu' }).click();
  await unlockWithPin(page);
  await page.goto(caseUrl);
  await (await caseForm(page, 'report')).locator('.entry').filter({ hasText: REFERENCE }).waitFor();
  await browser.close();
});

test('a PIN lock: record, reload, wrong PINs counted across a reload, unlock; the locks come on their own', async () => {
  const browser = await launchProfile();
  const page = await browser.context.newPage();
  await page.clock.install();
  await page.goto(served.url);
  await setupHeading(page).waitFor();
  // A guessable PIN is refused with its reason.
  await setPin(page, '123456');
  await page.locator('.lock-setup [role="alert"]').filter({ hasText: 'för lätt att gissa' }).waitFor();
  await setPin(page);
  await page.getByRole('button', { name: 'Nytt ärende' }).waitFor();
  const caseUrl = await recordSensitive(page);
  assertNothingReadable(await storedValues(page), [REFERENCE, SUPPORT_NAME, SUPPORT_PHONE, PIN]);

  await page.goto(caseUrl);
  await page.reload();
  await lockHeading(page).waitFor();
  for (let n = 1; n <= 5; n += 1) {
    await unlockWithPin(page, '000111');
    await page.locator('.unlock-message').filter({ hasText: `${n} misslyckade försök` }).waitFor();
  }
  // The counter and the wait are stored: a reload resets neither.
  await page.reload();
  await lockHeading(page).waitFor();
  await page.locator('.unlock-message').filter({ hasText: 'För många försök' }).waitFor();
  assert.equal(JSON.parse(await page.evaluate(() => localStorage.getItem('stodrutin.lock.failures'))).count, 5);
  await page.clock.fastForward('00:31');
  await page.locator('#unlock-secret').waitFor({ timeout: 5000 }).catch(async (err) => {
    throw new Error(`no PIN field after the wait: ${await page.locator('body').innerText()}`, { cause: err });
  });
  await unlockWithPin(page);
  await (await caseForm(page, 'report')).locator('.entry').filter({ hasText: REFERENCE }).waitFor();

  // Drafts typed before a lock are there after the unlock: a row's note, and a reason being
  // given in "Nu".
  await (await row(page, '3.1.2-a')).getByRole('button', { name: 'Anteckning' }).click();
  await (await row(page, '3.1.2-a')).getByLabel('Anteckning').fill('Halvskriven anteckning');
  const nowRow = page.locator('section.now li.now-row').first();
  const nowRowId = await nowRow.getAttribute('data-now-row');
  await nowRow.getByRole('button', { name: 'Ej aktuell' }).click();
  await nowRow.getByLabel('Skäl').fill('Halvskrivet skäl');
  await page.locator('.top-bar').getByRole('button', { name: 'Lås nu' }).click();
  await lockHeading(page).waitFor();
  assert.equal(await page.locator('textarea').count(), 0, 'the views are gone');
  await unlockWithPin(page);
  assert.equal(await (await row(page, '3.1.2-a')).getByLabel('Anteckning').inputValue(), 'Halvskriven anteckning');
  const nowRowBack = page.locator(`section.now li.now-row[data-now-row="${nowRowId}"]`);
  assert.equal(await nowRowBack.getByLabel('Skäl').inputValue(), 'Halvskrivet skäl');
  // Saved, the reason is no longer a draft.
  await nowRowBack.getByRole('button', { name: 'Spara' }).click();
  await nowRowBack.waitFor({ state: 'detached' });

  // A screen's own form is kept across a lock too, and dropped when the user leaves it unsaved:
  // the settings, and a new case's corrected time.
  const base = served.url.replace(/#.*$/, '');
  await page.goto(`${base}#/settings`);
  await page.locator('#settings-strategist-phone').fill('070-111 22 33');
  await page.locator('.top-bar').getByRole('button', { name: 'Lås nu' }).click();
  await lockHeading(page).waitFor();
  await unlockWithPin(page);
  assert.equal(await page.locator('#settings-strategist-phone').inputValue(), '070-111 22 33');
  await page.goto(`${base}#/new`);
  await page.locator('#incident-time').fill('2026-03-04T05:06');
  await page.locator('.top-bar').getByRole('button', { name: 'Lås nu' }).click();
  await lockHeading(page).waitFor();
  await unlockWithPin(page);
  assert.equal(await page.locator('#incident-time').inputValue(), '2026-03-04T05:06');
  await page.goto(`${base}#/settings`);
  assert.equal(await page.locator('#settings-strategist-phone').inputValue(), '', 'left unsaved, dropped');
  await page.goto(`${base}#/new`);
  assert.notEqual(await page.locator('#incident-time').inputValue(), '2026-03-04T05:06');
  // Left behind the lock screen (the back button while locked), a screen's draft is dropped
  // too: it does not come back later.
  await page.locator('#incident-time').fill('2026-03-04T05:06');
  await page.locator('.top-bar').getByRole('button', { name: 'Lås nu' }).click();
  await lockHeading(page).waitFor();
  await page.goBack();
  await unlockWithPin(page);
  await page.locator('#settings-strategist-phone').waitFor();
  await page.goto(`${base}#/new`);
  assert.notEqual(await page.locator('#incident-time').inputValue(), '2026-03-04T05:06', 'no stale time');
  // A change of the lock on the settings screen keeps what is typed there.
  await page.goto(`${base}#/settings`);
  await page.locator('#settings-strategist-phone').fill('070-444 55 66');
  await page.locator('#lock-current-secret').fill(PIN);
  await page.getByRole('button', { name: 'Bekräfta', exact: true }).click();
  const wipe = page.getByLabel('Radera allt efter 10 felaktiga försök');
  await wipe.check();
  await page.locator('[role="status"]').filter({ hasText: 'Låset är ändrat' }).waitFor({ state: 'attached' });
  await wipe.uncheck();
  assert.equal(await wipe.isChecked(), false);
  assert.equal(await page.locator('#settings-strategist-phone').inputValue(), '070-444 55 66');
  await page.goto(caseUrl);

  // Idle: five minutes without a touch lock the app.
  await page.clock.fastForward('05:10');
  await lockHeading(page).waitFor();
  await unlockWithPin(page);
  await (await row(page, '3.1.1-a')).waitFor();

  // Background: the cover is in the DOM at once when the page turns hidden; a minute hidden locks.
  const coveredAtOnce = await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
    const cover = document.getElementById('privacy-cover');
    return cover !== null && !cover.hidden;
  });
  assert.ok(coveredAtOnce, 'the cover is there synchronously');
  await page.clock.fastForward('01:05');
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
    document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
  });
  await lockHeading(page).waitFor();
  assert.ok(await page.evaluate(() => document.getElementById('privacy-cover').hidden));

  // A call the app opened (112 in the call bar), ten minutes long: no lock in it, nor at the
  // return; the idle rule counts from the return. (The phone app is not started here.)
  await unlockWithPin(page);
  await (await row(page, '3.1.1-a')).waitFor();
  await page.evaluate(() => document.addEventListener('click', (e) => {
    if (e.target.closest('a[href^="tel:"]')) e.preventDefault();
  }, true));
  await page.locator('a.call[href="tel:112"]').first().click();
  const setVisibility = (state) => page.evaluate((value) => {
    Object.defineProperty(document, 'visibilityState', { value, configurable: true });
    document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
  }, state);
  await setVisibility('hidden');
  await page.clock.fastForward('10:00');
  await setVisibility('visible');
  await page.clock.fastForward('00:20');
  assert.equal(await lockHeading(page).count(), 0, 'not locked at the return from the call');
  await (await row(page, '3.1.1-a')).waitFor();
  await page.clock.fastForward('05:10');
  await lockHeading(page).waitFor();
  await browser.close();
});

test('a change to the lock asks for the lock first: a wrong PIN counts as a failed attempt, the right one opens the changes', async () => {
  const { browser, page } = await phoneWithPin();
  // Right after setting it the lock can be changed at once; once locked and opened, not.
  await page.goto(new URL('#/settings', served.url).href);
  await page.locator('#lock-new-secret').waitFor();
  await page.locator('.top-bar').getByRole('button', { name: 'Lås nu' }).click();
  await unlockWithPin(page);
  await page.locator('#lock-current-secret').waitFor();
  // Whoever picks up the unlocked phone can lock it, not change the lock.
  await page.locator('.lock-settings').getByRole('button', { name: 'Lås nu' }).waitFor();
  assert.equal(await page.locator('.lock-settings summary').filter({ hasText: 'Stäng av låset' }).count(), 0);
  assert.equal(await page.locator('#lock-new-secret').count(), 0);
  assert.equal(await page.getByLabel('Radera allt efter 10 felaktiga försök').count(), 0);

  await page.locator('#lock-current-secret').fill('000111');
  await page.getByRole('button', { name: 'Bekräfta', exact: true }).click();
  await page.locator('.lock-settings [role="alert"]').filter({ hasText: '1 misslyckade försök' }).waitFor();
  assert.equal(JSON.parse(await page.evaluate(() => localStorage.getItem('stodrutin.lock.failures'))).count, 1, 'counted as an unlock attempt');
  assert.equal(await page.locator('#lock-new-secret').count(), 0, 'still closed');

  await page.locator('#lock-current-secret').fill(PIN);
  await page.getByRole('button', { name: 'Bekräfta', exact: true }).click();
  await page.locator('#lock-new-secret').waitFor();
  assert.equal(JSON.parse(await page.evaluate(() => localStorage.getItem('stodrutin.lock.failures'))).count, 0, 'the right PIN resets the count');
  await page.locator('.lock-settings summary').filter({ hasText: 'Stäng av låset' }).waitFor();
  await page.locator('#lock-new-secret').fill('582914');
  await page.locator('#lock-new-secret-repeat').fill('582914');
  await page.locator('.lock-settings').getByRole('button', { name: 'Byt', exact: true }).click();
  await page.getByText('Låset är ändrat', { exact: false }).waitFor({ state: 'attached' });
  await page.locator('.top-bar').getByRole('button', { name: 'Lås nu' }).click();
  await lockHeading(page).waitFor();
  await unlockWithPin(page, '582914');
  await page.getByRole('heading', { name: 'Inställningar' }).waitFor();
  // Locked and opened again, the settings ask again.
  await page.locator('#lock-current-secret').waitFor();
  assert.equal(await page.locator('#lock-new-secret').count(), 0);
  // The officer key too: the recovery copy would go to whoever's key is put there.
  const officerKey = officerPublicKey();
  await page.getByLabel('Säkerhetsansvarigs publika nyckel').fill(officerKey);
  await page.getByRole('button', { name: 'Spara', exact: true }).click();
  await page.locator('[role="alert"]').filter({ hasText: 'Nyckeln sparades inte' }).first().waitFor();
  assert.equal(JSON.parse(await page.evaluate(() => localStorage.getItem('stodrutin.lock'))).recovery, undefined, 'no recovery copy to that key');
  assert.equal(await page.getByLabel('Säkerhetsansvarigs publika nyckel').inputValue(), '', 'the key typed is not kept for a later save');
  await page.locator('#lock-current-secret').fill('582914');
  await page.getByRole('button', { name: 'Bekräfta', exact: true }).click();
  await page.locator('#lock-new-secret').waitFor();
  await page.waitForFunction(() => document.activeElement?.id === 'lock-new-secret');
  await page.getByLabel('Säkerhetsansvarigs publika nyckel').fill(officerKey);
  await page.getByRole('button', { name: 'Spara', exact: true }).click();
  await page.getByText('En återställningskopia finns').waitFor();
  await browser.close();
});

test('"Senare" starts at once; a PIN set later leaves no unwrapped key and re-seals everything', async () => {
  const browser = await launchProfile();
  const page = await browser.context.newPage();
  await page.goto(served.url);
  await startUnprotected(page);
  await recordSensitive(page);
  const before = await storedValues(page);
  assert.ok(JSON.parse(before['stodrutin.lock']).unprotected, 'the key lies unwrapped in "Senare"');
  assertNothingReadable(before, [REFERENCE, SUPPORT_NAME, SUPPORT_PHONE]);

  await page.getByRole('link', { name: 'Inte skyddat – välj en PIN-kod' }).click();
  // A number typed in the settings stays while the lock is set on the same screen.
  await page.locator('#settings-strategist-phone').fill('070-123 45 67');
  await setPin(page);
  await page.locator('.top-bar').getByRole('button', { name: 'Lås nu' }).waitFor();
  assert.equal(await page.getByRole('link', { name: 'Inte skyddat – välj en PIN-kod' }).count(), 0);
  assert.equal(await page.locator('#settings-strategist-phone').inputValue(), '070-123 45 67');
  const after = await storedValues(page);
  assert.equal(JSON.parse(after['stodrutin.lock']).unprotected, undefined, 'no unwrapped key remains');
  for (const [key, value] of Object.entries(after)) {
    if (key.startsWith('stodrutin.case.')) assert.notEqual(value, before[key], `${key} sealed anew`);
  }
  assertNothingReadable(after, [REFERENCE, SUPPORT_NAME, SUPPORT_PHONE, PIN]);
  await browser.close();
});

test('a damaged lock record: the calls stay, everything can be saved as stored, and starting over lets a new case begin', async () => {
  const { browser, page } = await phoneWithPin();
  await recordSensitive(page);
  // A picture taken at the scene: the start over removes it too, so the saved file holds it.
  await page.locator('details#evidence > summary').click();
  const picture = await page.screenshot({ clip: { x: 0, y: 0, width: 40, height: 30 } });
  await page.locator('input[data-testid=evidence-file]').setInputFiles({ name: 'IMG_0042.png', mimeType: 'image/png', buffer: picture });
  await page.locator('.evidence-form code.sha256').waitFor();
  await page.locator('.evidence-form').getByRole('button', { name: 'Spara', exact: true }).click();
  await page.locator('li.evidence-entry').waitFor();
  const itemRecords = await page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('stodrutin-items');
    open.onsuccess = () => {
      const db = open.result;
      const tx = db.transaction(db.objectStoreNames[0]);
      const store = tx.objectStore(db.objectStoreNames[0]);
      const keys = store.getAllKeys();
      const values = store.getAll();
      tx.oncomplete = () => {
        const b64 = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes)));
        resolve(keys.result.map((key, i) => [key, b64(values.result[i])]));
        db.close();
      };
      tx.onerror = () => reject(tx.error);
    };
    open.onerror = () => reject(open.error);
  }));
  assert.equal(itemRecords.length, 1, 'one evidence file is stored');
  const record = await page.evaluate(() => localStorage.getItem('stodrutin.lock'));
  const damaged = record.slice(0, Math.floor(record.length / 2));
  await page.evaluate((text) => localStorage.setItem('stodrutin.lock', text), damaged);
  const before = await storedValues(page);
  await page.goto(served.url);
  await page.reload();

  await page.getByRole('heading', { name: 'Låset går inte att läsa' }).waitFor();
  await page.locator('main [role="alert"]').filter({ hasText: 'Låsets uppgifter på enheten är skadade' }).waitFor();
  assert.equal(await page.locator('main a[href="tel:112"]').count(), 1, 'the emergency call is on the screen');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Spara allt som det är lagrat' }).click(),
  ]);
  const saved = JSON.parse(await readFile(await download.path(), 'utf8'));
  const ours = Object.fromEntries([
    ...Object.entries(before).filter(([key]) => key.startsWith('stodrutin.')),
    ...itemRecords.map(([key, b64]) => [`evidence/${key}`, b64]),
  ]);
  assert.deepEqual(saved, ours, 'every stored value and evidence file, exactly as stored');
  assert.equal(await page.locator('main [role="alert"].field-error').filter({ hasText: /\S/ }).count(), 0, 'nothing left out');
  assertNothingReadable(Object.fromEntries(Object.entries(saved).filter(([key]) => key !== 'stodrutin.lock')),
    [REFERENCE, SUPPORT_NAME, SUPPORT_PHONE]);
  assert.deepEqual(await storedValues(page), before, 'saving changed nothing');
  await page.getByRole('button', { name: 'Ladda om sidan' }).waitFor();

  await page.getByRole('button', { name: 'Radera allt på enheten' }).click();
  await page.locator('.confirm .warning').filter({ hasText: 'Spara först det som finns lagrat' }).waitFor();
  await page.getByRole('button', { name: 'Radera', exact: true }).click();
  await setupHeading(page).waitFor({ timeout: 10000 });
  const left = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('stodrutin.')));
  assert.deepEqual(left, [], 'nothing of the old data is left');
  await startUnprotected(page);
  await startCase(page);
  await browser.close();
});

test('a forgotten PIN: the wipe from the lock screen starts afresh, with nothing said of the attempts before it', async () => {
  const { browser, page } = await phoneWithPin();
  await page.locator('.top-bar').getByRole('button', { name: 'Lås nu' }).click();
  await lockHeading(page).waitFor();
  await unlockWithPin(page, '000111');
  await page.locator('.unlock-message').filter({ hasText: '1 misslyckade försök' }).waitFor();
  await page.getByText('Glömt PIN-koden?').click();
  await page.getByRole('button', { name: 'Radera allt på enheten' }).click();
  await page.getByRole('button', { name: 'Radera', exact: true }).click();
  await setupHeading(page).waitFor({ timeout: 10000 });
  assert.equal(await page.locator('[role="alert"]').filter({ hasText: /\S/ }).count(), 0, 'no alert on the first start');
  await browser.close();
});

test('a lock record from a newer version: nothing is offered to delete, and a reload is', async () => {
  const { browser, page } = await phoneWithPin();
  const record = JSON.parse(await page.evaluate(() => localStorage.getItem('stodrutin.lock')));
  record.version = 99;
  await page.evaluate((text) => localStorage.setItem('stodrutin.lock', text), JSON.stringify(record));
  await page.reload();
  await page.locator('main [role="alert"]').filter({ hasText: 'en nyare version av appen' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Radera allt på enheten' }).count(), 0);
  await Promise.all([
    page.waitForEvent('load'),
    page.getByRole('button', { name: 'Ladda om sidan' }).click(),
  ]);
  await page.locator('main [role="alert"]').filter({ hasText: 'en nyare version av appen' }).waitFor();
  await browser.close();
});

test('the language can be chosen on the lock offer and the lock screen, and the app opens in it', async () => {
  const browser = await launchProfile();
  const page = await browser.context.newPage();
  await page.goto(served.url);
  await setupHeading(page).waitFor();
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { name: 'Protect the cases on this phone' }).waitFor();
  await page.getByRole('button', { name: 'Later – start without a lock' }).click();
  await page.getByRole('button', { name: 'New case' }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  // Back to Swedish in the top bar, a PIN, a reload: the lock screen offers English again.
  await page.locator('.top-bar').getByRole('button', { name: 'Svenska' }).click();
  await page.getByRole('link', { name: 'Inte skyddat – välj en PIN-kod' }).click();
  await setPin(page);
  await page.locator('.top-bar').getByRole('button', { name: 'Lås nu' }).waitFor();
  await page.reload();
  await lockHeading(page).waitFor();
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { name: 'Stödrutin is locked' }).waitFor();
  await page.locator('#unlock-secret').fill(PIN);
  await page.getByRole('button', { name: 'Unlock', exact: true }).click();
  // Open (on the settings screen, where it was locked), in English: the profile took it.
  await page.locator('.top-bar').getByRole('button', { name: 'Svenska' }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  await page.reload();
  await page.getByRole('heading', { name: 'Stödrutin is locked' }).waitFor();
  await browser.close();
});

test('a PIN typed to set the lock, to unlock or wrongly is not left in the app\'s memory', async () => {
  const browser = await launchProfile();
  const page = await browser.context.newPage();
  // The wasm's memory, as Trunk's loader hands it over.
  await page.addInitScript(() => {
    addEventListener('TrunkApplicationStarted', (event) => { window.appMemory = event.detail.wasm.memory; });
  });
  // Long: a freed copy's first bytes are overwritten by the allocator's own pointers.
  const pin = '5820394671038264';
  const wrong = '7164028539172046';
  const inMemory = (digits) => page.evaluate((text) => {
    const bytes = new Uint8Array(window.appMemory.buffer);
    const wanted = new TextEncoder().encode(text);
    for (let at = bytes.indexOf(wanted[0]); at !== -1; at = bytes.indexOf(wanted[0], at + 1)) {
      if (wanted.every((byte, i) => bytes[at + i] === byte)) return true;
    }
    return false;
  }, digits);
  // The app reads a typed secret from its field only when it is used, into memory it wipes:
  // neither while typed nor after is it in the wasm's memory. (Kept in a signal, each typed
  // value was there, and its freed copies stayed until the memory was used again.)
  await page.goto(served.url);
  await setupHeading(page).waitFor();
  await page.locator('#lock-secret').fill(pin);
  await page.locator('#lock-secret-repeat').fill(pin);
  assert.equal(await inMemory(pin), false, 'not in memory while typed');
  await page.getByRole('button', { name: 'Sätt låset' }).click();
  await page.locator('.top-bar').getByRole('button', { name: 'Lås nu' }).click();
  await lockHeading(page).waitFor();
  assert.equal(await inMemory(pin), false, 'the PIN set is wiped');
  await page.locator('#unlock-secret').fill(wrong);
  assert.equal(await inMemory(wrong), false, 'not in memory while typed');
  await page.getByRole('button', { name: 'Lås upp', exact: true }).click();
  await page.locator('.unlock-message').filter({ hasText: '1 misslyckade försök' }).waitFor();
  assert.equal(await page.locator('#unlock-secret').inputValue(), '', 'the field is emptied after an attempt');
  await unlockWithPin(page, pin);
  await page.locator('.top-bar').getByRole('button', { name: 'Lås nu' }).waitFor();
  assert.equal(await inMemory(pin), false, 'the PIN unlocked with is wiped');
  assert.equal(await inMemory(wrong), false, 'a wrong PIN is wiped from memory');
  await browser.close();
});

test('two tabs: a PIN set in one locks the other, which keeps what was typed; an older tab\'s settings keep the officer\'s key', async () => {
  const browser = await launchProfile();
  const a = await browser.context.newPage();
  await a.goto(served.url);
  await startUnprotected(a);
  const caseUrl = await recordSensitive(a);
  await a.goto(new URL('#/settings', served.url).href);
  await a.locator('#settings-strategist-phone').fill('070-111 22 33');

  // The second tab sets a PIN: every value gets a new data key, which the first never held.
  const b = await browser.context.newPage();
  await b.goto(served.url);
  await b.getByRole('link', { name: 'Inte skyddat – välj en PIN-kod' }).click();
  await setPin(b);
  await b.locator('.top-bar').getByRole('button', { name: 'Lås nu' }).waitFor();

  // The first tab locks on its own, and shows nothing of the case.
  await lockHeading(a).waitFor();
  const shown = await a.evaluate(() => document.body.innerText);
  for (const secret of [REFERENCE, SUPPORT_NAME, '070-111 22 33']) assert.ok(!shown.includes(secret), `"${secret}" is not shown`);
  await unlockWithPin(a);
  await a.locator('#settings-strategist-phone').waitFor();
  assert.equal(await a.locator('#settings-strategist-phone').inputValue(), '070-111 22 33', 'what was typed is back');
  await a.goto(caseUrl);
  await a.locator('#case-heading').waitFor();
  await a.waitForFunction((reference) => document.body.textContent.includes(reference), REFERENCE);

  // The first tab has its settings open when the second stores the officer's key; the first
  // then saves a number and changes the idle time: the key and its recovery copy stay.
  const { officer, publicKey } = await officerWithKey();
  await officer.close();
  await a.goto(new URL('#/settings', served.url).href);
  await a.locator('#settings-strategist-phone').waitFor();
  await b.goto(new URL('#/settings', served.url).href);
  await b.getByLabel('Säkerhetsansvarigs publika nyckel').fill(publicKey);
  await b.getByRole('button', { name: 'Spara', exact: true }).click();
  await b.getByText('En återställningskopia finns').waitFor();
  await a.locator('#settings-strategist-phone').fill('070-999 88 77');
  await a.getByRole('button', { name: 'Spara', exact: true }).click();
  await a.getByText('Inställningarna är sparade').waitFor({ state: 'attached' });
  await a.locator('#lock-idle').selectOption('1');
  await a.getByText('En återställningskopia finns').waitFor();
  assert.ok(JSON.parse(await a.evaluate(() => localStorage.getItem('stodrutin.lock'))).recovery, 'the recovery copy is kept');
  await b.reload();
  await unlockWithPin(b);
  await b.goto(new URL('#/settings', served.url).href);
  assert.equal((await b.getByLabel('Säkerhetsansvarigs publika nyckel').inputValue()).trim(), publicKey);
  assert.equal(await b.locator('#settings-strategist-phone').inputValue(), '0709998877');
  assert.equal(await b.locator('#lock-idle').inputValue(), '1');
  await browser.close();
});

/// The failed attempts the lock screen says, once it says any.
async function failuresSaid(page) {
  const said = await page.waitForFunction(() => {
    const found = /(\d+) misslyckade försök/.exec(document.querySelector('.unlock-message')?.textContent ?? '');
    return found ? Number(found[1]) : null;
  }, null, { timeout: 15000 }).catch(async (err) => {
    throw new Error(`no failed attempts said: ${await page.locator('body').innerText()}`, { cause: err });
  });
  return said.jsonValue();
}

test('tabs: wrong PINs tried in several at the same moment are each counted', async () => {
  const { browser, page: first } = await phoneWithPin();
  const tabs = [first];
  for (let n = 1; n < 4; n += 1) {
    const tab = await browser.context.newPage();
    await tab.goto(served.url);
    await lockHeading(tab).waitFor();
    tabs.push(tab);
  }
  await first.locator('.top-bar').getByRole('button', { name: 'Lås nu' }).click();
  await lockHeading(first).waitFor();
  // Every tab taps "Lås upp" at the same moment (a timer set to one instant in each): each
  // attempt must read the counter the one before it stored, or a guess goes uncounted.
  for (const [n, tab] of tabs.entries()) await tab.locator('#unlock-secret').fill(`00011${n}`);
  const at = Date.now() + 500;
  await Promise.all(tabs.map((tab) => tab.evaluate((when) => new Promise((done, fail) => {
    setTimeout(() => {
      const button = [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Lås upp');
      if (!button) return fail(new Error(`no "Lås upp": ${document.body.innerText}`));
      button.click();
      return done();
    }, when - Date.now());
  }), at)));
  const said = await Promise.all(tabs.map(failuresSaid));
  assert.deepEqual(said.sort((x, y) => x - y), [1, 2, 3, 4], 'each tab says its own attempt');
  assert.equal(JSON.parse(await first.evaluate(() => localStorage.getItem('stodrutin.lock.failures'))).count, 4);
  await unlockWithPin(first);
  await first.getByRole('button', { name: 'Nytt ärende' }).waitFor();
  await browser.close();
});

test('two tabs: the lock turned off in one opens the other, locked meanwhile, with what was typed there', async () => {
  const browser = await launchProfile();
  const a = await browser.context.newPage();
  await a.goto(served.url);
  await setPin(a);
  await a.getByRole('button', { name: 'Nytt ärende' }).waitFor();
  const caseUrl = await recordSensitive(a);
  await a.goto(new URL('#/settings', served.url).href);
  await a.locator('#settings-strategist-phone').fill('070-222 33 44');

  // "Lås nu" in the second tab locks both; the second is unlocked again and turns the lock off.
  const b = await browser.context.newPage();
  await b.goto(served.url);
  await unlockWithPin(b);
  await b.locator('.top-bar').getByRole('button', { name: 'Lås nu' }).click();
  await lockHeading(a).waitFor();
  await unlockWithPin(b);
  await b.goto(new URL('#/settings', served.url).href);
  await b.locator('#lock-current-secret').fill(PIN);
  await b.getByRole('button', { name: 'Bekräfta', exact: true }).click();
  await b.locator('.lock-settings summary').filter({ hasText: 'Stäng av låset' }).click();
  await b.locator('.lock-settings').getByRole('button', { name: 'Stäng av låset' }).click();
  await b.getByRole('link', { name: 'Inte skyddat – välj en PIN-kod' }).waitFor();

  // The first tab opens on its own, reads its data, and has what was typed back.
  await a.locator('#settings-strategist-phone').waitFor();
  assert.equal(await a.locator('#settings-strategist-phone').inputValue(), '070-222 33 44', 'what was typed is back');
  await a.goto(caseUrl);
  await (await caseForm(a, 'report')).locator('.entry').filter({ hasText: REFERENCE }).waitFor();
  await a.goto(new URL('#/settings', served.url).href);
  await a.locator('#settings-strategist-phone').fill('070-222 33 45');
  await a.getByRole('button', { name: 'Spara', exact: true }).click();
  await a.getByText('Inställningarna är sparade').waitFor({ state: 'attached' });
  await browser.close();
});

test('a tab left in the background locks only itself: the tab in use keeps what is typed there', async () => {
  const browser = await launchProfile();
  const inUse = await browser.context.newPage();
  await inUse.goto(served.url);
  await setPin(inUse);
  await inUse.getByRole('button', { name: 'Nytt ärende' }).waitFor();
  const left = await browser.context.newPage();
  await left.clock.install();
  await left.goto(served.url);
  await unlockWithPin(left);
  await left.getByRole('button', { name: 'Nytt ärende' }).waitFor();

  await inUse.bringToFront();
  await inUse.goto(new URL('#/settings', served.url).href);
  await inUse.locator('#settings-strategist-phone').fill('070-555 66 77');
  await left.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
  });
  await left.clock.fastForward('01:05');
  await lockHeading(left).waitFor({ state: 'attached' });
  // "Lås nu" reaches another tab within milliseconds (see above); this lock must not.
  await inUse.waitForTimeout(1000);
  assert.equal(await lockHeading(inUse).count(), 0, 'the tab in use is still open');
  assert.equal(await inUse.locator('#settings-strategist-phone').inputValue(), '070-555 66 77');
  // "Lås nu" in the tab in use still locks every tab.
  await inUse.locator('.top-bar').getByRole('button', { name: 'Lås nu' }).click();
  await lockHeading(inUse).waitFor();
  await browser.close();
});

/// The officer's phone with its own key: the page, and the public key to give the support person.
async function officerWithKey() {
  const officer = await launchProfile();
  const page = await officer.context.newPage();
  await page.goto(served.url);
  await startUnprotected(page);
  await page.goto(new URL('#/settings', served.url).href);
  await page.locator('#key-passphrase').fill('officerns egen lösenfras');
  await page.locator('#key-passphrase-repeat').fill('officerns egen lösenfras');
  await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Skapa min nyckel' }).click()]);
  const publicKey = (await page.locator('#own-public-key').inputValue()).trim();
  return { officer, page, publicKey };
}

/// The support person's phone, locked with a PIN, holding the officer's key (so a recovery copy).
async function supportWithRecovery(publicKey) {
  const support = await launchProfile();
  const page = await support.context.newPage();
  await page.goto(served.url);
  await setPin(page);
  await page.getByRole('button', { name: 'Nytt ärende' }).waitFor();
  await page.goto(new URL('#/settings', served.url).href);
  await page.getByLabel('Säkerhetsansvarigs publika nyckel').fill(publicKey);
  await page.getByRole('button', { name: 'Spara', exact: true }).click();
  await page.getByText('En återställningskopia finns').waitFor();
  await page.goto(new URL('#/', served.url).href);
  return { support, page };
}

/// A new officer key pair from the standard age-keygen: its public key.
function officerPublicKey() {
  const made = spawnSync('age-keygen', [], { encoding: 'utf8' });
  assert.equal(made.status, 0, made.stderr);
  return made.stdout.match(/# public key: (age1[0-9a-z]+)/)[1];
}

test('a recovery copy storage refused to renew is said, never shown as the current one, also after a reload; saving again renews it', async () => {
  const [first, second] = [officerPublicKey(), officerPublicKey()];
  const support = await launchProfile();
  const page = await support.context.newPage();
  // Storage refuses the lock record's writes while the flag is set, as a full storage does.
  await page.addInitScript(() => {
    const setItem = Storage.prototype.setItem;
    Storage.prototype.setItem = function patched(key, value) {
      if (window.__refuseLockRecord && key === 'stodrutin.lock') {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      }
      return setItem.call(this, key, value);
    };
  });
  const recoveryTo = async () => JSON.parse(await page.evaluate(() => localStorage.getItem('stodrutin.lock'))).recovery?.to;
  const officerKey = page.getByLabel('Säkerhetsansvarigs publika nyckel');
  const save = () => page.getByRole('button', { name: 'Spara', exact: true }).click();
  const notRenewed = page.locator('p.help').filter({ hasText: 'krypterad till en annan nyckel' });
  await page.goto(served.url);
  await setPin(page);
  await page.getByRole('button', { name: 'Nytt ärende' }).waitFor();
  await page.goto(new URL('#/settings', served.url).href);
  await officerKey.fill(first);
  await save();
  await page.getByText('En återställningskopia finns').waitFor();
  assert.equal(await recoveryTo(), first);

  // A new officer key, and the record cannot be written: the settings are saved, the copy is not.
  await page.evaluate(() => { window.__refuseLockRecord = true; });
  await officerKey.fill(second);
  await save();
  await page.locator('[role="alert"]').filter({ hasText: 'Återställningskopian kunde inte förnyas' }).waitFor();
  await page.getByText('Inställningarna är sparade').waitFor({ state: 'attached' });
  await notRenewed.waitFor();
  assert.equal(await page.getByText('En återställningskopia finns').count(), 0, 'not shown as the current copy');
  assert.equal(await recoveryTo(), first, 'the record is as it was');

  // After a reload (the refusal gone with the page) the settings still say it.
  await page.reload();
  await unlockWithPin(page);
  await officerKey.waitFor();
  assert.equal(await officerKey.inputValue(), second);
  await notRenewed.waitFor();
  await save();
  await page.getByText('En återställningskopia finns').waitFor();
  assert.equal(await notRenewed.count(), 0);
  assert.equal(await recoveryTo(), second, 'the copy is sealed to the new key');
  await support.close();
});

/// Locks the phone and, the PIN forgotten, downloads the locked export.
async function lockedExport(page) {
  await page.locator('.top-bar').getByRole('button', { name: 'Lås nu' }).click();
  await lockHeading(page).waitFor();
  await page.getByText('Glömt PIN-koden?').click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Skicka låst kopia till säkerhetsansvarig' }).click(),
  ]);
  return download;
}

test('a forgotten PIN: the locked export opens on the officer\'s phone and shows the case', async () => {
  const { officer, page: b, publicKey } = await officerWithKey();
  const { support, page: a } = await supportWithRecovery(publicKey);
  await recordSensitive(a);
  const download = await lockedExport(a);
  const locked = await readFile(await download.path(), 'utf8');
  assert.equal(JSON.parse(locked).format, 'stodrutin-locked-export');
  assert.ok(!locked.includes(REFERENCE));

  await b.goto(new URL('#/import', served.url).href);
  await b.locator('#import-text').fill(locked);
  await b.getByRole('button', { name: 'Läs in texten' }).click();
  await b.locator('.preview').waitFor();
  await b.getByRole('button', { name: 'Importera' }).click();
  await (await caseForm(b, 'report')).locator('.entry').filter({ hasText: REFERENCE }).waitFor();
  await officer.close();
  await support.close();
});

test('a forgotten PIN: the locked export carries the evidence files, and the officer sees them checked', async () => {
  const { officer, page: b, publicKey } = await officerWithKey();
  const { support, page: a } = await supportWithRecovery(publicKey);
  await startCase(a);
  const section = a.locator('details#evidence');
  await section.locator(':scope > summary').click();
  // A picture taken at the scene: the app holds its only copy.
  const picture = await a.screenshot({ clip: { x: 0, y: 0, width: 40, height: 30 } });
  await a.locator('input[data-testid=evidence-file]').setInputFiles({ name: 'IMG_0042.png', mimeType: 'image/png', buffer: picture });
  await a.locator('.evidence-form code.sha256').waitFor();
  await a.locator('.evidence-form').getByRole('button', { name: 'Spara', exact: true }).click();
  await a.locator('li.evidence-entry').waitFor();

  const download = await lockedExport(a);
  assert.match(download.suggestedFilename(), /\.tar$/);
  const locked = await readFile(await download.path());
  assert.ok(locked.indexOf(picture.subarray(40, 72)) < 0, 'the picture travels sealed');

  await b.goto(new URL('#/import', served.url).href);
  await b.locator('#import-file').setInputFiles(await download.path());
  await b.locator('ul.import-evidence li').filter({ hasText: 'IMG_0042.png' }).waitFor();
  await b.getByRole('button', { name: 'Importera' }).click();
  const entry = b.locator('li.evidence-entry');
  await b.locator('details#evidence > summary').click();
  await entry.locator('p.evidence-check[data-check=verified]').waitFor();
  assert.equal(await entry.count(), 1);
  await officer.close();
  await support.close();
});
