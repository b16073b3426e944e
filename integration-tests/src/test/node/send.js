// The application server of FirefoxPushTest: makes a VAPID key pair, or encrypts a text for a browser's
// subscription (aes128gcm) and posts it. web-push always posts over HTTPS, so the request it builds is sent here.
// Usage: node send.js keys                                  -> {"publicKey": ..., "privateKey": ...}
//        node send.js post <subscription.json> <keys.json> <text> -> the HTTP status and body
'use strict';
const fs = require('fs');
const webpush = require('web-push');

async function main() {
  const [command, subscriptionFile, keysFile, text] = process.argv.slice(2);
  if (command === 'keys') {
    console.log(JSON.stringify(webpush.generateVAPIDKeys()));
    return;
  }
  if (command !== 'post') throw new Error('unknown command ' + command);
  const subscription = JSON.parse(fs.readFileSync(subscriptionFile, 'utf8'));
  const keys = JSON.parse(fs.readFileSync(keysFile, 'utf8'));
  const details = webpush.generateRequestDetails(subscription, text, {
    vapidDetails: { subject: 'mailto:firefox@example.com', publicKey: keys.publicKey, privateKey: keys.privateKey },
    TTL: 600,
    contentEncoding: 'aes128gcm',
  });
  const headers = { ...details.headers };
  delete headers['Content-Length'];
  const response = await fetch(details.endpoint, { method: details.method, headers, body: details.body });
  console.log(response.status + ' ' + (await response.text()));
}

main().catch((error) => { console.error('FAILED ' + error.message); process.exit(1); });
