/**
 * The contract's method names, free of any runtime dependency so the sandboxed
 * preload can expose them one by one. contract.ts checks it matches this list.
 */
export const METHOD_NAMES = [
  'server.info',
  'packages.add',
  'packages.list',
  'packages.get',
  'packages.remove',
  'connections.add',
  'connections.list',
  'connections.remove',
  'packages.addFromConnection',
  'packages.rotate',
  'packages.ping',
  'packages.providerDeliveries',
  'packages.catchUp',
  'packages.checkUpstream',
  'releases.list',
  'deliveries.list',
  'deliveries.count',
  'deliveries.get',
  'activity.list',
  'dialects.list',
  'endpoints.add',
  'endpoints.list',
  'endpoints.get',
  'endpoints.update',
  'endpoints.remove',
  'endpoints.enable',
  'endpoints.disable',
  'endpoints.rotateSecret',
  'endpoints.attempts',
  'endpoints.messages',
  'endpoints.series',
  'endpoints.trigger',
  'endpoints.triggerMany',
  'endpoints.resendFailed',
  'messages.resend',
  'signature.diagnose',
  'signature.sign',
  'deliveries.diagnose',
  'captured.get',
  'captured.reveal',
  'replay.run',
  'replay.preview',
  'replay.list',
  'fixtures.library',
  'fixtures.save',
  'fixtures.list',
  'fixtures.get',
  'fixtures.remove',
  'fixtures.fire',
  'export.run',
  'import.upload',
  'import.begin',
  'import.chunk',
  'import.finish',
  'import.cancel',
  'tunnel.create',
  'tunnel.status',
  'tunnel.connect',
  'tunnel.disconnect',
  'secrets.reset',
  'tunnel.remove',
  'tunnel.catchUp',
  'inboxes.add',
  'inboxes.list',
  'inboxes.update',
  'inboxes.get',
  'inboxes.remove',
  'inboxes.captures',
] as const;

export type MethodName = (typeof METHOD_NAMES)[number];

/** The envelope every transport answers with, so typed errors survive IPC and HTTP alike. */
export type CallOutcome<R = unknown> =
  | { ok: true; result: R }
  | { ok: false; error: { code: string; message: string; issues?: string[] | undefined } };

export const IPC_CALL = 'hookbench:call';
export const IPC_EVENT = 'hookbench:event';
