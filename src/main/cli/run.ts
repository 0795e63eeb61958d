import { parseArgs } from 'node:util';
import { ApiError, type MethodName, type ParamsOf, type ResultOf } from '../../shared/contract';
import { createEngine } from '../engine';
import { SchemaMismatchError } from '../engine/db/migrate';
import { defaultDataDir } from '../engine/paths';
import type { Command } from './context';
import { activityCommand, deliveryCommands, releaseCommands } from './inspect-commands';
import { createOutput } from './output';
import { packageCommands } from './package-commands';
import { serve, serveOptions } from './serve';
import { HELP, UsageError } from './usage';

const OPTIONS = {
  'data-dir': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  provider: { type: 'string' },
  repo: { type: 'string' },
  'repo-id': { type: 'string' },
  name: { type: 'string' },
  package: { type: 'string' },
  outcome: { type: 'string' },
  limit: { type: 'string' },
  host: { type: 'string' },
  port: { type: 'string' },
  'receiver-host': { type: 'string' },
  'receiver-port': { type: 'string' },
  'no-ui': { type: 'boolean' },
} as const;

const GROUPS: Record<string, Record<string, Command>> = {
  package: packageCommands,
  release: releaseCommands,
  delivery: deliveryCommands,
};

function pickCommand(words: string[]): { command: Command; rest: string[] } {
  const [group, verb, ...rest] = words;
  if (group === 'activity') return { command: activityCommand, rest: words.slice(1) };
  const verbs = group ? GROUPS[group] : undefined;
  if (!verbs) throw new UsageError(group ? `Unknown command "${group}".` : 'No command given.');
  const command = verb ? verbs[verb] : undefined;
  if (!command) throw new UsageError(`Unknown "${group}" command "${verb ?? ''}"; expected one of: ${Object.keys(verbs).join(', ')}.`);
  return { command, rest };
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
    if (positionals[0] === 'serve') {
      await serve(serveOptions(values, dataDir), out());
      return 0;
    }
    const { command, rest } = pickCommand(positionals);
    const engine = createEngine({ dataDir });
    try {
      await command({
        positionals: rest,
        options: values,
        out: out(),
        call: <M extends MethodName>(method: M, params: ParamsOf<M>) => engine.invoke(method, params) as Promise<ResultOf<M>>,
      });
    } finally {
      await engine.close();
    }
    return 0;
  } catch (error) {
    const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    const code = error instanceof ApiError ? error.code : usage ? 'usage' : error instanceof SchemaMismatchError ? 'schema_mismatch' : 'error';
    const message = (error as Error).message;
    if (json) process.stderr.write(JSON.stringify({ error: { code, message } }) + '\n');
    else process.stderr.write(`hookbench: ${message}${usage ? '\nRun "hookbench --help" for usage.' : ''}\n`);
    return usage ? 2 : 1;
  }
}
