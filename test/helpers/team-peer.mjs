/**
 * One instance of a team server, reduced to its coordination: it asks for the tunnel role
 * (PostgreSQL advisory lock) and bridges an engine bus over LISTEN/NOTIFY, against a real
 * database. While it holds the role it inserts a row with its pid into role_ticks every 50 ms,
 * so a test can see from the database who ran when. It writes what happens to stdout as JSON
 * lines ({held}, {listening}, {event}, {warning}) and takes commands on stdin as JSON lines
 * ({publish: event}, {burst: {task, count}}, {release: true}).
 *
 * Usage: node test/helpers/team-peer.mjs DATABASE_URL NAME
 */
import { registerHooks } from 'node:module';
import { createInterface } from 'node:readline';

// The engine's sources are TypeScript with extensionless imports, as the bundler resolves them;
// Node strips the types, this finds the files.
registerHooks({
  resolve(specifier, context, next) {
    try {
      return next(specifier, context);
    } catch (error) {
      if (!specifier.startsWith('.')) throw error;
      return next(`${specifier}.ts`, context);
    }
  },
});

const [url, name] = process.argv.slice(2);
if (!url || !name) throw new Error('usage: team-peer.mjs DATABASE_URL NAME');
const { default: pg } = await import('pg');
const { EngineBus } = await import('../../src/main/engine/bus.ts');
const { createPgRoleLock } = await import('../../src/main/engine/team/pg-role-lock.ts');
const { createPgBusBridge } = await import('../../src/main/engine/team/pg-bus-bridge.ts');
const { pgSessions } = await import('../../src/main/engine/team/pg-session.ts');

const say = (line) => process.stdout.write(`${JSON.stringify(line)}\n`);
const warn = (message) => say({ warning: message });

const marker = new pg.Client({ connectionString: url, application_name: `peer marker ${name}` });
await marker.connect();
const tick = () => marker.query('INSERT INTO role_ticks (pid, name) VALUES ($1, $2)', [process.pid, name]);
let ticking = null;

const role = createPgRoleLock({ connect: pgSessions(url, `role ${name}`), warn }).hold('tunnel', {
  async onAcquired() {
    await tick();
    ticking = setInterval(() => void tick().catch(() => undefined), 50);
    say({ held: true });
  },
  onLost() {
    clearInterval(ticking);
    ticking = null;
    say({ held: false });
  },
});

const bus = new EngineBus();
bus.subscribe((event) => say({ event }));
const bridge = createPgBusBridge({
  bus,
  instanceId: name,
  connect: pgSessions(url, `events ${name}`),
  warn,
  onListening: (times) => say({ listening: times }),
});

for await (const line of createInterface({ input: process.stdin })) {
  const command = JSON.parse(line);
  if (command.publish) bus.publish(command.publish);
  // A burst: `count` events at once, as a trigger of thousands of messages publishes them.
  if (command.burst) for (let done = 1; done <= command.burst.count; done++) bus.publish({ type: 'progress', task: command.burst.task, done, total: command.burst.count });
  if (command.release) {
    await role.release();
    say({ released: true });
  }
}
// stdin closed: the test is done with this instance.
await role.release();
await bridge.close();
await marker.end();
