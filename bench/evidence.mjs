// `make bench`, evidence: attaching a 5 MB photo (choose to hashed, and "Spara" to stored and
// listed), and a case with 20 MB of evidence exported unencrypted (tap to the download) and
// imported on a second phone (file chosen to the preview, and "Importera" to the case shown), and
// the same case in a locked export (the PIN forgotten) opened by the officer, at 1× and 4× CPU
// slowdown. The bytes are random (incompressible, as a JPEG is), labelled image/jpeg.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { launchProfile, openApp, startCase } from '../tests/e2e/harness.mjs';

const MB = 1_000_000;

/// Opens the case's evidence section.
async function openEvidence(page) {
  const section = page.locator('details#evidence');
  await section.waitFor({ state: 'attached' });
  if (!(await section.evaluate((d) => d.open))) await section.locator(':scope > summary').click();
}

/// Times, in the page, from the input's `change` event (the file handed to the app; Playwright's
/// own transfer of the bytes into the browser is not counted) until `selector` is in the DOM.
function timeFromChange(page, input, selector) {
  return page.evaluate(([input, selector]) => new Promise((done) => {
    document.querySelector(input).addEventListener('change', () => {
      const t0 = performance.now();
      // Long tasks before this (the harness handing the file to the page) are not the app's.
      window.__longTasksFrom = t0;
      const look = () => {
        if (document.querySelector(selector)) done(performance.now() - t0);
        else requestAnimationFrame(look);
      };
      look();
    }, { once: true, capture: true });
  }), [input, selector]);
}

/// Chooses a file in the evidence input: ms from the file given to the SHA-256 shown, then
/// "Spara": ms to the item listed (its bytes sealed and in IndexedDB, its event stored).
async function attach(page, name, bytes) {
  const before = await page.locator('li.evidence-entry').count();
  const input = 'input[data-testid=evidence-file]';
  const timing = timeFromChange(page, input, 'form.evidence-form code.sha256');
  // The listener is in place before the file is given.
  await page.waitForTimeout(50);
  await page.locator(input).setInputFiles({ name, mimeType: 'image/jpeg', buffer: bytes });
  const hashed = await timing;
  const t1 = performance.now();
  await page.locator('form.evidence-form').getByRole('button', { name: 'Spara' }).click();
  await page.locator('li.evidence-entry').nth(before).waitFor({ timeout: 60000 });
  return { hashed, stored: performance.now() - t1 };
}

/// Starts noting the page's longest main-thread task (Chromium's Long Tasks API: tasks over 50 ms),
/// in throttled time: how long the page could not answer a tap.
async function watchLongTasks(page) {
  await page.evaluate(() => {
    window.__longestTask = 0;
    window.__longTasksFrom = 0;
    window.__longTaskObserver?.disconnect();
    window.__longTaskObserver = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        if (entry.startTime >= window.__longTasksFrom) window.__longestTask = Math.max(window.__longestTask, entry.duration);
      }
    });
    window.__longTaskObserver.observe({ type: 'longtask' });
  });
}

async function longestTask(page) {
  // Entries are delivered after the task: give the observer a moment.
  await page.waitForTimeout(100);
  return Math.round(await page.evaluate(() => window.__longestTask));
}

async function throttled(context, page, rate, work) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
  try {
    return await work();
  } finally {
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    await cdp.detach();
  }
}

export async function benchEvidence({ add, served, runs = 3 }) {
  for (const rate of [1, 4]) {
    const phone = await launchProfile();
    const officer = await launchProfile();
    try {
      const page = await phone.context.newPage();
      await openApp(page, served.url);
      await startCase(page);
      await openEvidence(page);
      const attaches = [];
      for (let i = 0; i < runs; i += 1) {
        attaches.push(await throttled(phone.context, page, rate, () => attach(page, `IMG_${i}.jpg`, randomBytes(5 * MB))));
      }
      const med = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
      const slow = rate === 1 ? '' : `, ${rate}× CPU`;
      add(`attach a 5 MB photo: chosen to hashed${slow}`, Math.round(med(attaches.map((a) => a.hashed))), 'ms', null,
        `the input's change event to the SHA-256 shown (read, hashed a MiB at a time with a pause for the page between), in the page, median of ${runs}`);
      add(`attach a 5 MB photo: "Spara" to stored${slow}`, Math.round(med(attaches.map((a) => a.stored))), 'ms', null,
        `tap to the item listed: sealed, in IndexedDB (transaction complete), event stored; median of ${runs}`);
      // Up to 20 MB in all: one 5 MB file more than the runs made (runs = 3).
      for (let i = runs; i < 4; i += 1) await attach(page, `IMG_${i}.jpg`, randomBytes(5 * MB));

      await page.getByRole('button', { name: 'Exportera okrypterat …' }).click();
      const confirm = page.getByRole('button', { name: 'Jag förstår – exportera okrypterat' });
      await confirm.waitFor();
      const { ms: exportMs, path, longest: exportLongest } = await throttled(phone.context, page, rate, async () => {
        await watchLongTasks(page);
        const t0 = performance.now();
        const [download] = await Promise.all([page.waitForEvent('download', { timeout: 120000 }), confirm.click()]);
        const ms = performance.now() - t0;
        return { ms, path: await download.path(), longest: await longestTask(page) };
      });
      const file = await readFile(path);
      add(`export a case with 20 MB of evidence${slow}`, Math.round(exportMs), 'ms', null,
        `tap to the download event: every item read from IndexedDB, opened, checked, put in the tar (${(file.length / MB).toFixed(1)} MB); timed from Node`);
      add(`export it: longest main-thread task${slow}`, exportLongest, 'ms', null,
        'the longest task the page ran during the export (Long Tasks API): how long a tap could wait');

      const other = await officer.context.newPage();
      await openApp(other, served.url);
      await other.goto(`${served.url}#/import`);
      await other.locator('#import-file').waitFor({ state: 'attached' });
      const { readMs, commitMs, longest: importLongest } = await throttled(officer.context, other, rate, async () => {
        await watchLongTasks(other);
        const timing = timeFromChange(other, '#import-file', 'ul.import-evidence li');
        await other.waitForTimeout(50);
        await other.locator('#import-file').setInputFiles({ name: 'arende.tar', mimeType: 'application/x-tar', buffer: file });
        const readMs = await timing;
        const t1 = performance.now();
        await other.getByRole('button', { name: 'Importera', exact: true }).click();
        await other.locator('li.evidence-entry').first().waitFor({ state: 'attached', timeout: 120000 });
        const commitMs = performance.now() - t1;
        return { readMs, commitMs, longest: await longestTask(other) };
      });
      add(`import it: file chosen to the preview${slow}`, Math.round(readMs), 'ms', null,
        'the input\'s change event to the items listed: the tar read, the case checked, every item hashed against its event; in the page');
      add(`import it: confirm to the case shown${slow}`, Math.round(commitMs), 'ms', null,
        'tap to the case shown: every item sealed and stored in IndexedDB before the case is saved');
      add(`import it: longest main-thread task${slow}`, importLongest, 'ms', null,
        'the longest task the page ran from the file chosen to the case shown (Long Tasks API)');

      // The PIN forgotten: the phone, locked, hands the officer a locked export with the files;
      // the officer's phone opens them with its key.
      const rescuer = await launchProfile();
      try {
        const desk = await rescuer.context.newPage();
        await openApp(desk, served.url);
        await desk.goto(`${served.url}#/settings`);
        await desk.locator('#key-passphrase').fill('officerns egen lösenfras');
        await desk.locator('#key-passphrase-repeat').fill('officerns egen lösenfras');
        await Promise.all([desk.waitForEvent('download'), desk.getByRole('button', { name: 'Skapa min nyckel' }).click()]);
        const publicKey = (await desk.locator('#own-public-key').inputValue()).trim();
        await page.goto(`${served.url}#/settings`);
        await page.locator('#lock-secret').fill('493817');
        await page.locator('#lock-secret-repeat').fill('493817');
        await page.getByRole('button', { name: 'Sätt låset' }).click();
        await page.getByRole('button', { name: 'Lås nu' }).first().waitFor({ timeout: 60000 });
        await page.getByLabel('Säkerhetsansvarigs publika nyckel').fill(publicKey);
        await page.getByRole('button', { name: 'Spara', exact: true }).click();
        await page.getByText('En återställningskopia finns').waitFor();
        await page.locator('.top-bar').getByRole('button', { name: 'Lås nu' }).click();
        await page.getByText('Glömt PIN-koden?').click();
        const [download] = await Promise.all([
          page.waitForEvent('download', { timeout: 120000 }),
          page.getByRole('button', { name: 'Skicka låst kopia till säkerhetsansvarig' }).click(),
        ]);
        const locked = await readFile(await download.path());
        await desk.goto(`${served.url}#/import`);
        await desk.locator('#import-file').waitFor({ state: 'attached' });
        const { lockedMs, longest: lockedLongest } = await throttled(rescuer.context, desk, rate, async () => {
          await watchLongTasks(desk);
          const timing = timeFromChange(desk, '#import-file', 'ul.import-evidence li');
          await desk.waitForTimeout(50);
          await desk.locator('#import-file').setInputFiles({ name: 'last-kopia.tar', mimeType: 'application/x-tar', buffer: locked });
          const lockedMs = await timing;
          return { lockedMs, longest: await longestTask(desk) };
        });
        add(`locked export, 20 MB: chosen to the preview${slow}`, Math.round(lockedMs), 'ms', null,
          `the PIN forgotten, the officer's phone: the input's change event to the items listed, the recovery copy opened with the officer's key, every file opened and checked (${(locked.length / MB).toFixed(1)} MB)`);
        add(`locked export: longest main-thread task${slow}`, lockedLongest, 'ms', null,
          'the longest task the officer\'s page ran from the file chosen to the preview (Long Tasks API)');
      } finally {
        await rescuer.close();
      }
    } finally {
      await phone.close();
      await officer.close();
    }
  }
}
