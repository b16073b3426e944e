// Hands every push message's decrypted text back to the test server.
'use strict';
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
self.addEventListener('push', (event) => {
  const text = event.data ? event.data.text() : '';
  event.waitUntil(fetch('/received', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: text }));
});
