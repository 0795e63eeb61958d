import type pg from 'pg';
import type { Access } from '../../access/access';
import type { EngineBus } from '../../bus';
import type { Providers } from '../../providers';
import type { ReplayReceiver } from '../../replay/send-replay';
import type { SecretBox } from '../../secrets/secret-box';
import type { TunnelRunner } from '../../tunnel/runner';

/**
 * What the control API's handlers have on a team server: the database's pool instead of a data
 * dir. Each group of methods (packages, deliveries, endpoints, …) has a PostgreSQL form built on
 * this, beside its SQLite form, and answers with the same results.
 */
export interface PgHandlerContext {
  pool: pg.Pool;
  box: SecretBox;
  bus: EngineBus;
  version: string;
  /** Where the team's hooks are reached (hook URLs are built on it); null until known. */
  receiverUrl: () => string | null;
  /** Something new may be due to send. */
  kickDispatcher: () => void;
  now: () => number;
  /** An inbox's settings (answer, secret, name) changed or it is gone: this instance's receiver reads it again. */
  inboxChanged?: (id: string) => Promise<void>;
  /** Hook or inbox secrets were replaced: this instance's receiver reads them all again. */
  secretsChanged?: () => Promise<void>;
  /** The retention policy changed: the instance pruning applies it shortly. */
  pruneSoon?: () => void;
  /**
   * The server's named tokens and audit log (createAccess over pgAccessStore), shared with its
   * invoker and its HTTP token check, so a token revoked here is forgotten by that check at once.
   */
  access?: Access;
  /** Provider connections and the hooks managed through them, on this database (createProviders over pgProviderStore). */
  providers?: Providers;
  /** This instance's receiver, in process: replays and fixtures go into a package or an inbox through it. */
  receiver?: ReplayReceiver;
  /** This instance's smee tunnel: live and followed at once here while this instance holds the tunnel role. */
  tunnel?: Pick<TunnelRunner, 'running' | 'status' | 'reconcile'>;
}
