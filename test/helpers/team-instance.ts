import { onTestFinished } from 'vitest';
import type { SecretBox } from '../../src/main/engine/secrets/secret-box';
import { createTeamEngine } from '../../src/main/engine/team/team-engine';

/** One team server instance on `url`, receiver listening and workers running, closed (once) when the test ends or by `close()`. */
export async function startTeamInstance(url: string, box: SecretBox) {
  const engine = await createTeamEngine({ url, box });
  let closed: Promise<void> | null = null;
  const close = () => (closed ??= engine.close());
  onTestFinished(close);
  const receiverUrl = await engine.startReceiver({ port: 0 });
  await engine.startWorkers();
  return { engine, receiverUrl, close };
}
