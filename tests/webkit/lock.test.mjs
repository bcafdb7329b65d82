// Safari's engine: the PIN lock (WebKitGTK offers no passkey here). At the first start a PIN is
// chosen instead of "Senare"; a case is recorded; after a reload the lock screen asks for the PIN,
// and the case is there once it is typed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { choosePin, startCase, rowButton, hasStatus, servedBrowser } from './webdriver.mjs';

const PIN = '493817';

test('a PIN chosen at the first start; reload, the lock screen, unlock, the case is there', async (t) => {
  const { served, s } = await servedBrowser(t);
  await s.navigate(served.url);
  await s.waitFor('h1, h2', { text: 'Skydda ärendena på telefonen', timeout: 30000 });
  // No passkey is offered where the browser has no WebAuthn PRF.
  const buttons = await s.evaluate(() => [...document.querySelectorAll('button')].map((b) => b.innerText.trim()));
  assert.ok(!buttons.some((b) => /nyckel/.test(b)), `no passkey button: ${JSON.stringify(buttons)}`);
  await choosePin(s, PIN);
  const lock = await s.evaluate(() => JSON.parse(localStorage.getItem('stodrutin.lock')));
  assert.equal(lock.unprotected, undefined, 'no unwrapped key');

  const caseUrl = await startCase(s);
  await rowButton(s, '3.1.1-a', 'Klar');
  await hasStatus(s, '3.1.1-a', 'done');

  await s.refresh();
  await s.waitFor('h1, h2', { text: 'Stödrutin är låst', timeout: 30000 });
  assert.equal((await s.findAll('li[data-row]')).length, 0, 'nothing of the case shows');
  assert.equal((await s.findAll('a[href="tel:112"]')).length, 1, 'the call to 112 is on the lock screen');
  await (await s.find('#unlock-secret')).sendKeys(PIN);
  await s.clickButton('Lås upp');
  await hasStatus(s, '3.1.1-a', 'done', 30000);
  assert.equal(await s.url(), caseUrl);
});
