// A Firefox-like user agent (ws) and an application server (web-push) meet through Syncline: the user agent
// subscribes with a VAPID key, the server encrypts with aes128gcm and aesgcm and posts to the endpoint (rewritten to
// the node given as second argument), the user agent decrypts with http_ece and must read the exact plaintext.
// Usage: node interop.js ws://host:port/push http://host:port
'use strict';
const crypto = require('crypto');
const WebSocket = require('ws');
const webpush = require('web-push');
const ece = require('http_ece');

const [wsUrl, postBase] = process.argv.slice(2);
const waiting = [];
const received = [];

function next() {
  if (received.length) return Promise.resolve(received.shift());
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no message within 15 s')), 15000);
    waiting.push((message) => { clearTimeout(timer); resolve(message); });
  });
}

function param(header, name) {
  const match = new RegExp('(?:^|[;,\\s])' + name + '=([^;,\\s]+)').exec(header || '');
  if (!match) throw new Error('no ' + name + ' in ' + header);
  return match[1];
}

async function main() {
  const socket = new WebSocket(wsUrl, 'push-notification');
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString());
    const waiter = waiting.shift();
    if (waiter) waiter(message); else received.push(message);
  });
  await new Promise((resolve, reject) => { socket.on('open', resolve); socket.on('error', reject); });
  const send = (message) => socket.send(JSON.stringify(message));

  send({ messageType: 'hello', broadcasts: {}, use_webpush: true });
  const hello = await next();
  if (hello.status !== 200) throw new Error('hello refused: ' + JSON.stringify(hello));

  const vapid = webpush.generateVAPIDKeys();
  const channelID = crypto.randomUUID();
  send({ messageType: 'register', channelID, key: vapid.publicKey });
  const registered = await next();
  if (registered.status !== 200) throw new Error('register refused: ' + JSON.stringify(registered));
  const endpoint = postBase + new URL(registered.pushEndpoint).pathname;

  const agent = crypto.createECDH('prime256v1');
  agent.generateKeys();
  const auth = crypto.randomBytes(16);
  const subscription = {
    endpoint,
    keys: { p256dh: agent.getPublicKey().toString('base64url'), auth: auth.toString('base64url') },
  };

  for (const encoding of ['aes128gcm', 'aesgcm']) {
    const plaintext = `Grüße via ${encoding} ${crypto.randomBytes(8).toString('hex')} ` + 'x'.repeat(2000);
    const details = webpush.generateRequestDetails(subscription, plaintext, {
      vapidDetails: { subject: 'mailto:interop@example.com', publicKey: vapid.publicKey, privateKey: vapid.privateKey },
      TTL: 120,
      contentEncoding: encoding,
    });
    const headers = { ...details.headers };
    delete headers['Content-Length'];
    const response = await fetch(details.endpoint, { method: details.method, headers, body: details.body });
    if (response.status !== 201) throw new Error(`${encoding}: ${response.status} ${await response.text()}`);

    const notification = await next();
    if (notification.messageType !== 'notification') throw new Error('unexpected ' + JSON.stringify(notification));
    const body = Buffer.from(notification.data, 'base64url');
    const params = { version: encoding, privateKey: agent, authSecret: auth };
    if (encoding === 'aesgcm') {
      params.dh = param(notification.headers.crypto_key, 'dh');
      params.salt = param(notification.headers.encryption, 'salt');
    }
    const decrypted = ece.decrypt(body, params).toString('utf8');
    if (decrypted !== plaintext) throw new Error(`${encoding}: decrypted text differs`);
    send({ messageType: 'ack', updates: [{ channelID, version: notification.version, code: 100 }] });
    console.log(`OK ${encoding} ${Buffer.byteLength(plaintext)} bytes`);
  }
  socket.close();
}

main().then(() => process.exit(0), (error) => { console.error('FAILED ' + error.message); process.exit(1); });
