import { onTestFinished } from 'vitest';
import { createEngine, type Engine, type EngineOptions } from '../../src/main/engine';
import type { PackageCreated } from '../../src/shared/types';
import { tempDataDir } from './data-dir';

export interface RunningEngine {
  engine: Engine;
  receiverUrl: string;
}

/** An engine on a new data dir with its receiver listening, and (unless told) its background workers running. */
export async function startEngine(options: Partial<EngineOptions> = {}, { workers = true }: { workers?: boolean } = {}): Promise<RunningEngine> {
  const engine = createEngine({ dataDir: tempDataDir(), ...options });
  onTestFinished(() => engine.close());
  const receiverUrl = await engine.startReceiver({ port: 0 });
  if (workers) await engine.startWorkers();
  return { engine, receiverUrl };
}

export async function addPackage(engine: Pick<Engine, 'invoke'>, provider: 'github' | 'gitlab', repoId: number, repo = 'octo/widgets'): Promise<PackageCreated> {
  return (await engine.invoke('packages.add', { provider, repo, repoId: String(repoId) })) as PackageCreated;
}

export async function post(url: string, body: string | Buffer, headers: Record<string, string>) {
  const res = await fetch(url, { method: 'POST', body, headers });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}
