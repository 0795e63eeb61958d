import type pg from 'pg';
import { isHopByHop } from '../../../shared/header-names';
import { isHiddenHeader } from '../../../shared/secret-headers';
import { endpoints, messages } from '../db/schema';
import { tableSql } from '../db/pg/table-sql';
import { newMessageId } from '../outbound/enqueue';
import type { DeliveryRow } from './delivery-rows';

const e = tableSql(endpoints);
const m = tableSql(messages);
const MESSAGE_KEYS = ['messageId', 'endpointId', 'event', 'body', 'contentType', 'extraHeaders', 'signed', 'source', 'state', 'nextAttemptAt', 'createdAt', 'updatedAt'] as const;

const TARGETS = { name: 'receiver_relay_targets', text: `SELECT ${e.selectList(['id', 'relayMode'])} FROM ${e.name} WHERE ${e.column('relayPackageId')} = $1` };
const INSERT = { name: 'receiver_relay_message', text: m.insert(MESSAGE_KEYS) };

/**
 * The PostgreSQL form of a package delivery's relay (outbound/enqueue.ts enqueueRelay): the
 * raw delivery, byte-exact, queued for each endpoint relaying its package, a disabled one
 * included (it keeps them waiting). Inside the delivery's own transaction.
 */
export async function enqueueRelayPg(client: pg.PoolClient, row: DeliveryRow): Promise<number> {
  if (!row.packageId) return 0;
  const { rows: targets } = await client.query<{ id: string; relayMode: string | null }>({ ...TARGETS, values: [row.packageId] });
  const headers = JSON.parse(row.headers) as [string, string][];
  for (const target of targets) {
    const original = target.relayMode === 'original';
    const message = {
      messageId: row.providerDeliveryId ?? newMessageId(),
      endpointId: target.id,
      event: row.event ?? 'inbound.relay',
      body: row.body,
      contentType: row.contentType ?? 'application/octet-stream',
      // The provider's headers, but never a credential: X-Gitlab-Token is the package secret.
      extraHeaders: JSON.stringify(original ? headers.filter((pair) => !isHopByHop(pair[0]) && !isHiddenHeader(pair)) : []),
      signed: !original,
      source: 'relay',
      state: 'pending',
      nextAttemptAt: row.receivedAt,
      createdAt: row.receivedAt,
      updatedAt: row.receivedAt,
    };
    await client.query({ ...INSERT, values: MESSAGE_KEYS.map((key) => message[key]) });
  }
  return targets.length;
}
