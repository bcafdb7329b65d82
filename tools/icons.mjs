// Renders the app icons from the one source image, public/icons/icon.svg, with Debian's Chromium:
//   node tools/icons.mjs
// The PNGs are committed; run this again only when the source image changes.
//
// The icons are part of every first visit (the service worker precaches them), so they are
// written as palette PNGs: the image is two colours and the shades of their edges, which a
// palette of 256 holds (an edge shade beyond the 256 commonest takes the nearest of them). Written
// as full-colour screenshots they were 31.8 KB; as palettes 15.6 KB.
import { chromium } from 'playwright-core';
import { readFile, writeFile } from 'node:fs/promises';
import { crc32, deflateSync } from 'node:zlib';

const svg = await readFile('public/icons/icon.svg', 'utf8');
const dataUrl = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
});
const page = await browser.newPage();

// `maskable`: the glyph shrunk into the central safe zone on a full-bleed background, so a launcher
// may crop it to any shape.
const BACKGROUND = '#0b5cad';
const outputs = [
  { file: 'icon-192.png', size: 192, maskable: false },
  { file: 'icon-512.png', size: 512, maskable: false },
  { file: 'icon-maskable-512.png', size: 512, maskable: true },
  { file: 'apple-touch-icon.png', size: 180, maskable: true },
];

/// The icon's pixels, RGBA, drawn by the browser from the SVG.
function render(size, maskable) {
  return page.evaluate(async ({ dataUrl, size, maskable, background }) => {
    const image = new Image();
    image.src = dataUrl;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = size;
    const context = canvas.getContext('2d');
    if (maskable) {
      context.fillStyle = background;
      context.fillRect(0, 0, size, size);
    }
    const inner = maskable ? Math.round(size * 0.8) : size;
    const offset = (size - inner) / 2;
    context.drawImage(image, offset, offset, inner, inner);
    return Array.from(context.getImageData(0, 0, size, size).data);
  }, { dataUrl, size, maskable, background: BACKGROUND });
}

/// A palette of at most 256 colours for `rgba` and each pixel's index into it.
function toPalette(rgba) {
  const pixels = rgba.length / 4;
  // Pixel `i`'s colour as one number, RGBA from the high byte down.
  const colourAt = (i) =>
    ((rgba[4 * i] << 24) | (rgba[4 * i + 1] << 16) | (rgba[4 * i + 2] << 8) | rgba[4 * i + 3]) >>> 0;
  const counts = new Map();
  for (let i = 0; i < pixels; i += 1) {
    const colour = colourAt(i);
    counts.set(colour, (counts.get(colour) ?? 0) + 1);
  }
  const channels = (c) => [c >>> 24, (c >>> 16) & 255, (c >>> 8) & 255, c & 255];
  // The see-through colours first: the tRNS chunk then ends at the last of them.
  const palette = [...counts.keys()]
    .sort((a, b) => counts.get(b) - counts.get(a))
    .slice(0, 256)
    .sort((a, b) => Number((a & 255) === 255) - Number((b & 255) === 255));
  const nearest = new Map();
  const indexOf = (colour) => {
    if (!nearest.has(colour)) {
      const [r, g, b, a] = channels(colour);
      let best = 0;
      let bestDistance = Infinity;
      palette.forEach((candidate, index) => {
        const [pr, pg, pb, pa] = channels(candidate);
        const distance = (r - pr) ** 2 + (g - pg) ** 2 + (b - pb) ** 2 + 2 * (a - pa) ** 2;
        if (distance < bestDistance) [best, bestDistance] = [index, distance];
      });
      nearest.set(colour, best);
    }
    return nearest.get(colour);
  };
  const indices = new Uint8Array(pixels);
  for (let i = 0; i < pixels; i += 1) {
    indices[i] = indexOf(colourAt(i));
  }
  return { palette: palette.map(channels), indices };
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/// An 8-bit palette PNG (PNG 1.2: colour type 3, with a tRNS chunk for the palette's alpha).
function palettePng(size, { palette, indices }) {
  const alphas = palette.filter(([, , , a]) => a < 255).map(([, , , a]) => a);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 3, 0, 0, 0], 8);
  const rows = Buffer.alloc(size * (size + 1));
  for (let y = 0; y < size; y += 1) {
    rows[y * (size + 1)] = 0; // filter: none (palette images compress best without one)
    rows.set(indices.subarray(y * size, (y + 1) * size), y * (size + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('PLTE', Buffer.from(palette.flatMap(([r, g, b]) => [r, g, b]))),
    ...(alphas.length > 0 ? [chunk('tRNS', Buffer.from(alphas))] : []),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

for (const { file, size, maskable } of outputs) {
  const png = palettePng(size, toPalette(await render(size, maskable)));
  await writeFile(`public/icons/${file}`, png);
  console.log(`public/icons/${file} ${size}x${size}, ${png.length} bytes`);
}
await browser.close();
