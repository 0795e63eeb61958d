import * as declared from '../schema';
import { derivePgTable } from './derive-table';

// The PostgreSQL tables, derived from the one declaration in ../schema.ts; drizzle-kit reads
// these exports (drizzle.pg.config.ts) to write the PostgreSQL migrations.
export const connections = derivePgTable(declared.connections);
export const packages = derivePgTable(declared.packages);
export const hooks = derivePgTable(declared.hooks);
export const deliveries = derivePgTable(declared.deliveries);
export const releases = derivePgTable(declared.releases);
export const releaseChecks = derivePgTable(declared.releaseChecks);
export const activity = derivePgTable(declared.activity);
export const settings = derivePgTable(declared.settings);
export const fixtures = derivePgTable(declared.fixtures);
export const replays = derivePgTable(declared.replays);
export const endpoints = derivePgTable(declared.endpoints);
export const messages = derivePgTable(declared.messages);
export const attempts = derivePgTable(declared.attempts);
export const inboxes = derivePgTable(declared.inboxes);
export const inboxForwardTargets = derivePgTable(declared.inboxForwardTargets);
export const inboxForwards = derivePgTable(declared.inboxForwards);
export const apiTokens = derivePgTable(declared.apiTokens);
export const auditLog = derivePgTable(declared.auditLog);
export const listTotals = derivePgTable(declared.listTotals);
export const retentionPolicies = derivePgTable(declared.retentionPolicies);
