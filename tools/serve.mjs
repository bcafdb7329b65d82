// A small static server for the release build, on loopback only. Used by `make serve`, by the
// end-to-end tests (which import startServer) and by the benchmark. It serves files with the MIME
// types browsers need for WebAssembly and service workers, and answers unknown paths with the app
// shell. Like a well-set static host it
//  - sends the precompressed copy (NAME.br, NAME.gz from tools/compress.mjs) when the request's
//    Accept-Encoding accepts it, with Content-Encoding, the original's Content-Type and
//    `Vary: Accept-Encoding`;
//  - lets the browser keep the files whose names carry a content hash for a year (immutable), and
//    has it ask again for the others (`no-cache`), answering 304 when its ETag still matches.
import { createServer } from 'node:http';
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

// Trunk's file names: NAME-<64-bit hash in hex>.js, NAME-<hash>_bg.wasm (as public/sw.js reads them).
const HASHED = /-[0-9a-f]{12,16}(?:_bg)?\.[a-z]+$/;

// The precompressed copies, in order of preference.
const ENCODINGS = [
  { coding: 'br', suffix: '.br' },
  { coding: 'gzip', suffix: '.gz' },
];

/// Whether an Accept-Encoding header value accepts the content coding (q-values and `*` honoured).
export function acceptsEncoding(header, coding) {
  if (!header) return false;
  let wildcard = null;
  for (const part of header.toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';').map((s) => s.trim());
    const q = params.map((p) => p.match(/^q=([0-9.]+)$/)).find(Boolean);
    const weight = q ? Number(q[1]) : 1;
    if (name === coding) return weight > 0;
    if (name === '*') wildcard = weight > 0;
  }
  return wildcard ?? false;
}

const readIfThere = (path) => readFile(path).catch(() => null);

export function startServer({ root, port = 0, host = '127.0.0.1' }) {
  const base = resolve(root);
  const server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      let file = normalize(join(base, path));
      if (file !== base && !file.startsWith(base + sep)) {
        res.writeHead(403).end();
        return;
      }
      let info = await stat(file).catch(() => null);
      if (info?.isDirectory()) {
        file = join(file, 'index.html');
        info = await stat(file).catch(() => null);
      }
      if (!info) {
        if (extname(path) === '') {
          file = join(base, 'index.html');
        } else {
          res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
          return;
        }
      }
      let body = await readFile(file);
      const headers = {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': HASHED.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache',
        'x-content-type-options': 'nosniff',
        // No other site may frame the app (a <meta> policy cannot say so).
        'content-security-policy': "frame-ancestors 'none'",
        'x-frame-options': 'DENY',
      };
      const copies = await Promise.all(ENCODINGS.map(async (e) => ({ ...e, body: await readIfThere(file + e.suffix) })));
      if (copies.some((c) => c.body)) headers.vary = 'Accept-Encoding';
      const chosen = copies.find((c) => c.body && acceptsEncoding(req.headers['accept-encoding'], c.coding));
      if (chosen) {
        body = chosen.body;
        headers['content-encoding'] = chosen.coding;
      }
      // A strong validator of the bytes sent: each encoding has its own.
      headers.etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
      const known = (req.headers['if-none-match'] ?? '').split(',').map((t) => t.trim().replace(/^W\//, ''));
      if (known.includes(headers.etag) || known.includes('*')) {
        const { etag, vary, 'cache-control': cacheControl } = headers;
        res.writeHead(304, { etag, 'cache-control': cacheControl, ...(vary ? { vary } : {}) }).end();
        return;
      }
      headers['content-length'] = body.length;
      // Set one by one, so that res.getHeader() sees them (the benchmark reads them).
      for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
      res.writeHead(200);
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (err) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err));
    }
  });
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => done(server));
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = process.argv[2] ?? 'dist';
  const port = Number(process.argv[3] ?? 8080);
  const server = await startServer({ root, port });
  const { address, port: bound } = server.address();
  console.log(`Stödrutin is served on http://${address}:${bound} (Ctrl+C stops it)`);
}
