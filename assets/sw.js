// Minimal service worker: makes LuckyChit installable and shows an offline notice instead of a
// browser error page. Money pages are never cached: balances must always come from the server.
const OFFLINE_HTML = '<!doctype html><meta name="viewport" content="width=device-width"><title>LuckyChit</title>' +
  '<body style="font-family:sans-serif;padding:24px"><h2>You are offline</h2>' +
  '<p>LuckyChit needs a connection to show your dues and payments. Please try again.</p></body>';
self.addEventListener('install', (event) => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
self.addEventListener('fetch', (event) => {
  if (event.request.mode !== 'navigate') return;
  event.respondWith(fetch(event.request).catch(() =>
    new Response(OFFLINE_HTML, {headers: {'Content-Type': 'text/html; charset=utf-8'}})));
});
