import { expect, onTestFinished } from 'vitest';
import type { PackageCreated } from '../../src/shared/types';
import { tempDataDir } from './data-dir';
import { runCli, startServe, type ServeHandle } from './serve-process';

export interface ServedPackage {
  dir: string;
  serve: ServeHandle;
  pkg: PackageCreated;
  /** The hook URL on the running receiver. */
  hookUrl: string;
}

/** A real `hookbench serve` on a fresh data dir with one package (GitHub unless told) added from the CLI. */
export async function servePackage(serveArgs: string[] = [], repoId = 42, provider: 'github' | 'gitlab' = 'github'): Promise<ServedPackage> {
  const dir = tempDataDir();
  const serve = await startServe(dir, serveArgs);
  onTestFinished(() => serve.stop().then(() => undefined));
  const added = await runCli(['package', 'add', '--provider', provider, '--repo', 'octo/widgets', '--repo-id', String(repoId), '--data-dir', dir, '--json']);
  expect(added.code).toBe(0);
  const pkg = JSON.parse(added.stdout) as PackageCreated;
  return { dir, serve, pkg, hookUrl: `${serve.receiver}/hooks/${pkg.hookUrl.split('/hooks/')[1]}` };
}
