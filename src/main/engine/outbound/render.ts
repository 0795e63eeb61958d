import type { EngineEvent } from '../../../shared/types';

/** What the engine knows when one of its own events fires; each dialect renders it its own way. */
export interface EngineEventData {
  package: { id: string; name: string; provider: string; repo: string; repoId: string; createdAt: number };
  release?: { id: number; tag: string; version: string; prerelease: boolean; commitSha: string | null; status: string; createdAt: number; checks: { rule: string; passed: boolean; detail: string }[] };
}

export interface RenderContext {
  event: EngineEvent;
  data: EngineEventData;
  messageId: string;
  endpointUrl: string;
  now: number;
}

const iso = (ms: number) => new Date(ms).toISOString();
const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
const ZERO = '0000000000000000000000000000000000000000';

function privatoPackage(p: EngineEventData['package'], now: number) {
  return { id: p.id, name: p.name, slug: slug(p.name), description: `${p.provider} repository ${p.repo}`, repository: p.repo, composer_name: p.repo, created_at: iso(p.createdAt), updated_at: iso(now) };
}

function privato({ data, now }: RenderContext): unknown {
  const { release } = data;
  if (!release) return privatoPackage(data.package, now);
  return {
    id: release.id,
    name: release.tag,
    body: release.checks.filter((c) => !c.passed).map((c) => c.detail).join('\n') || `Release ${release.version}`,
    number_of_files: 0,
    size_in_bytes: 0,
    published_at: release.status === 'published' ? iso(release.createdAt) : null,
    created_at: iso(release.createdAt),
    updated_at: iso(now),
    package: privatoPackage(data.package, now),
  };
}

function repsy({ event, data, messageId, endpointUrl, now }: RenderContext): unknown {
  const [owner, name] = data.package.repo.split('/');
  return {
    rubyGem: {
      uuid: data.package.id,
      name: name ?? data.package.name,
      version: data.release?.version ?? null,
      platform: 'ruby',
      published_at: data.release ? iso(data.release.createdAt).replace('Z', '000Z') : null,
      description: data.package.name,
      authors: owner ?? null,
      homepage: null,
      license: null,
      registry: { uuid: data.package.id, owner: owner ?? null, name: data.package.name, description: null, private_repo: true, searchable: false, created_at: iso(data.package.createdAt), metadata: null },
    },
    date: iso(now).replace('Z', '000Z'),
    event_id: messageId,
    event_type: event === 'release.published' ? 'package.deployed' : event,
    repoType: 'RUBY',
    webhook_url: endpointUrl,
  };
}

function gitPush(ctx: RenderContext, style: 'github' | 'sigmagit'): unknown {
  const { data } = ctx;
  const [owner = '', name = data.package.name] = data.package.repo.split('/');
  const sha = data.release?.commitSha ?? ZERO;
  const deleted = ctx.event === 'release.tag_deleted';
  const ref = `refs/tags/${data.release?.tag ?? ''}`;
  if (style === 'sigmagit') {
    return {
      repository: { id: data.package.repoId, owner, name, url: `https://sigmagit.example/${data.package.repo}` },
      pusher: { id: 'hookbench', username: 'hookbench' },
      ref,
      before: deleted ? sha : ZERO,
      after: deleted ? ZERO : sha,
      commits: [],
      totalCommits: 0,
      sender: { id: 'hookbench', username: 'hookbench' },
    };
  }
  return {
    ref,
    before: deleted ? sha : ZERO,
    after: deleted ? ZERO : sha,
    created: !deleted,
    deleted,
    forced: false,
    base_ref: null,
    repository: { id: Number(data.package.repoId), name, full_name: data.package.repo, owner: { login: owner } },
    head_commit: deleted ? null : { id: sha, message: `Release ${data.release?.version ?? ''}` },
    commits: [],
  };
}

function envelope({ event, data, messageId, now }: RenderContext): unknown {
  return { type: event, id: messageId, timestamp: iso(now), data };
}

/**
 * An engine event in the payload shape a dialect's receivers expect: a Privato Release,
 * a Repsy `package.deployed` envelope, a Sigmagit or GitHub push of the tag, else a
 * typed envelope.
 */
export function renderEvent(dialect: string, ctx: RenderContext): { event: string; body: Buffer } {
  const isRelease = ctx.event.startsWith('release.');
  let payload: unknown;
  let event: string = ctx.event;
  if (dialect === 'privato') payload = privato(ctx);
  else if (dialect === 'repsy') {
    payload = repsy(ctx);
    event = ctx.event === 'release.published' ? 'package.deployed' : ctx.event;
  } else if ((dialect === 'sigmagit' || dialect === 'github' || dialect === 'gitea') && isRelease && ctx.data.release) {
    payload = gitPush(ctx, dialect === 'sigmagit' ? 'sigmagit' : 'github');
    event = 'push';
  } else payload = envelope(ctx);
  return { event, body: Buffer.from(JSON.stringify(payload)) };
}

/** Plausible data for a triggered sample of an engine event. */
export function sampleEventData(now: number): EngineEventData {
  return {
    package: { id: 'pkg_sample', name: 'acme/widget-sdk', provider: 'github', repo: 'acme/widget-sdk', repoId: '186853002', createdAt: now - 86_400_000 },
    release: {
      id: 1,
      tag: 'v1.4.2',
      version: '1.4.2',
      prerelease: false,
      commitSha: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
      status: 'published',
      createdAt: now,
      checks: [{ rule: 'valid-semver', passed: true, detail: 'v1.4.2 parses as semver 1.4.2.' }],
    },
  };
}
