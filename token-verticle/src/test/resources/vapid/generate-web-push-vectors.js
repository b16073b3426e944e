// Produces web-push-vectors.json beside this file: VAPID headers made by the npm `web-push` package (3.x), so
// the token verticle is checked against what real application servers send, not only against our own signer.
//
//   cd /tmp && npm install web-push@3 && NODE_PATH=/tmp/node_modules node generate-web-push-vectors.js
//
// web-push refuses an expiry 24 h or more ahead, so the vectors carry their own `exp`; the tests verify them
// with a clock fixed at `now` (an hour before `exp`). ES256 signatures are randomised: each run gives new
// tokens that verify the same way.
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const webpush = require('web-push');

// A fixed application-server key pair, so that a key hash the tests pin stays the same across runs.
const privateKey = 'wFGRI4HJYdRumIuV6nQC0sZBQQZRp4JTwC85ObjtXuc';
const ecdh = crypto.createECDH('prime256v1');
ecdh.setPrivateKey(Buffer.from(privateKey, 'base64url'));
const publicKey = ecdh.getPublicKey().toString('base64url');

const audience = 'https://push.example.net';
const subject = 'mailto:ops@example.net';
const now = Math.floor(Date.now() / 1000);
const exp = now + 12 * 60 * 60;
const other = crypto.createECDH('prime256v1');
other.generateKeys();

function headers(encoding, aud, key, priv) {
  return webpush.getVapidHeaders(aud, subject, key, priv, encoding, exp);
}

const vapid = headers('aes128gcm', audience, publicKey, privateKey);
const legacy = headers('aesgcm', audience, publicKey, privateKey);
const foreignAudience = headers('aes128gcm', 'https://elsewhere.example.org', publicKey, privateKey);

const vectors = {
  generator: 'web-push ' + require('web-push/package.json').version,
  now,
  exp,
  audience,
  subject,
  public_key: publicKey,
  public_key_sha256: crypto.createHash('sha256').update(Buffer.from(publicKey, 'base64url')).digest('base64url'),
  cases: [
    {name: 'vapid scheme (aes128gcm)', authorization: vapid.Authorization, audience, expect: 'accept'},
    {name: 'WebPush scheme with Crypto-Key (aesgcm)', authorization: legacy.Authorization,
      crypto_key: legacy['Crypto-Key'], audience, expect: 'accept'},
    {name: 'token made for another origin', authorization: foreignAudience.Authorization, audience,
      expect: 'refuse'},
    {name: 'vapid scheme presenting another key', audience, expect: 'refuse',
      authorization: vapid.Authorization.replace(/k=[A-Za-z0-9_-]+/,
          'k=' + other.getPublicKey().toString('base64url'))},
  ],
};
fs.writeFileSync(path.join(__dirname, 'web-push-vectors.json'), JSON.stringify(vectors, null, 2) + '\n');
console.log('wrote web-push-vectors.json');
