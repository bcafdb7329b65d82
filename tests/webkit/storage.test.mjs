// Safari's engine: a full storage. Local storage is filled by script until it refuses more (as
// the Chromium browser test in tests/web.rs does); the next thing recorded is kept in the app, the
// storage-full message says it is not saved, and once space is freed "Försök spara igen" saves it:
// after a reload nothing is lost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, startCase, rowButton, hasStatus, servedBrowser } from './webdriver.mjs';

const FULL = 'Lagringen på telefonen är full. Det du registrerade finns kvar i appen men är inte sparat. Frigör utrymme och försök igen.';

/// Fills local storage with 256 kB pieces, then 512-byte ones, until a write is refused; returns
/// the filler keys and the name of the refusal.
function fillStorage() {
  const keys = [];
  let refusal = null;
  // Down to single characters: whatever room is left is less than any write the app makes.
  for (const size of [256 * 1024, 4096, 512, 64, 8, 1]) {
    const chunk = 'f'.repeat(size);
    for (let n = 0; ; n += 1) {
      const key = `filler.${size}.${n}`;
      try {
        localStorage.setItem(key, chunk);
      } catch (err) {
        refusal = err.name;
        break;
      }
      keys.push(key);
    }
  }
  return { keys, refusal };
}

test('a full storage: the message, the event kept in the app, saved on retry, nothing lost', async (t) => {
  const { served, s } = await servedBrowser(t);
  await openApp(s, served.url, { firstStart: true });
  // WebKitGTK cannot be asked to keep the data (no navigator.storage): the first screen says the
  // browser may clear it.
  await s.waitFor('.storage', { text: /Webbläsaren kan rensa appens data/ });
  const caseUrl = await startCase(s);
  await rowButton(s, '3.1.1-a', 'Klar');
  await hasStatus(s, '3.1.1-a', 'done');

  const { keys, refusal } = await s.evaluate(fillStorage);
  assert.ok(keys.length > 0, 'storage took something');
  assert.equal(refusal, 'QuotaExceededError');

  // Recorded into a full storage: shown, kept in the app, and said to be unsaved.
  await rowButton(s, '3.2.1-a', 'Klar');
  const alert = await s.waitFor('div.alert[role="alert"]', { text: FULL });
  assert.equal((await alert.text()).trim(), FULL);
  await hasStatus(s, '3.2.1-a', 'done');
  await s.waitFor('.badge', { text: 'Inte sparat' });

  // Space freed, saved on retry.
  await s.evaluate((fillers) => fillers.forEach((k) => localStorage.removeItem(k)), keys);
  await s.clickButton('Försök spara igen');
  await s.waitUntil(() => document.querySelector('div.alert[role="alert"]').innerText.trim() === '', { what: 'the alert is gone' });
  await s.waitUntil(() => ![...document.querySelectorAll('.badge')].some((b) => b.innerText.includes('Inte sparat')), { what: '"Inte sparat" is gone' });

  await s.refresh();
  await s.waitFor('h1', { text: /Händelsen/, timeout: 30000 });
  assert.equal(await s.url(), caseUrl);
  await hasStatus(s, '3.1.1-a', 'done');
  await hasStatus(s, '3.2.1-a', 'done');
});
