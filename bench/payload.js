// Signed GitHub tag-push deliveries of exactly 1 KB, each with a unique delivery id and tag.
import { createHmac, randomBytes, randomUUID } from 'node:crypto';

export const BODY_BYTES = 1024;
export const REPO_ID = 42;
export const REPO = 'octo/widgets';

const hex40 = () => randomBytes(20).toString('hex');

/** A compact tag-push body for `tag`, padded with a commit message to exactly BODY_BYTES. */
export function tagPushBody(tag, repoId = REPO_ID) {
  const sha = hex40();
  const payload = {
    ref: `refs/tags/${tag}`,
    before: '0'.repeat(40),
    after: sha,
    created: true,
    deleted: false,
    forced: false,
    base_ref: null,
    compare: `https://github.com/${REPO}/compare/${tag}`,
    commits: [],
    head_commit: { id: sha, tree_id: hex40(), distinct: true, message: '', timestamp: '2026-01-01T00:00:00Z' },
    repository: { id: repoId, name: 'widgets', full_name: REPO, private: false, owner: { login: 'octo', id: 1 } },
    pusher: { name: 'octo', email: 'octo@example.com' },
    sender: { login: 'octo', id: 1, type: 'User' },
  };
  const bare = Buffer.byteLength(JSON.stringify(payload));
  payload.head_commit.message = 'x'.repeat(Math.max(0, BODY_BYTES - bare));
  return JSON.stringify(payload);
}

export function sign(secret, body) {
  return 'sha256=' + createHmac('sha256', secret).update(body).digest('hex');
}

/** Standard Webhooks (Svix): `v1,` base64 HMAC of "<id>.<timestamp>.<body>" under the whsec_ secret's base64 key. */
function standardWebhooksHeaders(secret, id, body) {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const signature = 'v1,' + createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature };
}

/**
 * One delivery ready to send: body, headers and the ids the ledger tracks. `scheme` is how it is
 * signed: GitHub's header (a package hook), or Standard Webhooks (an inbox of that dialect).
 */
export function makeDelivery(secret, tag, scheme = 'github') {
  const body = tagPushBody(tag);
  const id = randomUUID();
  if (scheme === 'standard-webhooks') {
    return {
      id,
      tag,
      body,
      headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'Svix-Webhooks/bench', ...standardWebhooksHeaders(secret, id, body) },
    };
  }
  return {
    id,
    tag,
    body,
    headers: {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      'user-agent': 'GitHub-Hookshot/bench',
      'x-github-event': 'push',
      'x-github-delivery': id,
      'x-hub-signature-256': sign(secret, body),
    },
  };
}
