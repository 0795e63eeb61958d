import { readFileSync, writeFileSync } from 'node:fs';
import type { FixtureDetail, ImportResult, ReplayPreview, ReplayView } from '../../shared/types';
import type { Progress } from '../engine/replay/import';
import type { Command, CommandContext, CommandEngine } from './context';
import { many, optional, positional, required } from './option-values';
import { table, time } from './output';
import { withReveal } from './reveal';
import { UsageError } from './usage';

function headerOptions(ctx: CommandContext): [string, string][] {
  return many(ctx, 'header').map((line) => {
    const colon = line.indexOf(':');
    if (colon < 1) throw new UsageError(`--header takes "Name: value", got ${JSON.stringify(line)}.`);
    return [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
  });
}

function modeOf(ctx: CommandContext, fallback: 'exact' | 'resign' | 'edit'): 'exact' | 'resign' | 'edit' {
  const mode = optional(ctx, 'mode') ?? fallback;
  if (mode !== 'exact' && mode !== 'resign' && mode !== 'edit') throw new UsageError('--mode must be exact, resign or edit.');
  return mode;
}

const showReplay = (ctx: CommandContext, r: ReplayView) =>
  ctx.out.data(r, () =>
    [
      `Replay #${r.id} of ${r.source} (${r.mode}) → ${r.method} ${r.targetUrl}`,
      `Answered ${r.status ?? '-'}${r.error ? ` — ${r.error}` : ''} in ${r.durationMs ?? '-'} ms${r.deliveryId ? `; stored as delivery #${r.deliveryId}` : ''}`,
      ...r.requestHeaders.map(([k, v]) => `  ${k}: ${v}`),
      r.responseBody ? `\n${r.responseBody.slice(0, 2000)}` : '',
    ].join('\n'),
  );

const showPreview = (ctx: CommandContext, p: ReplayPreview) =>
  ctx.out.data(p, () =>
    [
      ...(p.effect ? [p.effect.text, ''] : []),
      `Would send to ${p.targetUrl}${p.signedAs ? `, signed as ${p.signedAs}` : ''} (not sent):`,
      ...p.headers.map(([k, v]) => `  ${k}: ${v}`),
      '',
      Buffer.from(p.bodyBase64, 'base64').toString('utf8'),
      ...p.notes.map((n) => `\n${n}`),
    ].join('\n'),
  );

/** Checked here so a typo reads as a usage error, not as the control API's parameter report. */
function replayRef(ctx: CommandContext): string {
  const ref = positional(ctx, 'what to replay: a delivery id, attempt:ID or fixture:ID');
  if (!/^(attempt:|fixture:)?[1-9]\d*$/.test(ref)) throw new UsageError(`Replay takes a delivery id, attempt:ID or fixture:ID, not ${JSON.stringify(ref)}.`);
  return ref;
}

function targetUrl(ctx: CommandContext): string | undefined {
  const to = optional(ctx, 'to');
  if (to === undefined) return undefined;
  if (!URL.canParse(to) || !/^https?:$/.test(new URL(to).protocol)) throw new UsageError(`--to takes an http(s) URL, not ${JSON.stringify(to)}.`);
  return to;
}

export const replayCommand: Command = async (ctx) => {
  const body = optional(ctx, 'body-file');
  const headers = headerOptions(ctx);
  const mode = modeOf(ctx, body || headers.length ? 'edit' : 'exact');
  const to = targetUrl(ctx);
  if ([to, optional(ctx, 'package'), optional(ctx, 'inbox')].filter(Boolean).length > 1) throw new UsageError('Give one target: --to URL, --package P or --inbox I.');
  const params = {
    ref: replayRef(ctx),
    mode,
    ...(to ? { to } : {}),
    ...(optional(ctx, 'package') ? { packageId: optional(ctx, 'package')! } : {}),
    ...(optional(ctx, 'inbox') ? { inboxId: optional(ctx, 'inbox')! } : {}),
    ...(optional(ctx, 'dialect') ? { dialect: optional(ctx, 'dialect')! } : {}),
    ...(optional(ctx, 'secret') ? { secret: optional(ctx, 'secret')! } : {}),
    ...(ctx.options['new-id'] === true ? { newId: true } : {}),
    ...(body ? { bodyBase64: readFileSync(body).toString('base64') } : {}),
    ...(headers.length ? { headers } : {}),
  };
  if (ctx.options['dry-run'] === true) return showPreview(ctx, await ctx.call('replay.preview', params));
  const r = await ctx.call('replay.run', params);
  showReplay(ctx, r);
  if (r.status === null || r.status >= 300) process.exitCode = 1;
};

/** "PROPFIND /a/b?x=1" for a fixture saved from an inbox capture; a plain POST has none. */
const requestLine = (f: { method: string | null; path: string | null }) => (f.method ? `${f.method} ${f.path || '/'}` : '');

const describeFixture = (f: FixtureDetail, note: string[]) =>
  [
    `Fixture #${f.id} "${f.name}" (${f.dialect ?? 'no dialect'}, ${f.event ?? 'no event'}) from ${f.origin}`,
    ...(f.method ? [`Sent as ${requestLine(f)} (after the address it is fired at)`] : []),
    ...f.headers.map(([k, v]) => `  ${k}: ${v}`),
    ...note,
    '',
    Buffer.from(f.bodyBase64, 'base64').toString('utf8'),
  ].join('\n');

const fixtureId = (ctx: CommandContext) => {
  const id = Number(positional(ctx, 'fixture id'));
  if (!Number.isInteger(id) || id < 1) throw new UsageError('Fixture id must be a positive whole number.');
  return id;
};

export const fixtureCommands: Record<string, Command> = {
  async save(ctx) {
    const library = optional(ctx, 'library');
    const name = optional(ctx, 'name');
    const f = await ctx.call('fixtures.save', {
      ...(library ? { libraryKey: library } : { ref: positional(ctx, 'what to save: a delivery id or attempt:ID (or --library KEY)') }),
      ...(name ? { name } : {}),
    });
    ctx.out.data(f, () => `Saved fixture #${f.id} "${f.name}".`);
  },
  async list(ctx) {
    const list = await ctx.call('fixtures.list', {});
    const withRequest = list.some((f) => f.method);
    const columns = ['id', 'name', 'dialect', 'event', ...(withRequest ? ['request'] : []), 'origin', 'bodySize'];
    ctx.out.data(list, () => table(list.map((f) => ({ ...f, request: requestLine(f), at: time(f.createdAt) })), columns));
  },
  async library(ctx) {
    const list = await ctx.call('fixtures.library', {});
    ctx.out.data(list, () => table(list, ['key', 'dialect', 'event', 'description']));
  },
  async show(ctx) {
    const id = fixtureId(ctx);
    const f = await ctx.call('fixtures.get', { id });
    const { headers, note } = await withReveal(ctx, `fixture:${id}`, f.headers);
    const shown = { ...f, headers };
    ctx.out.data(shown, () => describeFixture(shown, note));
  },
  async fire(ctx) {
    const mode = optional(ctx, 'mode');
    if (mode !== undefined && mode !== 'exact' && mode !== 'resign') throw new UsageError('--mode must be exact or resign.');
    const id = fixtureId(ctx);
    const packageId = optional(ctx, 'package');
    const inboxId = optional(ctx, 'inbox');
    const to = targetUrl(ctx);
    if ([optional(ctx, 'endpoint'), to, packageId, inboxId].filter(Boolean).length !== 1) {
      throw new UsageError('Give one target: --endpoint E, --to URL, --package P or --inbox I.');
    }
    const target = {
      ...(to ? { to } : {}),
      ...(packageId ? { packageId } : {}),
      ...(inboxId ? { inboxId } : {}),
      ...(mode ? { mode: mode as 'exact' | 'resign' } : {}),
      ...(optional(ctx, 'secret') ? { secret: optional(ctx, 'secret')! } : {}),
      ...(optional(ctx, 'dialect') ? { dialect: optional(ctx, 'dialect')! } : {}),
    };
    if (ctx.options['dry-run'] === true) {
      if (optional(ctx, 'endpoint')) throw new UsageError('--dry-run previews a send to --to URL, --package P or --inbox I; at an endpoint a fixture is queued as a message.');
      // As a real fire does: into a package it is signed with the package's secret.
      return showPreview(ctx, await ctx.call('replay.preview', { ref: `fixture:${id}`, mode: packageId ? 'resign' : 'exact', ...target }));
    }
    const result = await ctx.call('fixtures.fire', { id, ...(optional(ctx, 'endpoint') ? { endpointId: optional(ctx, 'endpoint')! } : {}), ...target });
    if (result.replay) return showReplay(ctx, result.replay);
    const endpoint = result.message ? await ctx.call('endpoints.get', { id: result.message.endpointId }) : null;
    const waits = endpoint && !endpoint.active ? ` It waits: the endpoint is disabled (${endpoint.disabledReason ?? 'by hand'}) until "hookbench endpoint enable ${endpoint.id}".` : '';
    ctx.out.data(result, () => `Queued as message ${result.message?.messageId}; see "endpoint attempts".${waits}`);
  },
  async remove(ctx) {
    const id = fixtureId(ctx);
    ctx.out.data({ id, ...(await ctx.call('fixtures.remove', { id })) }, () => `Fixture ${id} removed.`);
  },
};

export const exportCommand: Command = async (ctx) => {
  const format = required(ctx, 'format');
  if (format !== 'har' && format !== 'curl' && format !== 'json') throw new UsageError('--format must be har, curl or json.');
  const ids = many(ctx, 'ids').map(Number);
  if (ids.some((n) => !Number.isInteger(n) || n < 1)) throw new UsageError('--ids takes delivery ids separated by commas.');
  const packageId = optional(ctx, 'package');
  const result = await ctx.call('export.run', { format, ...(ids.length ? { ids } : {}), ...(packageId ? { packageId } : {}) });
  if (result.count === 0 && (ids.length || packageId)) {
    throw new UsageError(`Nothing to export: no stored delivery matches ${ids.length ? `--ids ${ids.join(',')}` : `--package ${packageId}`}; nothing was written.`);
  }
  const out = optional(ctx, 'out');
  if (out) {
    writeFileSync(out, result.text);
    process.stderr.write(`Exported ${result.count} deliveries as ${format} to ${out}.\n`);
  } else process.stdout.write(result.text);
};

export function importCommand(engine: CommandEngine): Command {
  return async (ctx) => {
    const path = positional(ctx, 'the file to import (HAR or a Hookbench bundle)');
    let last = 0;
    const progress: Progress = (done, total, stage) => {
      if (ctx.out.json || Date.now() - last < 250) return;
      last = Date.now();
      process.stderr.write(
        stage === 'uploading'
          ? `\rsent ${done} of ${total ?? '?'} bytes…`
          : stage === 'checking'
            ? `\rchecked ${done} records…`
            : `\rimported ${done}${total ? ` of ${total}` : ''}…`,
      );
    };
    // Ctrl+C (or a TERM) stops the import and takes back what it wrote before exiting; a second one exits at once.
    const stop = new AbortController();
    const interrupt = () => {
      process.stderr.write('\nInterrupted: taking back what this import wrote…\n');
      stop.abort();
      process.once('SIGINT', () => process.exit(130));
      process.once('SIGTERM', () => process.exit(143));
    };
    process.once('SIGINT', interrupt);
    process.once('SIGTERM', interrupt);
    let result: ImportResult;
    try {
      result = await engine.importFile(path, progress, stop.signal);
    } catch (error) {
      if (stop.signal.aborted) throw new Error(`Import of ${path} interrupted; nothing was imported.`, { cause: error });
      throw error;
    } finally {
      process.off('SIGINT', interrupt);
      process.off('SIGTERM', interrupt);
    }
    if (!ctx.out.json) process.stderr.write('\r');
    const already = result.alreadyStored ? `; ${result.alreadyStored} records were stored by an earlier import already and were left out` : '';
    ctx.out.data(result, () => `Imported ${result.deliveries} deliveries and ${result.fixtures} fixtures from ${path} (${result.format}), marked as imported${already}.`);
  };
}
