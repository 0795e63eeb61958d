import { summarizeChecks } from '../../../shared/release-text';
import type { EngineEvent } from '../../../shared/types';
import type { EngineEventData } from './render';

/** One line a person reads in a channel: what happened, to what, and how it went. */
export function headline(event: EngineEvent, data: EngineEventData): string {
  const pkg = data.package.name;
  const r = data.release;
  switch (event) {
    case 'release.published':
      return `Release ${r?.version} of ${pkg} published (tag ${r?.tag}).`;
    case 'release.checks_failed':
      return `Release ${r?.version} of ${pkg} failed its checks and was not published.`;
    case 'release.tag_deleted':
      return `Tag ${r?.tag} of ${pkg} was deleted upstream; release ${r?.version} is marked tag-deleted.`;
    case 'package.created':
      return `Package ${pkg} added (${data.package.provider} ${data.package.repo}).`;
    case 'package.updated':
      return `Package ${pkg} updated.`;
    case 'package.deleted':
      return `Package ${pkg} removed.`;
  }
}

/** Failed checks, then notes (info rules say something about a release; they do not fail it). */
function failedChecks(data: EngineEventData): string[] {
  const { failed, notes } = summarizeChecks(data.release?.checks ?? []);
  return [...failed.map((c) => `Failed ${c.rule}: ${c.detail}`), ...notes.map((c) => `Note (${c.rule}): ${c.detail}`)];
}

/** A Slack incoming-webhook message. */
export function slackMessage(event: EngineEvent, data: EngineEventData): unknown {
  const text = headline(event, data);
  const checks = failedChecks(data);
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text } },
      ...(checks.length ? [{ type: 'context', elements: checks.slice(0, 10).map((c) => ({ type: 'mrkdwn', text: c })) }] : []),
    ],
  };
}

const COLOURS: Partial<Record<EngineEvent, number>> = {
  'release.published': 0x2da44e,
  'release.checks_failed': 0xcf222e,
  'release.tag_deleted': 0x9a6700,
};

/** A Discord webhook message with one embed. */
export function discordMessage(event: EngineEvent, data: EngineEventData): unknown {
  const checks = failedChecks(data);
  return {
    content: headline(event, data),
    embeds: [
      {
        title: data.release ? `${data.package.name} ${data.release.version}` : data.package.name,
        description: checks.length ? checks.slice(0, 10).join('\n') : `${data.package.provider} · ${data.package.repo}`,
        color: COLOURS[event] ?? 0x57606a,
        footer: { text: event },
      },
    ],
  };
}

function lookup(root: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), root);
}

/**
 * Fills `{{path}}` placeholders (event, messageId, package.name, release.version, …).
 * In a JSON template the values are JSON-escaped, so a quote in a tag cannot break the document.
 */
export function fillTemplate(template: string, scope: Record<string, unknown>): { body: string; contentType: string } {
  const json = /^\s*[[{]/.test(template);
  const body = template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_m, path: string) => {
    const value = lookup(scope, path);
    const text = value === undefined || value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
    return json ? JSON.stringify(text).slice(1, -1) : text;
  });
  return { body, contentType: json ? 'application/json' : 'text/plain; charset=utf-8' };
}
