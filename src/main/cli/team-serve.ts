import { createTeamEngine } from '../engine/team/team-engine';
import { MoveRefused } from '../engine/move/errors';
import { targetKey } from '../engine/move/keys';
import { policyFrom } from '../engine/receiver/access';
import { keyRingBox } from '../engine/secrets/key-file-box';
import type { SecretBox } from '../engine/secrets/secret-box';
import { hidePassword } from '../engine/db/pg/open';
import type { Output } from './output';
import type { ServeOptions } from './serve';
import type { Exposure } from './serve-exposure';
import { publicUrlOption, runServer } from './serve-lifecycle';
import { UsageError } from './usage';

/** The key every instance of a team server shares: never a key file made up in some data dir. */
function sharedKeyBox(env: NodeJS.ProcessEnv = process.env): SecretBox {
  if (!env.HOOKBENCH_SECRET_KEY?.trim() && !env.HOOKBENCH_SECRET_KEY_FILE?.trim()) {
    throw new UsageError(
      'A team server seals secrets with the key every instance shares: set HOOKBENCH_SECRET_KEY (base64 of 32 bytes, e.g. "openssl rand -base64 32"; NEW,OLD while rotating) ' +
        'or HOOKBENCH_SECRET_KEY_FILE (a 32-byte key file), the same on every instance.',
    );
  }
  try {
    const { key, ring, from } = targetKey(undefined, env);
    return keyRingBox('shared-key', () => ring, () => key, from);
  } catch (error) {
    if (error instanceof MoveRefused) throw new UsageError(error.message);
    throw error;
  }
}

/**
 * `hookbench serve --database postgres://…`: one instance of a team server. Any number may run
 * on the same database (behind a load balancer); each receives, ingests, dispatches and answers
 * the control API, and the database decides who does what.
 */
export async function teamServe(options: ServeOptions, url: string, exposure: Exposure, out: Output): Promise<void> {
  const box = sharedKeyBox();
  let receiverAccess;
  try {
    receiverAccess = options.allow || options.trustProxies ? policyFrom(options.allow ?? null, options.trustProxies ?? []) : undefined;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const engine = await createTeamEngine({
    url,
    box,
    ...(options.publicUrl !== undefined ? { publicUrl: publicUrlOption(options.publicUrl) } : {}),
    ...(receiverAccess ? { receiverAccess } : {}),
    receiverLimits: options.limits,
  });
  const shown = hidePassword(url);
  await runServer(
    engine,
    options,
    exposure,
    {
      data: { database: shown },
      heading: `Hookbench is running as a team server instance (database ${shown}).`,
      makeToken: 'No API token exists yet: make one with "hookbench token create --name NAME --role admin --database URL".',
    },
    out,
  );
}
