// Safari's engine: wrong PINs tried in several tabs at one instant are each counted (the unlock
// attempt holds a Web Lock across the failed-attempt counter's read and write; see
// src/platform/tab_lock.rs). As tests/e2e/lock.test.mjs does on Chromium.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { choosePin, servedBrowser } from './webdriver.mjs';

const PIN = '493817';
const TABS = 4;

test('tabs: wrong PINs tried in several at the same moment are each counted', async (t) => {
  const { served, s } = await servedBrowser(t);
  await s.navigate(served.url);
  await choosePin(s, PIN);
  assert.ok(await s.evaluate(() => typeof navigator.locks?.request === 'function'), 'WebKit has Web Locks');
  const first = await s.cmd('GET', '/window');
  const tabs = [first];
  for (let n = 1; n < TABS; n += 1) {
    const { handle } = await s.cmd('POST', '/window/new', { type: 'tab' });
    await s.cmd('POST', '/window', { handle });
    await s.navigate(served.url);
    await s.waitFor('h1, h2', { text: 'Stödrutin är låst', timeout: 30000 });
    tabs.push(handle);
  }
  await s.cmd('POST', '/window', { handle: first });
  await s.clickButton('Lås nu');
  await s.waitFor('h1, h2', { text: 'Stödrutin är låst' });

  // Each tab gets its wrong PIN and a timer that taps "Lås upp" at one instant for all.
  const at = Date.now() + 1000 * TABS + 2000;
  for (const [n, handle] of tabs.entries()) {
    await s.cmd('POST', '/window', { handle });
    await (await s.waitFor('#unlock-secret')).sendKeys(`00011${n}`);
    await s.evaluate((when) => {
      setTimeout(() => {
        [...document.querySelectorAll('button')].find((b) => b.innerText.trim() === 'Lås upp').click();
      }, when - Date.now());
    }, at);
  }
  await new Promise((done) => setTimeout(done, Math.max(0, at - Date.now()) + 500));
  const said = [];
  for (const handle of tabs) {
    await s.cmd('POST', '/window', { handle });
    const message = await s.waitFor('.unlock-message', { text: /\d+ misslyckade försök/ });
    said.push(Number(/(\d+) misslyckade/.exec(await message.text())[1]));
  }
  assert.deepEqual(said.sort((x, y) => x - y), Array.from({ length: TABS }, (_, n) => n + 1), 'each tab says its own attempt');
  const failures = await s.evaluate(() => JSON.parse(localStorage.getItem('stodrutin.lock.failures')).count);
  assert.equal(failures, TABS);
  // The lock was let go: the right PIN opens the app in the last tab.
  await (await s.find('#unlock-secret')).sendKeys(PIN);
  await s.clickButton('Lås upp');
  await s.waitFor('button', { text: 'Nytt ärende', timeout: 30000 });
});
