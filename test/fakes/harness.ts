/** An engine wired to fake provider APIs, each torn down when the test ends. */
import { onTestFinished } from 'vitest';
import type { PushEvent } from '../../src/shared/contract';
import type { ActivityEntry, ActivityKind, PackageSummary } from '../../src/shared/types';
import type { Engine } from '../../src/main/engine';
import type { ProviderOptions } from '../../src/main/engine/providers';
import { startEngine } from '../helpers/engine';
import { startFakeGitHub } from './github';
import { startFakeGitLab } from './gitlab';

export async function fakeGitHub(options: Parameters<typeof startFakeGitHub>[0] = {}) {
  const fake = await startFakeGitHub(options);
  onTestFinished(() => fake.close());
  return fake;
}

export async function fakeGitLab(options: Parameters<typeof startFakeGitLab>[0] = {}) {
  const fake = await startFakeGitLab(options);
  onTestFinished(() => fake.close());
  return fake;
}

/** The periodic check is off unless a test asks for it. */
export async function providerEngine(providers: ProviderOptions = {}) {
  return startEngine({ providers: { checkIntervalMs: 0, pollMs: 10, redeliveryWaitMs: 10_000, ...providers } });
}

/** Subscribe before acting: resolves with the first activity entry of this kind (for this package). */
export function nextActivity(engine: Pick<Engine, 'bus'>, kind: ActivityKind, packageId?: string): Promise<ActivityEntry> {
  return engine.bus
    .waitFor((e: PushEvent): e is Extract<PushEvent, { type: 'activity' }> => e.type === 'activity' && e.entry.kind === kind && (!packageId || e.entry.packageId === packageId))
    .then((e) => e.entry);
}

export const pkg = async (engine: Engine, id: string) => (await engine.invoke('packages.get', { id })) as PackageSummary;

/** A GitHub push signed as the hook on GitHub would sign it, sent straight to the receiver. */
export { githubHeaders, githubTagPush } from '../helpers/payloads';
