// Renders the app icons from the one source image, public/icons/icon.svg, with Debian's Chromium:
//   node tools/icons.mjs
// The PNGs are committed; run this again only when the source image changes.
import { chromium } from 'playwright-core';
import { readFile, writeFile } from 'node:fs/promises';

const svg = await readFile('public/icons/icon.svg', 'utf8');
const dataUrl = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
});
const page = await browser.newPage();

// `maskable`: the glyph shrunk into the central safe zone on a full-bleed background, so a launcher
// may crop it to any shape.
const outputs = [
  { file: 'icon-192.png', size: 192, maskable: false },
  { file: 'icon-512.png', size: 512, maskable: false },
  { file: 'icon-maskable-512.png', size: 512, maskable: true },
  { file: 'apple-touch-icon.png', size: 180, maskable: true },
];
for (const { file, size, maskable } of outputs) {
  await page.setViewportSize({ width: size, height: size });
  const inner = maskable ? Math.round(size * 0.8) : size;
  await page.setContent(`<body style="margin:0;background:${maskable ? '#0b5cad' : 'transparent'};
      display:grid;place-items:center;width:${size}px;height:${size}px">
      <img src="${dataUrl}" width="${inner}" height="${inner}"></body>`);
  await page.waitForFunction(() => document.images[0].complete);
  await writeFile(`public/icons/${file}`, await page.screenshot({ omitBackground: !maskable }));
  console.log(`public/icons/${file} ${size}x${size}`);
}
await browser.close();
