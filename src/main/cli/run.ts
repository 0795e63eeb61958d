import { parseArgs } from 'node:util';
import type { MethodName, ParamsOf, ResultOf } from '../../shared/contract';
import { createEngine, type Engine } from '../engine';
import { defaultDataDir } from '../engine/paths';
import type { Command, CommandEngine } from './context';
import { endpointCommands } from './endpoint-commands';
import { sendCommands } from './send-commands';
import { exportCommand, fixtureCommands, importCommand, replayCommand } from './replay-commands';
import { importFile } from '../engine/replay/import';
import { ImportError } from '../engine/replay/import-records';
import { signCommand, verifyCommand } from './signature-commands';
import { activityCommand, deliveryCommands, releaseCommands } from './inspect-commands';
import { createOutput } from './output';
import { packageCommands } from './package-commands';
import { connectionCommands } from './connection-commands';
import { serve, serveOptions } from './serve';
import { dispatchCommand, dispatchStore } from './dispatch-command';
import { tunnelCommands } from './tunnel-commands';
import { secretsCommands } from './secrets-commands';
import { deleteCommand } from './delete-command';
import { backupCommand, restoreCommand, statusCommand } from './storage-commands';
import { inboxCommands } from './inbox-commands';
import { keepCommand, pruneCommand, retentionCommands } from './retention-commands';
import { sendAll } from './send-all';
import { errorCode } from './error-code';
import { HELP, UsageError } from './usage';
import { auditCommand, loginCommand, logoutCommand, tokenCommands } from './access-commands';
import { remoteCall, remoteEngine, remoteServer } from './remote';
import { rotateKey, rotationActivity, RotationRefused } from '../engine/secrets/rotate-key';
import { sqliteRotationStore } from '../engine/secrets/rotate-statements';
import { keySource } from '../engine/secrets/key-source';
import { recordActivity } from '../engine/store/activity';
import { migrateCommand } from './migrate-command';
import { databaseEngine, accessDatabase, onAccessDatabase } from './database-access';

const OPTIONS = {
  'data-dir': { type: 'string' },
  connection: { type: 'string' },
  token: { type: 'string' },
  'base-url': { type: 'string' },
  wait: { type: 'string' },
  cursor: { type: 'string' },
  all: { type: 'boolean' },
  verdict: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  provider: { type: 'string' },
  repo: { type: 'string' },
  'repo-id': { type: 'string' },
  name: { type: 'string' },
  package: { type: 'string' },
  inbox: { type: 'string' },
  outcome: { type: 'string' },
  limit: { type: 'string' },
  host: { type: 'string' },
  port: { type: 'string' },
  'receiver-host': { type: 'string' },
  'receiver-port': { type: 'string' },
  'no-ui': { type: 'boolean' },
  'public-url': { type: 'string' },
  allow: { type: 'string', multiple: true },
  'trust-proxy': { type: 'string', multiple: true },
  'max-connections': { type: 'string' },
  'max-connections-per-address': { type: 'string' },
  'header-timeout': { type: 'string' },
  'request-timeout': { type: 'string' },
  'rejected-body-limit': { type: 'string' },
  'body-memory': { type: 'string' },
  'rejections-per-minute': { type: 'string' },
  url: { type: 'string' },
  dialect: { type: 'string' },
  events: { type: 'string', multiple: true },
  event: { type: 'string' },
  secret: { type: 'string', multiple: true },
  retry: { type: 'string' },
  'max-in-flight': { type: 'string' },
  'timeout-ms': { type: 'string' },
  'relay-package': { type: 'string' },
  'relay-mode': { type: 'string' },
  format: { type: 'string' },
  template: { type: 'string' },
  'template-file': { type: 'string' },
  reason: { type: 'string' },
  overlap: { type: 'string' },
  since: { type: 'string' },
  endpoint: { type: 'string' },
  'body-file': { type: 'string' },
  'headers-file': { type: 'string' },
  timestamp: { type: 'string' },
  id: { type: 'string' },
  server: { type: 'string' },
  count: { type: 'string' },
  to: { type: 'string' },
  mode: { type: 'string' },
  'new-id': { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  reveal: { type: 'boolean' },
  header: { type: 'string', multiple: true },
  library: { type: 'string' },
  ids: { type: 'string', multiple: true },
  out: { type: 'string' },
  before: { type: 'string' },
  'include-linked': { type: 'boolean' },
  tolerance: { type: 'string' },
  status: { type: 'string' },
  first: { type: 'string' },
  ratio: { type: 'string' },
  'delay-ms': { type: 'string' },
  hang: { type: 'boolean' },
  reset: { type: 'boolean' },
  'event-id': { type: 'string' },
  'path-rewrite': { type: 'string' },
  'pass-back': { type: 'boolean' },
  remove: { type: 'string' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  'behind-proxy': { type: 'boolean' },
  role: { type: 'string' },
  days: { type: 'string' },
  'max-deliveries': { type: 'string' },
  'max-mb': { type: 'string' },
  forever: { type: 'boolean' },
  inherit: { type: 'boolean' },
  unkeep: { type: 'boolean' },
  'min-free': { type: 'string' },
  from: { type: 'string' },
  replace: { type: 'boolean' },
  'key-file': { type: 'string' },
  database: { type: 'string' },
} as const;

/** Commands that need no data dir: they work on files and print. */
const STANDALONE: Record<string, Command> = { sign: signCommand, verify: verifyCommand, login: loginCommand, logout: logoutCommand };

function groups(engine: CommandEngine): Record<string, Record<string, Command>> {
  const send = sendCommands(engine);
  return {
    package: packageCommands,
    connection: connectionCommands,
    release: releaseCommands,
    delivery: { ...deliveryCommands, delete: deleteCommand, keep: keepCommand },
    endpoint: endpointCommands,
    message: send.message,
    trigger: { '': send.trigger },
    replay: { '': replayCommand },
    fixture: fixtureCommands,
    export: { '': exportCommand },
    import: { '': importCommand(engine) },
    activity: { '': activityCommand },
    tunnel: tunnelCommands,
    secrets: secretsCommands(engine),
    backup: { '': backupCommand },
    status: { '': statusCommand },
    inbox: inboxCommands,
    token: tokenCommands,
    audit: { '': auditCommand },
    retention: retentionCommands,
    prune: { '': pruneCommand(engine) },
  };
}

/**
 * Commands that only read what is stored, or repair the secrets: they run when the key file
 * does not open the data dir's secrets. Every other command is refused until it does.
 */
const WITHOUT_SECRETS = new Set([
  'package list',
  'package show',
  'connection list',
  'release list',
  'delivery list',
  'delivery show',
  'delivery delete',
  'activity',
  'endpoint list',
  'endpoint show',
  'endpoint attempts',
  'endpoint messages',
  'fixture list',
  'fixture show',
  'fixture library',
  'export',
  'import',
  'tunnel status',
  'secrets reset',
  'backup',
  'status',
  'inbox list',
  'inbox show',
  'inbox captures',
  'inbox timeline',
  'token create',
  'token list',
  'token revoke',
  'audit',
  'retention show',
  'retention set',
  'prune',
  'delivery keep',
]);

/** Single-word commands (activity, trigger) take no verb. */
function pickCommand(words: string[], engine: CommandEngine): { command: Command; rest: string[]; needsSecrets: boolean } {
  const GROUPS = groups(engine);
  const [group, verb, ...rest] = words;
  const single = group ? GROUPS[group]?.[''] : undefined;
  if (single) return { command: single, rest: words.slice(1), needsSecrets: !WITHOUT_SECRETS.has(group!) };
  const verbs = group ? GROUPS[group] : undefined;
  if (!verbs) throw new UsageError(group ? `Unknown command "${group}".` : 'No command given.');
  const command = verb ? verbs[verb] : undefined;
  if (!command) throw new UsageError(`Unknown "${group}" command "${verb ?? ''}"; expected one of: ${Object.keys(verbs).join(', ')}.`);
  return { command, rest, needsSecrets: !WITHOUT_SECRETS.has(`${group} ${verb}`) };
}

/** Runs one CLI invocation; returns the exit code. */
export async function runCli(argv: string[]): Promise<number> {
  let json = argv.includes('--json');
  const out = () => createOutput(json);
  try {
    const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
    json = values.json === true;
    if (values.help || positionals.length === 0) {
      process.stdout.write(HELP);
      return values.help ? 0 : 2;
    }
    const dataDir = values['data-dir'] ?? defaultDataDir();
    const database = accessDatabase(positionals[0], values.database, values.server);
    if (positionals[0] === 'serve') {
      await serve(serveOptions(values, dataDir), out());
      return 0;
    }
    if (positionals[0] === 'migrate') return await migrateCommand(positionals.slice(1), values, out());
    if (positionals[0] === 'dispatch') {
      await dispatchCommand(dispatchStore(dataDir, values.database), out());
      return 0;
    }
    if (positionals[0] === 'restore') {
      restoreCommand(positionals.slice(1), dataDir, out());
      return 0;
    }
    const standalone = STANDALONE[positionals[0]!];
    const base = { options: values, out: out() };
    if (database) return await onAccessDatabase(database, pickCommand(positionals, databaseEngine(database)), base, positionals[0] === 'secrets');
    if (standalone) {
      await standalone({ ...base, positionals: positionals.slice(1), call: () => Promise.reject(new Error('no engine')) });
      return process.exitCode === 1 ? 1 : 0;
    }
    const remote = remoteServer(positionals, values.server);
    if (remote) {
      const call = remoteCall(remote);
      const { command, rest } = pickCommand(positionals, remoteEngine(call));
      await command({ ...base, positionals: rest, call, remote: true });
      return process.exitCode === 1 ? 1 : 0;
    }
    let engine: Engine | null = null;
    // Resolved before the data dir is opened, so a typo creates nothing.
    const { command, rest, needsSecrets } = pickCommand(positionals, {
      sendNow: (id) => engine!.dispatcher.sendNow(id),
      sendAll: (endpointId, ids) => sendAll(engine!, endpointId, ids),
      rotateKey: async (progress) => {
        try {
          const rotated = await rotateKey(sqliteRotationStore(engine!.db), dataDir, keySource(dataDir), progress);
          recordActivity(engine!.db, rotationActivity(rotated));
          return rotated;
        } catch (error) {
          throw error instanceof RotationRefused ? new UsageError(error.message) : error;
        }
      },
      prepareVacuum: () => engine!.prepareVacuum(),
      importFile: (path, progress, signal) =>
        importFile(engine!.db, path, progress, engine!.box, signal).catch((error: unknown) => {
          throw error instanceof ImportError ? new UsageError(error.message) : error;
        }),
    });
    engine = createEngine({ dataDir, requireSecrets: needsSecrets });
    try {
      await command({
        ...base,
        positionals: rest,
        call: <M extends MethodName>(method: M, params: ParamsOf<M>) => engine!.invoke(method, params) as Promise<ResultOf<M>>,
      });
      // What the command stored for ingest (a replay into a package) is ingested before exiting.
      await engine.ingest.finish();
    } finally {
      await engine?.close();
    }
    return process.exitCode === 1 ? 1 : 0;
  } catch (error) {
    const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    const code = errorCode(error, usage);
    const message = (error as Error).message;
    if (json) process.stderr.write(JSON.stringify({ error: { code, message } }) + '\n');
    else process.stderr.write(`hookbench: ${message}${usage ? '\nRun "hookbench --help" for usage.' : ''}\n`);
    return usage ? 2 : 1;
  }
}
