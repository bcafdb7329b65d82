// Safari's engine (WebKitGTK's MiniBrowser through WebKitWebDriver): the first flow at the scene,
// the case kept across a reload, and an offline start once the service worker is in control.
// Each test has a browser of its own with a new profile, and a server of its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, startCase, rowButton, hasStatus, servedBrowser } from './webdriver.mjs';


/// The first screen lists the case; opening it shows the row done.
async function caseListedWithRowDone(s, caseUrl) {
  const id = caseUrl.split('/').pop();
  const link = await s.waitFor(`.case-link[href$="${id}"], a.case-link`, { timeout: 30000 });
  assert.match(await link.text(), /18 av 19 punkter öppna/);
  await link.click();
  await hasStatus(s, '3.1.1-a', 'done');
  assert.equal(await s.url(), caseUrl);
}

test('first flow: the lock offer, "Senare", a new case, a row done', async (t) => {
  const { served, s } = await servedBrowser(t);
  await openApp(s, served.url, { firstStart: true });
  const caseUrl = await startCase(s);
  assert.match(caseUrl, /#\/case\/[0-9a-f]{32}$/);
  assert.equal((await s.findAll('li.row')).length, 19);
  await rowButton(s, '3.1.1-a', 'Klar');
  await hasStatus(s, '3.1.1-a', 'done');
  const row = await s.find('li[data-row="3.1.1-a"]');
  assert.equal(await row.attribute('data-status'), 'done');
});

test('after a reload the row is still done and the case is listed', async (t) => {
  const { served, s } = await servedBrowser(t);
  await openApp(s, served.url, { firstStart: true });
  const caseUrl = await startCase(s);
  await rowButton(s, '3.1.1-a', 'Klar');
  await hasStatus(s, '3.1.1-a', 'done');

  await s.refresh();
  await s.waitFor('h1', { text: /Händelsen/, timeout: 30000 });
  await hasStatus(s, '3.1.1-a', 'done');

  await s.navigate(served.url);
  await caseListedWithRowDone(s, caseUrl);
});

test('offline: with the service worker in control, the app starts without the server', async (t) => {
  const { served, s } = await servedBrowser(t);
  await openApp(s, served.url, { firstStart: true });
  const caseUrl = await startCase(s);
  await rowButton(s, '3.1.1-a', 'Klar');
  await hasStatus(s, '3.1.1-a', 'done');

  // The first visit installs the worker; it controls the page from the next load on (or at once,
  // if it claims its clients).
  const controlled = () => s.waitUntil(() => navigator.serviceWorker.controller !== null, { timeout: 15000, what: 'a service worker controls the page' });
  await controlled().catch(async () => {
    await s.refresh();
    await controlled();
  });
  // The first screen says the app is ready for use with no network.
  await s.navigate(served.url);
  await s.waitFor('[data-offline="ready"]', { timeout: 30000 });

  // WebDriver cannot switch the network off: the server goes away instead.
  await served.close();
  await assert.rejects(fetch(served.url), 'the server is gone');

  await s.navigate(served.url);
  await caseListedWithRowDone(s, caseUrl);
  await s.refresh();
  await s.waitFor('h1', { text: /Händelsen/, timeout: 30000 });
  await hasStatus(s, '3.1.1-a', 'done');
});
