// Stödrutin's service worker. tools/postbuild.mjs fills in the build id and the list of every file
// of the release build, so the whole app is cached at install and opens with no network.
const BUILD = '__BUILD_ID__';
const PRECACHE = __PRECACHE__;
const CACHE = `stodrutin-${BUILD}`;
const SHELL = new URL('./index.html', self.registration.scope).href;

self.addEventListener('install', (event) => {
  // No skipWaiting here: a new version waits until the user chooses to reload.
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      cache.addAll(PRECACHE.map((path) => new Request(new URL(path, self.registration.scope), { cache: 'reload' }))),
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
    event.respondWith(caches.match(SHELL, { cacheName: CACHE }).then((hit) => hit ?? fetch(request)));
    return;
  }
  event.respondWith(caches.match(request, { cacheName: CACHE, ignoreSearch: true }).then((hit) => hit ?? fetch(request)));
});
