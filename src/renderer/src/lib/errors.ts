import { CallError } from '../api/transport';

const FIELD_NAMES: Record<string, string> = {
  url: 'URL',
  name: 'Name',
  events: 'Events',
  dialect: 'Dialect',
  secret: 'Secret',
  retryDelays: 'Retry schedule',
  repo: 'Repository',
  repoId: 'Repository id',
  headers: 'Headers',
  bodyBase64: 'Body',
  secrets: 'Secrets',
  q: 'Search',
};

function friendlyIssue(issue: string): string {
  const at = issue.indexOf(': ');
  if (at === -1) return issue;
  const path = issue.slice(0, at);
  const field = FIELD_NAMES[path.split('.')[0] ?? ''] ?? path;
  let message = issue.slice(at + 2);
  if (/invalid url/i.test(message)) message = 'enter a full URL, for example http://127.0.0.1:9000/hooks';
  return `${field}: ${message}`;
}

/** An error in words a person can act on. */
export function describeError(error: unknown): string {
  if (error instanceof CallError) {
    switch (error.code) {
      case 'unreachable':
        return 'Hookbench is not answering. If you started it with `hookbench serve`, check that it is still running, then reload this page.';
      case 'unauthorised':
        return 'This page has no valid access token. Open the UI link that `hookbench serve` printed (it ends in ?token=…).';
      case 'token_required':
        return 'This Hookbench server needs an API token: enter the one its admin gave you.';
      case 'forbidden':
        return `Your token's role does not allow this. ${error.message}`;
      case 'invalid_params':
        return error.issues?.length ? error.issues.map(friendlyIssue).join(' · ') : error.message;
      case 'not_found':
        return `${error.message} It may have been removed; refresh the list.`;
      case 'internal':
        // The engine's message says what failed and what to do (an unexpected one names the log with its stack).
        return error.message;
      default:
        return error.message;
    }
  }
  if (error instanceof Error) return error.message;
  return String(error);
}
