import { createRequire } from 'node:module';
import { createHmac, randomUUID } from 'node:crypto';
import { sign } from '@octokit/webhooks-methods';

const require = createRequire(import.meta.url);

interface ExampleEvent {
  name: string;
  examples: Record<string, unknown>[];
}
const examples = require('@octokit/webhooks-examples') as ExampleEvent[];

/** A real GitHub payload from @octokit/webhooks-examples, picked by event and a predicate. */
export function githubExample(event: string, pick: (p: Record<string, unknown>) => boolean = () => true): Record<string, unknown> {
  const found = examples.find((e) => e.name === event)?.examples.find(pick);
  if (!found) throw new Error(`No ${event} example matches`);
  return structuredClone(found);
}

const ref = (p: Record<string, unknown>) => p.ref as string;

/** GitHub's own tag-push example, moved to our repository id and tag. */
export function githubTagPush(repoId: number, tag: string): Record<string, unknown> {
  const p = githubExample('push', (x) => ref(x).startsWith('refs/tags/') && x.deleted === false);
  p.ref = `refs/tags/${tag}`;
  (p.repository as Record<string, unknown>).id = repoId;
  return p;
}

/** GitHub's tag push as GitHub sends it to a hook with this secret: the body and its headers, a new delivery id each call. */
export function signedGithubTagPush(secret: string, repoId: number, tag: string): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify(githubTagPush(repoId, tag));
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'push',
      'x-github-delivery': randomUUID(),
      'x-hub-signature-256': 'sha256=' + createHmac('sha256', secret).update(body).digest('hex'),
    },
  };
}

export function githubTagDelete(repoId: number, tag: string): Record<string, unknown> {
  const p = githubExample('push', (x) => ref(x).startsWith('refs/tags/') && x.deleted === true);
  p.ref = `refs/tags/${tag}`;
  (p.repository as Record<string, unknown>).id = repoId;
  return p;
}

export function githubBranchPush(repoId: number): Record<string, unknown> {
  const p = githubExample('push', (x) => ref(x).startsWith('refs/heads/'));
  (p.repository as Record<string, unknown>).id = repoId;
  return p;
}

export function githubPing(repoId: number): Record<string, unknown> {
  const p = githubExample('ping', (x) => x.repository !== undefined);
  (p.repository as Record<string, unknown>).id = repoId;
  return p;
}

export async function githubHeaders(event: string, body: string, secret: string, delivery: string = randomUUID()): Promise<Record<string, string>> {
  return {
    'content-type': 'application/json',
    'user-agent': 'GitHub-Hookshot/044aadd',
    'x-github-event': event,
    'x-github-delivery': delivery,
    'x-github-hook-id': '292430182',
    'x-hub-signature-256': await sign(secret, body),
  };
}

/** Shaped as GitLab documents its Tag Push Hook. */
export function gitlabTagPush(projectId: number, tag: string, options: { deleted?: boolean } = {}): Record<string, unknown> {
  const zero = '0000000000000000000000000000000000000000';
  const sha = '82b3d5ae55f7080f1e6022629cdb57bfae7cccc7';
  return {
    object_kind: 'tag_push',
    event_name: 'tag_push',
    before: options.deleted ? sha : zero,
    after: options.deleted ? zero : sha,
    ref: `refs/tags/${tag}`,
    ref_protected: true,
    checkout_sha: options.deleted ? null : sha,
    user_id: 1,
    user_name: 'John Smith',
    user_avatar: 'https://s.gravatar.com/avatar/d4c74594d841139328695756648b6bd6?s=8://s.gravatar.com/avatar/d4c74594d841139328695756648b6bd6?s=80',
    project_id: projectId,
    project: {
      id: projectId,
      name: 'Example',
      description: '',
      web_url: 'http://example.com/jsmith/example',
      avatar_url: null,
      git_ssh_url: 'git@example.com:jsmith/example.git',
      git_http_url: 'http://example.com/jsmith/example.git',
      namespace: 'Jsmith',
      visibility_level: 0,
      path_with_namespace: 'jsmith/example',
      default_branch: 'master',
      homepage: 'http://example.com/jsmith/example',
      url: 'git@example.com:jsmith/example.git',
      ssh_url: 'git@example.com:jsmith/example.git',
      http_url: 'http://example.com/jsmith/example.git',
    },
    commits: [],
    total_commits_count: 0,
    repository: {
      name: 'Example',
      url: 'ssh://git@example.com/jsmith/example.git',
      description: '',
      homepage: 'http://example.com/jsmith/example',
      git_http_url: 'http://example.com/jsmith/example.git',
      git_ssh_url: 'git@example.com:jsmith/example.git',
      visibility_level: 0,
    },
  };
}

export function gitlabHeaders(event: string, token: string, idempotencyKey: string = randomUUID()): Record<string, string> {
  return {
    'content-type': 'application/json',
    'user-agent': 'GitLab/17.6.0',
    'x-gitlab-event': event,
    'x-gitlab-token': token,
    'x-gitlab-event-uuid': randomUUID(),
    'x-gitlab-webhook-uuid': randomUUID(),
    'x-gitlab-instance': 'https://gitlab.example.com',
    'idempotency-key': idempotencyKey,
  };
}
