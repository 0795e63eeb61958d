// The honest ceiling: node:http, read the body, verify the HMAC with timingSafeEqual, answer 200, store nothing.
// Usage: node bench/bare-server.js <secret>. Prints {"receiver": url} once listening; on SIGTERM prints its counts and exits.
import { createServer } from 'node:http';
import { signatureMatches } from './hmac-check.js';

const secret = process.argv[2];
if (!secret) throw new Error('usage: bare-server.js <secret>');
const counts = { ok: 0, refused: 0 };

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const ok = signatureMatches(secret, Buffer.concat(chunks), req.headers['x-hub-signature-256']);
    ok ? counts.ok++ : counts.refused++;
    res.writeHead(ok ? 200 : 403, { 'content-type': 'application/json', 'content-length': ok ? 11 : 12 });
    res.end(ok ? '{"ok":true}' : '{"ok":false}');
  });
});

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ receiver: `http://127.0.0.1:${server.address().port}`, pid: process.pid }) + '\n');
});

process.on('SIGTERM', () => {
  server.close(() => {
    process.stdout.write(JSON.stringify({ counts }) + '\n');
    process.exit(0);
  });
  server.closeAllConnections();
});
