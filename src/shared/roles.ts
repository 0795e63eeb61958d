import type { MethodName } from './methods';
import { ROLES, type Role } from './access-types';

/**
 * The least role allowed to call each method of the engine API, declared once.
 * - viewer reads (secrets stay hidden, as everywhere);
 * - operator also replays, resends, triggers, fires and saves fixtures, imports;
 * - admin also manages packages, inboxes, endpoints, connections, secrets, tokens, storage.
 * `changes` marks what the audit log records: every call that may change something, and reveals.
 * A method missing here fails the typecheck (`satisfies Record<MethodName, …>`).
 */
interface MethodAccess {
  role: Role;
  changes: boolean;
}

const read = (role: Role = 'viewer'): MethodAccess => ({ role, changes: false });
const change = (role: Role): MethodAccess => ({ role, changes: true });

export const METHOD_ACCESS = {
  'server.info': read(),
  'packages.add': change('admin'),
  'packages.list': read(),
  'packages.get': read(),
  'packages.remove': change('admin'),
  'connections.add': change('admin'),
  'connections.list': read(),
  'connections.remove': change('admin'),
  'packages.addFromConnection': change('admin'),
  'packages.rotate': change('admin'),
  'packages.ping': change('operator'),
  'packages.providerDeliveries': read(),
  'packages.catchUp': change('operator'),
  'packages.checkUpstream': change('operator'),
  'releases.list': read(),
  'deliveries.list': read(),
  'deliveries.count': read(),
  'deliveries.get': read(),
  'deliveries.delete': change('admin'),
  'activity.list': read(),
  'dialects.list': read(),
  'endpoints.add': change('admin'),
  'endpoints.list': read(),
  'endpoints.get': read(),
  'endpoints.update': change('admin'),
  'endpoints.remove': change('admin'),
  'endpoints.enable': change('admin'),
  'endpoints.disable': change('admin'),
  'endpoints.rotateSecret': change('admin'),
  'endpoints.attempts': read(),
  'endpoints.messages': read(),
  'endpoints.series': read(),
  'endpoints.trigger': change('operator'),
  'endpoints.triggerMany': change('operator'),
  'endpoints.resendFailed': change('operator'),
  'messages.resend': change('operator'),
  'signature.diagnose': read(),
  'signature.sign': read(),
  // Below admin, the expected signature of a stored delivery is left out (a signing oracle otherwise).
  'deliveries.diagnose': read(),
  'captured.get': read(),
  'captured.reveal': change('admin'),
  'replay.run': change('operator'),
  'replay.preview': read('operator'),
  'replay.list': read(),
  'fixtures.library': read(),
  'fixtures.save': change('operator'),
  'fixtures.list': read(),
  'fixtures.get': read(),
  'fixtures.remove': change('operator'),
  'fixtures.fire': change('operator'),
  'export.run': read(),
  'import.upload': change('operator'),
  'import.begin': change('operator'),
  'import.chunk': change('operator'),
  'import.finish': change('operator'),
  'import.cancel': change('operator'),
  'tunnel.create': change('admin'),
  'tunnel.status': read(),
  'tunnel.connect': change('operator'),
  'tunnel.disconnect': change('operator'),
  'secrets.reset': change('admin'),
  'tunnel.remove': change('admin'),
  'tunnel.catchUp': change('operator'),
  'storage.status': read(),
  'endpoints.preview': read(),
  // Every part of it is a viewer's read; the engine leaves out any part a caller may not call on its own.
  'window.start': read(),
  'retention.show': read(),
  'retention.set': change('admin'),
  'retention.prune': change('admin'),
  'deliveries.keep': change('operator'),
  'storage.backup': change('admin'),
  'storage.restore': change('admin'),
  'inboxes.add': change('admin'),
  'inboxes.list': read(),
  'inboxes.update': change('admin'),
  'inboxes.get': read(),
  'inboxes.remove': change('admin'),
  'inboxes.captures': read(),
  'inboxes.capturesPage': read(),
  'deliveries.page': read(),
  'activity.page': read(),
  'releases.page': read(),
  'endpoints.attemptsPage': read(),
  'endpoints.messagesPage': read(),
  'inboxes.respond': change('admin'),
  'inboxes.forward': change('admin'),
  'inboxes.timeline': read(),
  'inboxes.rotate': change('admin'),
  'tokens.create': change('admin'),
  'tokens.list': read('admin'),
  'tokens.revoke': change('admin'),
  'audit.list': read('admin'),
} as const satisfies Record<MethodName, MethodAccess>;

export const roleRank = (role: Role): number => ROLES.indexOf(role);

export const mayCall = (role: Role, method: MethodName): boolean => roleRank(role) >= roleRank(METHOD_ACCESS[method].role);

export const isChange = (method: MethodName): boolean => METHOD_ACCESS[method].changes;
