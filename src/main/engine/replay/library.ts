import { randomUUID } from 'node:crypto';
import type { Provider } from '../../../shared/types';
import { ApiError } from '../../../shared/contract';
import { SIGNATURE_HEADER } from '../../../shared/header-names';
import { dialectNames, getDialect } from '../dialects';
import githubExamples from '../../../../resources/fixtures/github-examples.json';

/** A ready-made request: real GitHub payloads and a sample of every event of every dialect. */
export interface LibraryEntry {
  key: string;
  dialect: string;
  event: string;
  description: string;
  headers(): [string, string][];
  body(): Buffer;
}

interface GitHubExample {
  event: string;
  action: string | null;
  variant: string | null;
  payload: unknown;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const examples = (githubExamples as { examples: GitHubExample[] }).examples;

function githubEntry(e: GitHubExample, i: number): LibraryEntry {
  const label = [e.event, e.action, e.variant].filter(Boolean).join(' ');
  return {
    key: `github-example/${e.event}/${i}`,
    dialect: 'github',
    event: e.event,
    description: `Real GitHub ${label} payload (@octokit/webhooks-examples)`,
    headers: () => [
      ['Content-Type', 'application/json'],
      ['User-Agent', 'GitHub-Hookshot/a1b2c3d'],
      ['X-GitHub-Event', e.event],
      ['X-GitHub-Delivery', randomUUID()],
    ],
    body: () => Buffer.from(JSON.stringify(e.payload)),
  };
}

/** A dialect's own sample, with its event/id/user-agent headers but no signature: that is added when fired. */
function dialectEntries(name: string): LibraryEntry[] {
  const dialect = getDialect(name);
  return dialect.events.map((event) => ({
    key: `${name}/${event.name}${event.variant ? `:${event.variant}` : ''}`,
    dialect: name,
    event: event.name,
    description: `${dialect.label}: ${event.description}`,
    headers: () => {
      const body = Buffer.from(JSON.stringify(event.sample()));
      const signed = dialect.sign(body, dialect.generateSecret(), { timestamp: Math.floor(Date.now() / 1000), id: `msg_${randomUUID()}`, event: event.name });
      const unsigned = Object.entries(signed.headers).filter(([k]) => !SIGNATURE_HEADER.test(k));
      return [['Content-Type', 'application/json'], ...unsigned];
    },
    body: () => Buffer.from(JSON.stringify(event.sample())),
  }));
}

/** What sets one example apart from others of the same event: who it came from. */
function setting(payload: unknown): string {
  const p = isRecord(payload) ? payload : {};
  if (isRecord(p.installation)) return 'sent to an app installation';
  if (isRecord(p.organization)) return isRecord(p.repository) && p.repository.organization ? "in an organization's repository" : 'in an organization';
  return 'in a personal repository';
}

/**
 * Every entry's description tells it apart from the others: examples that share an event get
 * where they were sent from, then a number if that is still not enough.
 */
function distinct(entries: LibraryEntry[], payloadOf: (e: LibraryEntry) => unknown): LibraryEntry[] {
  const twice = (list: LibraryEntry[], rename: (e: LibraryEntry, i: number, of: number) => string) => {
    const groups = new Map<string, LibraryEntry[]>();
    for (const e of list) groups.set(e.description, [...(groups.get(e.description) ?? []), e]);
    return list.map((e) => {
      const group = groups.get(e.description)!;
      return group.length > 1 ? { ...e, description: rename(e, group.indexOf(e) + 1, group.length) } : e;
    });
  };
  const withSetting = twice(entries, (e) => `${e.description}, ${setting(payloadOf(e))}`);
  return twice(withSetting, (e, i, of) => `${e.description} (${i} of ${of})`);
}

let built: LibraryEntry[] | null = null;

export function library(): LibraryEntry[] {
  built ??= distinct([...examples.map(githubEntry), ...dialectNames.flatMap(dialectEntries)], (e) => {
    try {
      return JSON.parse(e.body().toString('utf8')) as unknown;
    } catch {
      return null;
    }
  });
  return built;
}

/** fixtures.library: what each entry is, without its request. */
export function libraryListing(): { key: string; dialect: string; event: string; description: string }[] {
  return library().map(({ key, dialect, event, description }) => ({ key, dialect, event, description }));
}

export function libraryEntry(key: string): LibraryEntry {
  const entry = library().find((e) => e.key === key);
  if (!entry) throw new ApiError('not_found', `No built-in fixture "${key}"; the library lists them ("hookbench fixture library").`);
  return entry;
}

/**
 * A library sample fired at a package, made to speak for that package's repository: the
 * samples carry the example repository's id, which the receiver would rightly refuse (422).
 * Only ids already in the payload change; anything not JSON is left as it is.
 */
export function forRepository(body: Buffer, provider: Provider, repoId: string): Buffer {
  let payload: unknown;
  try {
    payload = JSON.parse(body.toString('utf8'));
  } catch {
    return body;
  }
  if (!isRecord(payload)) return body;
  const id = /^\d+$/.test(repoId) && Number.isSafeInteger(Number(repoId)) ? Number(repoId) : repoId;
  if (provider === 'github' && isRecord(payload.repository)) payload.repository.id = id;
  if (provider === 'gitlab') {
    if (isRecord(payload.project)) payload.project.id = id;
    if ('project_id' in payload) payload.project_id = id;
  }
  return Buffer.from(JSON.stringify(payload));
}
