import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HOOKBENCH_BIN } from '../helpers/serve-process';

const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
  engines: { node: string };
};

function runBin(node: string, args: string[], env: Record<string, string> = {}) {
  return spawnSync(node, [HOOKBENCH_BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
}

describe('the hookbench command on the wrong Node', () => {
  it('refuses a Node older than the engines range with one clear line and exit 2, before loading SQLite', () => {
    const run = runBin(process.execPath, ['package', 'list'], { HOOKBENCH_NODE_VERSION_OVERRIDE: '20.20.2' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`Node 20.20.2 is too old; Hookbench needs Node ${manifest.engines.node}`);
    expect(run.stderr).toMatch(/Install Node \d+ LTS/);
    expect(run.stdout).toBe('');
  });

  // The machine's own Node, where it is older, is the real case: it would crash in the native module.
  const systemNode = ['/usr/bin/node', '/usr/local/bin/node'].find((path) => existsSync(path));
  const systemMajor = systemNode ? Number.parseInt(spawnSync(systemNode, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout, 10) : 0;
  const reason = !systemNode ? 'no system Node on this machine' : `the system Node is ${systemMajor}, not older than required`;
  it.skipIf(!systemNode || systemMajor >= 24)(`an old system Node gets the message, not a segfault (${reason})`, () => {
    const run = runBin(systemNode!, ['serve', '--help']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('is too old; Hookbench needs Node');
  });

  it('prints its version without a data dir', () => {
    const run = runBin(process.execPath, ['--version']);
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe(manifest.version);
  });
});
