import type pg from 'pg';
import { endpoints, messages } from '../db/schema';
import { tableSql } from '../db/pg/table-sql';
import { relayMessage } from '../outbound/enqueue';
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
  for (const target of targets) {
    const relayed = relayMessage(row, target.relayMode);
    const message = {
      ...relayed,
      endpointId: target.id,
      extraHeaders: JSON.stringify(relayed.extraHeaders),
      state: 'pending',
      nextAttemptAt: row.receivedAt,
      createdAt: row.receivedAt,
      updatedAt: row.receivedAt,
    };
    await client.query({ ...INSERT, values: MESSAGE_KEYS.map((key) => message[key]) });
  }
  return targets.length;
}
