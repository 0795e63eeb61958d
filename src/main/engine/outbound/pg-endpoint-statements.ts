import { activity, attempts, endpoints, messages, packages } from '../db/schema';
import { pgNames } from '../db/pg/transaction';

const e = pgNames(endpoints);
const m = pgNames(messages);
const a = pgNames(attempts);
const act = pgNames(activity);
const p = pgNames(packages);
const ec = e.column;
const mc = m.column;
const ac = a.column;

const activityColumns = ['at', 'kind', 'message', 'packageId', 'packageName', 'deliveryId', 'releaseId'];
const placeholders = (n: number) => Array.from({ length: n }, (_, i) => `$${i + 1}`).join(', ');

/**
 * The SQL of the control API's endpoint and message methods on PostgreSQL, each statement named
 * so every pooled connection prepares it once. Parameters are positional; rows come back in
 * the schema's shape.
 */
export const pgEndpointSql = {
  endpointById: { name: 'hb_ep_by_id', text: `SELECT ${e.selectList()} FROM ${e.name} WHERE ${ec('id')} = $1` },
  allEndpoints: { name: 'hb_ep_all', text: `SELECT ${e.selectList()} FROM ${e.name} ORDER BY ${ec('createdAt')}, ${ec('id')}` },
  packageExists: { name: 'hb_ep_package_exists', text: `SELECT 1 FROM ${p.name} WHERE ${p.column('id')} = $1` },
  attemptTotals: {
    name: 'hb_ep_attempt_totals',
    text: `SELECT count(*) AS total, count(*) FILTER (WHERE ${ac('succeeded')}) AS ok FROM ${a.name} WHERE ${ac('endpointId')} = $1`,
  },
  recentAttempts: {
    name: 'hb_ep_recent_attempts',
    text: `SELECT ${ac('durationMs')} AS ms, ${ac('status')} AS status, ${ac('startedAt')} AS at FROM ${a.name} WHERE ${ac('endpointId')} = $1 ORDER BY ${ac('id')} DESC LIMIT $2`,
  },
  queueCounts: {
    name: 'hb_ep_queue_counts',
    text:
      `SELECT count(*) FILTER (WHERE ${mc('state')} = 'failed') AS failed, count(*) FILTER (WHERE ${mc('state')} IN ('pending', 'sending')) AS pending ` +
      `FROM ${m.name} WHERE ${mc('endpointId')} = $1`,
  },
  /** Its messages go with it, and their attempts with them (ON DELETE CASCADE). */
  deleteEndpoint: { name: 'hb_ep_delete', text: `DELETE FROM ${e.name} WHERE ${ec('id')} = $1` },
  insertActivity: {
    name: 'hb_ep_insert_activity',
    text: `INSERT INTO ${act.name} (${activityColumns.map(act.column).join(', ')}) VALUES (${placeholders(activityColumns.length)}) RETURNING ${act.selectList()}`,
  },
  messageForUpdate: { name: 'hb_ep_message_for_update', text: `SELECT ${m.selectList()} FROM ${m.name} WHERE ${mc('id')} = $1 FOR UPDATE` },
  failedSince: {
    name: 'hb_ep_failed_since',
    text:
      `SELECT ${mc('id')} AS id, ${mc('attemptCount')} AS "attemptCount", ${mc('source')} AS source FROM ${m.name} ` +
      `WHERE ${mc('endpointId')} = $1 AND ${mc('state')} = 'failed' AND ${mc('createdAt')} >= $2 ORDER BY ${mc('id')} FOR UPDATE`,
  },
  resendMessages: {
    name: 'hb_ep_resend',
    text:
      `UPDATE ${m.name} AS m SET ${mc('state')} = v.state, ${mc('runFrom')} = v.run_from, ${mc('manualNext')} = v.manual_next, ` +
      `${mc('nextAttemptAt')} = v.next_attempt_at, ${mc('updatedAt')} = v.updated_at, ${mc('source')} = v.source ` +
      `FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::boolean[], $5::bigint[], $6::bigint[], $7::text[]) ` +
      `AS v(id, state, run_from, manual_next, next_attempt_at, updated_at, source) WHERE m.${mc('id')} = v.id`,
  },
  /** Pending and due at once; their row ids in the order given (WITH ORDINALITY keeps it). */
  insertMessages: {
    name: 'hb_ep_insert_messages',
    text:
      `WITH inserted AS (INSERT INTO ${m.name} (${['messageId', 'endpointId', 'event', 'body', 'contentType', 'extraHeaders', 'signed', 'source', 'state', 'nextAttemptAt', 'createdAt', 'updatedAt'].map(mc).join(', ')}) ` +
      `SELECT v.message_id, v.endpoint_id, v.event, v.body, v.content_type, v.extra_headers, v.signed, v.source, 'pending', v.at, v.at, v.at ` +
      `FROM unnest($1::text[], $2::text[], $3::text[], $4::bytea[], $5::text[], $6::text[], $7::boolean[], $8::text[], $9::bigint[]) WITH ORDINALITY ` +
      `AS v(message_id, endpoint_id, event, body, content_type, extra_headers, signed, source, at, n) ORDER BY v.n ` +
      `RETURNING ${mc('id')} AS id) SELECT id FROM inserted ORDER BY id`,
  },
  messagesBelow: {
    name: 'hb_ep_messages_below',
    text: `SELECT ${m.selectList()} FROM ${m.name} WHERE ${mc('endpointId')} = $1 AND ${mc('id')} < $2 ORDER BY ${mc('id')} DESC LIMIT $3`,
  },
  attemptsBelow: {
    name: 'hb_ep_attempts_below',
    text:
      `SELECT ${a.selectList('a')}, m.${mc('messageId')} AS "messageEventId", m.${mc('event')} AS "messageEvent" FROM ${a.name} AS a ` +
      `JOIN ${m.name} AS m ON m.${mc('id')} = a.${ac('messageRowId')} WHERE a.${ac('endpointId')} = $1 AND a.${ac('id')} < $2 ORDER BY a.${ac('id')} DESC LIMIT $3`,
  },
  countMessages: { name: 'hb_ep_count_messages', text: `SELECT count(*) AS n FROM ${m.name} WHERE ${mc('endpointId')} = $1` },
  countAttempts: { name: 'hb_ep_count_attempts', text: `SELECT count(*) AS n FROM ${a.name} WHERE ${ac('endpointId')} = $1` },
  seriesRows: {
    name: 'hb_ep_series_rows',
    text: `SELECT ${ac('startedAt')} AS at, ${ac('succeeded')} AS ok, ${ac('durationMs')} AS ms FROM ${a.name} WHERE ${ac('endpointId')} = $1 AND ${ac('startedAt')} >= $2 ORDER BY ${ac('startedAt')}`,
  },
};

/** The fields given (none undefined), as columns and their values. */
function fieldsOf(fields: Record<string, unknown>): { columns: string[]; values: unknown[] } {
  const keys = Object.keys(fields).filter((key) => fields[key] !== undefined);
  return { columns: keys.map(ec), values: keys.map((key) => fields[key]) };
}

/** A new endpoint's row, every column given. */
export function insertEndpointQuery(row: Record<string, unknown>): { text: string; values: unknown[] } {
  const { columns, values } = fieldsOf(row);
  return { text: `INSERT INTO ${e.name} (${columns.join(', ')}) VALUES (${placeholders(columns.length)})`, values };
}

/** Sets exactly the fields given (an update names what changed, so its statement varies). */
export function updateEndpointQuery(id: string, changes: Record<string, unknown>): { text: string; values: unknown[] } {
  const { columns, values } = fieldsOf(changes);
  return { text: `UPDATE ${e.name} SET ${columns.map((column, i) => `${column} = $${i + 2}`).join(', ')} WHERE ${ec('id')} = $1`, values: [id, ...values] };
}
