// Stödrutin's service worker. tools/postbuild.mjs fills in the build id and the list of every file
// of the release build, so the whole app is cached at install and opens with no network.
const BUILD = '__BUILD_ID__';
const PRECACHE = __PRECACHE__;
const CACHE = `stodrutin-${BUILD}`;
const SHELL = new URL('./index.html', self.registration.scope).href;
// Trunk names the wasm, its JavaScript and the style sheet after a hash of what they
// are made from (a 64-bit hash in hex): changed files have new names, so what the browser's HTTP
// cache holds under such a name (the page fetched it a moment ago, on a first visit) is right and
// is not fetched again.
const HASHED = /-[0-9a-f]{12,16}(?:_bg)?\.[a-z]+$/;

// A file for the cache. index.html must be this build's (a host that shows the new sw.js before
// the new index.html would otherwise pair an old page with this build's files: a blank app, also
// offline). A response that came through a redirect (a host that sends /index.html to /) is
// cached as a response of its own: a browser refuses a redirected response for a page load.
async function fetchForCache(request) {
  const response = await fetch(request);
  if (!response.ok) throw new Error(`${request.url}: ${response.status}`);
  const isShell = request.url === SHELL;
  if (!isShell && !response.redirected) return response;
  const body = await response.arrayBuffer();
  if (isShell && !new TextDecoder().decode(body).includes(`content="${BUILD}"`)) {
    throw new Error('index.html is of another build');
  }
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

self.addEventListener('install', (event) => {
  // No skipWaiting here: a new version waits until the user chooses to reload.
  // The other files (index.html, the manifest, the icons) keep their names from version to
  // version: 'no-cache' has the server confirm each (a 304 without a body if it is unchanged), so
  // a new version never caches an old copy of them.
  const request = (path) =>
    new Request(new URL(path, self.registration.scope), { cache: HASHED.test(path) ? 'default' : 'no-cache' });
  event.waitUntil(
    // Every file fetched before any is cached: one failure fails the install (tried again later).
    Promise.all(PRECACHE.map((path) => fetchForCache(request(path)))).then((responses) =>
      caches.open(CACHE).then((cache) => Promise.all(responses.map((response, i) => cache.put(request(PRECACHE[i]), response)))),
    ),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith('stodrutin-') && key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    // Every screen is the same app shell; its route lives in the fragment.
    event.respondWith(caches.match(SHELL, { cacheName: CACHE, ignoreVary: true }).then((hit) => hit ?? fetch(request)));
    return;
  }
  event.respondWith(caches.match(request, { cacheName: CACHE, ignoreSearch: true, ignoreVary: true }).then((hit) => hit ?? fetch(request)));
});
