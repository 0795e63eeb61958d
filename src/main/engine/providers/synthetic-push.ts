/**
 * A tag the provider never delivered, found through its tags API, enters Hookbench as
 * a delivery shaped like the provider's own tag push (source "import", no signature to
 * check: it came over the authenticated API). The ingest worker then applies the same
 * rules as to any tag push; nothing here decides about releases.
 */
import type { IncomingDelivery } from '../receiver/delivery-writer';
import type { Managed } from './managed';

const ZERO_SHA = '0'.repeat(40);

/** Marks reconciled deliveries among the headers, so they read as what they are. */
export const RECONCILED_HEADER = 'x-hookbench-reconciled';

const numeric = (id: string): number | string => (/^\d{1,15}$/.test(id) ? Number(id) : id);

function payloadFor(m: Managed, tag: string, sha: string): Record<string, unknown> {
  const ref = `refs/tags/${tag}`;
  const note = { reconciled: 'tags-api' };
  if (m.pkg.provider === 'github') {
    return {
      ref,
      before: ZERO_SHA,
      after: sha,
      created: true,
      deleted: false,
      forced: false,
      base_ref: null,
      commits: [],
      head_commit: { id: sha },
      repository: { id: numeric(m.pkg.repoId), full_name: m.pkg.repoFullName },
      hookbench: note,
    };
  }
  return {
    object_kind: 'tag_push',
    event_name: 'tag_push',
    ref,
    before: ZERO_SHA,
    after: sha,
    checkout_sha: sha,
    project_id: numeric(m.pkg.repoId),
    project: { id: numeric(m.pkg.repoId), path_with_namespace: m.pkg.repoFullName },
    commits: [],
    total_commits_count: 0,
    hookbench: note,
  };
}

export function syntheticTagPush(m: Managed, tag: string, sha: string, at: number, idSuffix = ''): IncomingDelivery {
  const github = m.pkg.provider === 'github';
  const event = github ? 'push' : 'Tag Push Hook';
  const body = Buffer.from(JSON.stringify(payloadFor(m, tag, sha)));
  return {
    hookId: m.hook.id,
    packageId: m.pkg.id,
    receivedAt: at,
    source: 'import',
    remoteAddress: null,
    headers: [
      ['content-type', 'application/json'],
      [github ? 'x-github-event' : 'x-gitlab-event', event],
      [RECONCILED_HEADER, 'tags-api'],
    ],
    body,
    contentType: 'application/json',
    providerDeliveryId: `reconcile:${tag}@${sha}${idSuffix}`,
    event,
    verdict: 'unchecked',
    verdictDetail: {
      header: null,
      scheme: null,
      expected: null,
      received: null,
      reason: `Reconstructed from the ${github ? 'GitHub' : 'GitLab'} tags API during catch-up (the provider never delivered this tag); fetched with the connection's token, so there is no signature to check.`,
    },
    statusCode: 202,
    outcome: 'pending',
    outcomeReason: null,
    tag,
    replayOf: null,
  };
}
