// The smee-protocol server the tests use (test/helpers/smee-protocol.ts, run as is by Node's type
// stripping), in its own process for the tunnel bench. Prints {"url","control"}; the control
// listener answers GET /streams?channel=<id> (open, healthy streams) and GET /relayed (events relayed).
import { createServer } from 'node:http';
import { startSmeeServer } from '../test/helpers/smee-protocol.ts';

const smee = await startSmeeServer({ keepRelayed: false });
const control = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://control');
  const body =
    url.pathname === '/streams'
      ? { open: smee.streams(url.searchParams.get('channel') ?? undefined, true) }
      : url.pathname === '/relayed'
        ? { relayed: smee.relayedCount() }
        : { error: 'not found' };
  res.writeHead(body.error ? 404 : 200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
});
await new Promise((resolve) => control.listen(0, '127.0.0.1', resolve));
process.stdout.write(JSON.stringify({ url: smee.url, control: `http://127.0.0.1:${control.address().port}` }) + '\n');
const stop = async () => {
  await smee.close();
  control.close();
  process.exit(0);
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
