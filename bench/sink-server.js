// A sink for the dispatch bench: answers 200 to every POST, counts them, prints its address as JSON.
import http from 'node:http';

let ok = 0;
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    ok++;
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok');
  });
});
server.keepAliveTimeout = 5_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ url: `http://127.0.0.1:${server.address().port}/` }) + '\n');
});
process.once('SIGTERM', () => {
  process.stdout.write(JSON.stringify({ counts: { ok } }) + '\n');
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
