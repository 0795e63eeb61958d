import { tableSql } from '../db/pg/table-sql';
import { deliveries, endpoints, hooks, inboxes, packages, releases, replays } from '../db/schema';

const d = tableSql(deliveries);
const e = tableSql(endpoints);
const h = tableSql(hooks);
const i = tableSql(inboxes);
const p = tableSql(packages);
const r = tableSql(releases);
const rp = tableSql(replays);

/** Every replay column but its id, in the order insertReplay's values are given. */
export const REPLAY_VALUES = [
  'source',
  'mode',
  'method',
  'targetUrl',
  'requestHeaders',
  'requestBody',
  'status',
  'responseHeaders',
  'responseBody',
  'durationMs',
  'error',
  'deliveryId',
  'createdAt',
] as const;

/** What a replay preview reads beside the captured request, for PostgreSQL (sqlite-replay-ops.ts reads the same). */
export const pgReplaySql = {
  /** Newest first; $1 null for every source. */
  replays: {
    name: 'hb_replay_list',
    text: `SELECT ${rp.selectList()} FROM ${rp.name} WHERE $1::text IS NULL OR ${rp.column('source')} = $1 ORDER BY ${rp.column('id')} DESC LIMIT $2`,
  },
  insertReplay: { name: 'hb_replay_insert', text: `${rp.insert(REPLAY_VALUES)} RETURNING ${rp.selectList()}` },
  hookIdOfPackage: { name: 'hb_replay_package_hook', text: `SELECT ${h.column('id')} AS id FROM ${h.name} WHERE ${h.column('packageId')} = $1 LIMIT 1` },
  inboxById: { name: 'hb_replay_inbox', text: `SELECT ${i.selectList(['id', 'name', 'dialect', 'secretSealed'])} FROM ${i.name} WHERE ${i.column('id')} = $1` },
  packageName: { name: 'hb_replay_package_name', text: `SELECT ${p.column('name')} AS name FROM ${p.name} WHERE ${p.column('id')} = $1` },
  firstDeliveryId: {
    name: 'hb_replay_first_delivery',
    text:
      `SELECT ${d.column('id')} AS id FROM ${d.name} WHERE ${d.column('hookId')} = $1 AND ${d.column('providerDeliveryId')} = $2 ` +
      `AND ${d.column('duplicateOf')} IS NULL AND ${d.column('outcome')} <> 'rejected' ORDER BY ${d.column('id')} LIMIT 1`,
  },
  activeEndpointEvents: { name: 'hb_replay_endpoint_events', text: `SELECT ${e.column('events')} AS events FROM ${e.name} WHERE ${e.column('active')}` },
  activeRelays: { name: 'hb_replay_relays', text: `SELECT count(*) AS n FROM ${e.name} WHERE ${e.column('active')} AND ${e.column('relayPackageId')} = $1` },
  releaseByTag: {
    name: 'hb_replay_release_by_tag',
    text: `SELECT ${r.selectList(['id', 'status', 'version'])} FROM ${r.name} WHERE ${r.column('packageId')} = $1 AND ${r.column('tag')} = $2 LIMIT 1`,
  },
  publishedReleases: {
    name: 'hb_replay_published',
    text: `SELECT ${r.selectList(['tag', 'version'])} FROM ${r.name} WHERE ${r.column('packageId')} = $1 AND ${r.column('status')} = 'published'`,
  },
};
