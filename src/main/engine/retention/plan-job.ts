/*
 * The SQLite form of the prune plan, run on a read-only connection in a worker thread (see
 * storage/sqlite-worker.ts): finding where each package's, inbox's or endpoint's limits fall
 * reads every kept row's length, which must not stall the thread that answers webhooks.
 *
 * Plans come in one order on either store (by package or inbox id, then by endpoint id), so a
 * report lists its scopes alike. A delivery boundary is [receivedAt, id]: rows at or before it (oldest first by received
 * time) are past the policy. An endpoint's is a message id (messages in the order queued) and,
 * for the age limit on attempt logs, an attempt id.
 */
export const PLAN_JOB = `
const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
try {
  db.pragma('busy_timeout = 5000');
  const { now, global, overrides, inboxIds, count } = workerData;
  const MAX = Number.MAX_SAFE_INTEGER;
  const limitsOf = (key) => {
    const own = overrides[key] || {};
    const pick = (k) => (own[k] === undefined ? global[k] : own[k]);
    return { days: pick('days'), maxDeliveries: pick('maxDeliveries'), maxBytes: pick('maxBytes') };
  };
  const later = (a, b) => (!a ? b : !b ? a : a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]) ? a : b);
  const inboxes = new Set(inboxIds);
  const PINNED_DELIVERY = \`(d.kept_at IS NOT NULL OR d.id IN (SELECT delivery_id FROM releases WHERE delivery_id IS NOT NULL)
    OR ('delivery:' || d.id) IN (SELECT origin FROM fixtures WHERE origin LIKE 'delivery:%'))\`;
  const PAST = 'coalesce(d.package_id, d.hook_id) = ? AND d.received_at <= ? AND (d.received_at < ? OR d.id <= ?)';
  const newestFirst = db.prepare('SELECT d.received_at, d.id, length(d.body) FROM deliveries d WHERE coalesce(d.package_id, d.hook_id) = ? ORDER BY d.received_at DESC, d.id DESC').raw();
  const nth = db.prepare('SELECT d.received_at, d.id FROM deliveries d WHERE coalesce(d.package_id, d.hook_id) = ? ORDER BY d.received_at DESC, d.id DESC LIMIT 1 OFFSET ?').raw();
  const tally = db.prepare(\`SELECT count(*), coalesce(sum(CASE WHEN p THEN 0 ELSE b END), 0), coalesce(sum(p), 0) FROM
    (SELECT length(d.body) AS b, \${PINNED_DELIVERY} AS p FROM deliveries d WHERE \${PAST} AND d.outcome <> 'pending')\`).raw();

  const plans = [];
  const keys = db.prepare('SELECT DISTINCT coalesce(package_id, hook_id) FROM deliveries ORDER BY 1').pluck().all();
  for (const key of keys) {
    const scope = inboxes.has(key) ? 'inbox' : 'package';
    const l = limitsOf(scope + ':' + key);
    let boundary = null;
    if (l.days !== null) boundary = later(boundary, [now - l.days * 86400000 - 1, MAX]);
    if (l.maxDeliveries !== null) {
      const row = nth.get(key, l.maxDeliveries);
      if (row) boundary = later(boundary, row);
    }
    if (l.maxBytes !== null) {
      let sum = 0;
      for (const [r, id, b] of newestFirst.iterate(key)) {
        sum += b;
        if (sum > l.maxBytes) {
          boundary = later(boundary, [r, id]);
          break;
        }
      }
    }
    if (!boundary) continue;
    const plan = { kind: 'deliveries', scope, id: key, boundary, rows: 0, bytes: 0, pinned: 0, attempts: 0 };
    if (count) {
      const [n, bytes, pinned] = tally.get(key, boundary[0], boundary[0], boundary[1]);
      Object.assign(plan, { rows: n - pinned, bytes, pinned });
    }
    plans.push(plan);
  }

  const pinnedMessages = db.prepare(\`SELECT DISTINCT a.message_row_id FROM fixtures f JOIN attempts a ON a.id = CAST(substr(f.origin, 9) AS INTEGER) WHERE f.origin LIKE 'attempt:%'\`).pluck().all();
  const firstNewMessage = db.prepare('SELECT id FROM messages WHERE endpoint_id = ? AND created_at >= ? ORDER BY endpoint_id, id LIMIT 1').pluck();
  const nthMessage = db.prepare('SELECT id FROM messages WHERE endpoint_id = ? ORDER BY endpoint_id DESC, id DESC LIMIT 1 OFFSET ?').pluck();
  const messagesNewestFirst = db.prepare('SELECT id, length(body) FROM messages WHERE endpoint_id = ? ORDER BY endpoint_id DESC, id DESC').raw();
  const firstNewAttempt = db.prepare('SELECT id FROM attempts WHERE endpoint_id = ? AND started_at >= ? ORDER BY endpoint_id, id LIMIT 1').pluck();
  const pinnedList = '(' + (pinnedMessages.map(Number).join(',') || 'NULL') + ')';
  const messageTally = db.prepare(\`SELECT count(*), coalesce(sum(CASE WHEN p THEN 0 ELSE b END), 0), coalesce(sum(p), 0) FROM
    (SELECT length(body) AS b, id IN \${pinnedList} AS p FROM messages WHERE endpoint_id = ? AND id <= ? AND state IN ('succeeded', 'failed'))\`).raw();
  const attemptTally = db.prepare(\`SELECT count(*) FROM attempts a WHERE a.endpoint_id = ? AND a.id <= ?
    AND ('attempt:' || a.id) NOT IN (SELECT origin FROM fixtures WHERE origin LIKE 'attempt:%')
    AND NOT (a.message_row_id <= ? AND a.message_row_id NOT IN \${pinnedList}
      AND a.message_row_id IN (SELECT id FROM messages WHERE endpoint_id = a.endpoint_id AND state IN ('succeeded', 'failed')))\`).pluck();
  for (const endpointId of db.prepare('SELECT id FROM endpoints ORDER BY id').pluck().all()) {
    const l = limitsOf('endpoint:' + endpointId);
    let boundary = 0;
    let attemptBoundary = 0;
    if (l.days !== null) {
      const cutoff = now - l.days * 86400000;
      boundary = Math.max(boundary, (firstNewMessage.get(endpointId, cutoff) ?? MAX) - 1);
      attemptBoundary = (firstNewAttempt.get(endpointId, cutoff) ?? MAX) - 1;
    }
    if (l.maxDeliveries !== null) boundary = Math.max(boundary, nthMessage.get(endpointId, l.maxDeliveries) ?? 0);
    if (l.maxBytes !== null) {
      let sum = 0;
      for (const [id, b] of messagesNewestFirst.iterate(endpointId)) {
        sum += b;
        if (sum > l.maxBytes) {
          boundary = Math.max(boundary, id);
          break;
        }
      }
    }
    if (!boundary && !attemptBoundary) continue;
    const plan = { kind: 'endpoint', scope: 'endpoint', id: endpointId, boundary, attemptBoundary, rows: 0, bytes: 0, pinned: 0, attempts: 0 };
    if (count) {
      const [n, bytes, pinned] = messageTally.get(endpointId, boundary);
      Object.assign(plan, { rows: n - pinned, bytes, pinned, attempts: attemptBoundary ? attemptTally.get(endpointId, attemptBoundary, boundary) : 0 });
    }
    plans.push(plan);
  }
  return { plans, pinnedMessages };
} finally {
  db.close();
}
`;
