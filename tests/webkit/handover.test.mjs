// Safari's engine: the handover by file. One browser exports the case unencrypted (WebDriver
// cannot see downloads: the file is read where WebKitGTK saves it, the browser's own Downloads
// folder), a second browser with a new profile imports it through the file picker.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { launchBrowser, serveDist, openApp, startCase, rowButton, hasStatus } from './webdriver.mjs';

test('an unencrypted export is imported by file in a new profile, the row done', async (t) => {
  const served = await serveDist();
  t.after(() => served.close());

  // The support person's phone: a case, a row done, exported after the warning.
  const support = await launchBrowser();
  t.after(() => support.close());
  const a = support.session;
  await openApp(a, served.url, { firstStart: true });
  const caseUrl = await startCase(a);
  const caseId = caseUrl.split('/').pop();
  await rowButton(a, '3.1.1-a', 'Klar');
  await hasStatus(a, '3.1.1-a', 'done');
  await a.clickButton('Exportera okrypterat …');
  assert.match(await (await a.waitFor('.handover .warning')).text(), /okrypterad/);
  await a.clickButton('Jag förstår – exportera okrypterat');
  await a.waitFor('*', { text: /^Ärendet är exporterat/ });
  const [saved] = await a.downloaded({ pattern: /\.json$/ });
  assert.match(basename(saved), new RegExp(`^stodrutin-arende-${caseId.slice(0, 8)}-\\d{4}-\\d{2}-\\d{2}\\.json$`));
  const exported = JSON.parse(await readFile(saved, 'utf8'));
  assert.ok(JSON.stringify(exported).includes(caseId), 'the file holds the case');
  // Kept outside the first browser's folder, which goes with it.
  const dir = await mkdtemp(join(tmpdir(), 'stodrutin-webkit-file-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, basename(saved));
  await copyFile(saved, file);
  await support.close();

  // The officer's phone: a new profile, the file chosen in the import view.
  const officer = await launchBrowser();
  t.after(() => officer.close());
  const b = officer.session;
  await openApp(b, served.url, { firstStart: true });
  await b.navigate(new URL('#/import', served.url).href);
  await b.waitFor('h1, h2', { text: 'Importera ärende' });
  const input = await b.find('#import-file');
  await input.sendKeys(file);
  await b.waitFor('h1, h2, h3', { text: 'Det här finns i filen', timeout: 15000 });
  await b.clickButton('Importera');
  await hasStatus(b, '3.1.1-a', 'done', 15000);
  assert.match(await b.url(), new RegExp(`#/case/${caseId}$`));
  await b.refresh();
  await hasStatus(b, '3.1.1-a', 'done', 30000);
});
