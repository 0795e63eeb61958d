// What smee-client forwards to in the tunnel bench: a bare node:http server that checks the GitHub
// HMAC over the raw body (bench/hmac-check.js) and notes when each delivery id arrived verified.
// Usage: node bench/tunnel-target.js <secret>. Prints {"url"}; GET /results answers
// { verified, refused, times: { <delivery id>: <epoch ms> } }; GET /count answers { verified }.
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import { signatureMatches } from './hmac-check.js';

const secret = process.argv[2];
if (!secret) throw new Error('usage: tunnel-target.js <secret>');
const times = {};
let verified = 0;
let refused = 0;
const nowMs = () => performance.timeOrigin + performance.now();

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/count') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ verified }));
    return;
  }
  if (req.method === 'GET' && req.url === '/results') {
    const body = JSON.stringify({ verified, refused, times });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body);
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const ok = signatureMatches(secret, Buffer.concat(chunks), req.headers['x-hub-signature-256']);
    const id = String(req.headers['x-github-delivery']);
    if (ok && !(id in times)) {
      times[id] = nowMs();
      verified++;
    } else if (!ok) refused++;
    res.writeHead(ok ? 200 : 403, { 'content-type': 'application/json' });
    res.end(ok ? '{"ok":true}' : '{"ok":false}');
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(JSON.stringify({ url: `http://127.0.0.1:${server.address().port}` }) + '\n'));
process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
