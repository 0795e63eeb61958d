import { createTeamEngine } from '../engine/team/team-engine';
import { policyFrom } from '../engine/receiver/access';
import { hidePassword } from '../engine/db/pg/open';
import type { Output } from './output';
import type { ServeOptions } from './serve';
import type { Exposure } from './serve-exposure';
import { publicUrlOption, runServer } from './serve-lifecycle';
import { sharedKeyBox } from './shared-key';
import { UsageError } from './usage';

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
