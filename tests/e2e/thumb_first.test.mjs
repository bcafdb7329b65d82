// Thumb-first at the scene: every top-bar control readable at 320 and 360 px; on a 360×640 phone
// the first screen of a new case holds the incident's time, the call to 112 and "Nu"'s first
// "Klar"; "Nu" moves on as rows are recorded; a finished section folds to one line; "Visa bara
// mina" narrows the case to the user's role; the page's height is measured (and printed for the
// record); axe-core finds no serious or critical violation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launchProfile, openApp, row, startCase, hasStatus, seriousViolations } from './harness.mjs';

let served;
before(async () => {
  served = await serveDist();
});
after(async () => {
  await served?.close();
});

/// Each control of the top bar: its text cut (scrollWidth over clientWidth) names it.
async function truncatedTopBarControls(page) {
  return page.evaluate(() => [...document.querySelectorAll('.top-bar a, .top-bar button')]
    .filter((el) => el.scrollWidth > el.clientWidth + 1 || el.getBoundingClientRect().right > window.innerWidth)
    .map((el) => `${el.textContent.trim()}: ${el.scrollWidth} > ${el.clientWidth}`));
}

async function pageHeight(page) {
  return page.evaluate(() => document.documentElement.scrollHeight);
}

/// Whether the element lies wholly inside the first screen (the viewport, not scrolled).
async function onFirstScreen(page, locator) {
  const box = await locator.boundingBox();
  const { height, width } = page.viewportSize();
  return box !== null && box.y >= 0 && box.y + box.height <= height && box.x >= 0 && box.x + box.width <= width;
}

for (const width of [320, 360]) {
  test(`no top-bar control is cut at ${width} px, in Swedish and English`, async () => {
    const phone = await launchProfile({ viewport: { width, height: 640 } });
    try {
      const page = await phone.context.newPage();
      await openApp(page, served.url);
      assert.deepEqual(await truncatedTopBarControls(page), [], 'home, Swedish');
      await startCase(page);
      assert.deepEqual(await truncatedTopBarControls(page), [], 'case, Swedish');
      await page.getByRole('button', { name: 'English' }).click();
      await page.getByRole('button', { name: 'Svenska' }).waitFor();
      assert.deepEqual(await truncatedTopBarControls(page), [], 'case, English');
      for (const control of await page.locator('.top-bar a, .top-bar button').all()) {
        const box = await control.boundingBox();
        assert.ok(box.height >= 44 && box.width >= 44, `a touch target of ${box.width}×${box.height}`);
      }
    } finally {
      await phone.close();
    }
  });
}

test('a new case at 360×640: time, 112 and "Nu" on the first screen; "Nu" moves on; sections fold', async () => {
  const phone = await launchProfile({ viewport: { width: 360, height: 640 } });
  try {
    const page = await phone.context.newPage();
    await openApp(page, served.url);
    await startCase(page);
    await page.evaluate(() => window.scrollTo(0, 0));

    const now = page.locator('section.now');
    const firstDone = now.locator('li.now-row').first().getByRole('button', { name: 'Klar' });
    assert.ok(await onFirstScreen(page, page.locator('#case-heading')), 'the incident\'s time');
    assert.ok(await onFirstScreen(page, page.locator('a[href="tel:112"]')), 'the call to 112');
    assert.ok(await onFirstScreen(page, firstDone), '"Nu"\'s first "Klar"');
    assert.match(await page.locator('.case-clock .since').innerText(), /för \d+ min sedan/);
    assert.match(await page.locator('.case-clock .deadline').innerText(), /Uppföljande samtal senast/);

    const newCaseHeight = await pageHeight(page);
    console.log(`# page height of a new case at 360 px: ${newCaseHeight} px`);
    assert.ok(newCaseHeight <= 5000, `a new case is ${newCaseHeight} px high`);
    assert.deepEqual(await seriousViolations(page), [], 'axe on a new case');

    // "Nu": the first open rows in the routine's order; "Klar" there records the row and the
    // next one comes up.
    const nowRows = () => now.locator('li.now-row').evaluateAll((rows) => rows.map((r) => r.dataset.nowRow));
    assert.deepEqual(await nowRows(), ['3.1.1-a', '3.1.1-b', '3.1.1-c']);
    await firstDone.click();
    await hasStatus(page, '3.1.1-a', 'done');
    await now.locator('li.now-row[data-now-row="3.1.2-a"]').waitFor();
    assert.deepEqual(await nowRows(), ['3.1.1-b', '3.1.1-c', '3.1.2-a']);

    // "Ej aktuell" there asks for the reason first.
    const b = now.locator('li.now-row[data-now-row="3.1.1-b"]');
    await b.getByRole('button', { name: 'Ej aktuell' }).click();
    await b.getByLabel('Skäl').fill('Bedömningen gjordes på plats');
    // "Klar" with a reason typed asks to save or cancel it first: the row would leave "Nu" with it.
    await b.getByRole('button', { name: 'Klar' }).click();
    await b.getByText('Spara eller avbryt det du har skrivit först.').waitFor();
    assert.equal(await b.getByLabel('Skäl').inputValue(), 'Bedömningen gjordes på plats');
    await b.getByRole('button', { name: 'Spara' }).click();
    await hasStatus(page, '3.1.1-b', 'not-applicable');

    // The last row of 3.1.1: the section folds to one line with its count; the next one opens.
    const section311 = page.locator('details#section-3-1-1');
    assert.equal(await section311.evaluate((d) => d.open), true);
    await now.locator('li.now-row[data-now-row="3.1.1-c"]').getByRole('button', { name: 'Klar' }).click();
    await hasStatus(page, '3.1.1-c', 'done');
    await page.waitForFunction(() => !document.querySelector('details#section-3-1-1').open);
    assert.match(await section311.locator(':scope > summary').innerText(), /3\.1\.1 Åtgärd\s+3 av 3 klara/);
    assert.equal(await page.locator('details#section-3-1-2').evaluate((d) => d.open), true);
    // A tap opens it again.
    await section311.locator(':scope > summary').click();
    assert.equal(await section311.evaluate((d) => d.open), true);
    await section311.locator(':scope > summary').click();

    // 3.1 done (3.1.1–3.1.3): the height of the page then.
    // (Each tap after reading the next row: a second tap at the same place within a third of a
    // second is taken as the end of a double tap, below.)
    for (const id of ['3.1.2-a', '3.1.3-a', '3.1.3-b', '3.1.3-c']) {
      await page.waitForTimeout(400);
      await now.locator(`li.now-row[data-now-row="${id}"]`).getByRole('button', { name: 'Klar' }).click();
      await hasStatus(page, id, 'done');
    }
    console.log(`# page height with 3.1 done at 360 px: ${await pageHeight(page)} px`);
    assert.deepEqual(await nowRows(), ['3.2.1-a', '3.2.1-b', '3.2.2-a']);

    // A double tap on "Klar" records that row only: the next row, which comes up under the
    // finger, stays open.
    await page.waitForTimeout(400);
    await now.locator('li.now-row[data-now-row="3.2.1-a"]').getByRole('button', { name: 'Klar' }).dblclick();
    await hasStatus(page, '3.2.1-a', 'done');
    await page.waitForTimeout(300);
    assert.equal(await page.locator('li[data-row="3.2.1-b"]').getAttribute('data-status'), 'open');
    assert.deepEqual(await nowRows(), ['3.2.1-b', '3.2.2-a', '3.2.2-b']);

    // The index jumps to a section and opens it.
    await page.locator('nav.section-index').getByRole('button', { name: /^3\.2\.4/ }).click();
    assert.equal(await page.locator('details#section-3-2-4').evaluate((d) => d.open), true);

    // A chip that has the focus keeps it while something that changes no count is recorded
    // (here a note, in another tab of the app).
    await page.locator('nav.section-index').getByRole('button', { name: /^3\.2\.4/ }).focus();
    const other = await phone.context.newPage();
    await other.goto(page.url());
    const noted = await row(other, '3.1.2-a');
    await noted.getByRole('button', { name: 'Anteckning' }).click();
    await noted.getByLabel('Anteckning').fill('Polisen ringd');
    await noted.getByRole('button', { name: 'Spara anteckningen' }).click();
    await page.locator('li[data-row="3.1.2-a"] .note-text').waitFor({ state: 'attached' });
    assert.match(await page.evaluate(() => document.activeElement?.textContent ?? ''), /^3\.2\.4 · /);
    await other.close();
  } finally {
    await phone.close();
  }
});

test('"Visa bara mina" shows only the rows of the user\'s role, and marks them', async () => {
  const phone = await launchProfile({ viewport: { width: 360, height: 640 } });
  try {
    const page = await phone.context.newPage();
    await openApp(page, served.url);
    await page.getByRole('link', { name: 'Vem är jag?' }).click();
    await page.getByLabel('Kommunchefen').check();
    await page.getByRole('button', { name: 'Spara' }).click();
    await startCase(page);

    // Rows where the municipal chief is responsible (3.1.3) carry the mark.
    const mine = await page.locator('li.row[data-mine="true"]').evaluateAll((rows) => rows.map((r) => r.dataset.row));
    assert.deepEqual(mine, ['3.1.3-a', '3.1.3-b', '3.1.3-c']);

    const toggle = page.getByRole('button', { name: 'Visa bara mina' });
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
    const nowRows = await page.locator('section.now li.now-row').evaluateAll((rows) => rows.map((r) => r.dataset.nowRow));
    assert.deepEqual(nowRows, ['3.1.3-a', '3.1.3-b', '3.1.3-c']);
    assert.equal(await page.locator('section.now .badge.mine').count(), 3);
    // Only the chief's section is left, its rows the only ones.
    const shownSections = await page.locator('details.routine-section:not([hidden])').evaluateAll((s) => s.map((d) => d.id));
    assert.deepEqual(shownSections, ['section-3-1-3']);
    const shownRows = await page.locator('li.row:not([hidden])').evaluateAll((rows) => rows.map((r) => r.dataset.row));
    assert.deepEqual(shownRows, ['3.1.3-a', '3.1.3-b', '3.1.3-c']);
    assert.deepEqual(await seriousViolations(page), [], 'axe with "Visa bara mina"');

    await toggle.click();
    assert.equal(await page.locator('li.row:not([hidden])').count(), 19);
  } finally {
    await phone.close();
  }
});
