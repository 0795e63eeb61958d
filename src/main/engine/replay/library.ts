import { randomUUID } from 'node:crypto';
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

export function library(): LibraryEntry[] {
  return [...examples.map(githubEntry), ...dialectNames.flatMap(dialectEntries)];
}

export function libraryEntry(key: string): LibraryEntry {
  const entry = library().find((e) => e.key === key);
  if (!entry) throw new ApiError('not_found', `No built-in fixture "${key}"; the library lists them ("hookbench fixture library").`);
  return entry;
}
