import { setTimeout as delay } from 'node:timers/promises';
import { ApiError } from '../../shared/contract';
import type { MessageView } from '../../shared/types';
import type { Command, CommandContext, CommandEngine } from './context';
import { attemptsTable } from './endpoint-commands';
import { integer, positional, required } from './option-values';
import { UsageError } from './usage';

/**
 * Sends a queued message from this process and prints its attempt. If a running
 * serve claimed it first, waits for that attempt to be recorded instead. A disabled
 * endpoint's message is not sent: it waits with the others until the endpoint is enabled.
 */
async function sendAndReport(ctx: CommandContext, engine: CommandEngine, message: MessageView): Promise<void> {
  const endpoint = await ctx.call('endpoints.get', { id: message.endpointId });
  if (!endpoint.active) {
    ctx.out.data(
      { message, attempt: null },
      () =>
        `Message ${message.messageId} (${message.event}) is queued and waits: the endpoint is disabled (${endpoint.disabledReason ?? 'by hand'}).\n` +
        `It is sent, with the other ${Math.max(0, endpoint.stats.pendingMessages - 1)} waiting, once you run "hookbench endpoint enable ${endpoint.id}".`,
    );
    return;
  }
  const sentHere = await engine.sendNow(message.id);
  const deadline = Date.now() + 60_000;
  let attempts = await ctx.call('endpoints.attempts', { id: message.endpointId, limit: 20 });
  while (!sentHere && !attempts.some((a) => a.messageRowId === message.id) && Date.now() < deadline) {
    await delay(100);
    attempts = await ctx.call('endpoints.attempts', { id: message.endpointId, limit: 20 });
  }
  const mine = attempts.filter((a) => a.messageRowId === message.id).slice(0, 1);
  ctx.out.data({ message, attempt: mine[0] ?? null }, () =>
    mine.length ? `Message ${message.messageId} (${message.event}):\n${attemptsTable(mine)}` : `Message ${message.messageId} is queued; no attempt was recorded yet.`,
  );
  if (mine[0] && !mine[0].succeeded) process.exitCode = 1;
}

/**
 * Waits until each of these messages has had its first attempt, sent by the server's own
 * dispatcher: through --server this process sends nothing itself. Stops waiting once a minute
 * passes without a new attempt; returns how many had none by then (the server still sends them).
 */
async function awaitServerSends(ctx: CommandContext, endpointId: string, rowIds: number[]): Promise<number> {
  const waiting = new Set(rowIds);
  let progressAt = Date.now();
  while (waiting.size > 0 && Date.now() - progressAt < 60_000) {
    await delay(100);
    // Newest first: the window only has to reach back as far as the messages still waiting.
    const attempts = await ctx.call('endpoints.attempts', { id: endpointId, limit: Math.min(10_000, 2 * waiting.size + 100) });
    const before = waiting.size;
    for (const attempt of attempts) waiting.delete(attempt.messageRowId);
    if (waiting.size < before) progressAt = Date.now();
  }
  return waiting.size;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;

/** `trigger --count N`: a load test of the receiving service, with figures. */
async function sendMany(ctx: CommandContext, engine: CommandEngine, params: { id: string; event: string }, count: number): Promise<void> {
  const started = performance.now();
  const { ids, createdAt } = await ctx.call('endpoints.triggerMany', { ...params, count });
  const unsent = ctx.remote ? await awaitServerSends(ctx, params.id, ids) : await engine.sendAll(params.id, ids).then(() => 0);
  const elapsedMs = performance.now() - started;
  const rows = new Set(ids);
  const attempts = (await ctx.call('endpoints.attempts', { id: params.id, limit: Math.min(10_000, count * 2) })).filter((a) => rows.has(a.messageRowId) && a.attemptNo === 1);
  const latencies = attempts.map((a) => a.startedAt + (a.durationMs ?? 0) - createdAt).sort((a, b) => a - b);
  const summary = {
    sent: count,
    succeeded: attempts.filter((a) => a.succeeded).length,
    failed: attempts.filter((a) => !a.succeeded).length,
    elapsedMs: Math.round(elapsedMs),
    perSecond: Math.round((count / elapsedMs) * 1000),
    p50Ms: pct(latencies, 50),
    p99Ms: pct(latencies, 99),
  };
  ctx.out.data(
    summary,
    () =>
      `${summary.sent} messages: ${summary.succeeded} answered 2xx, ${summary.failed} failed first time, in ${summary.elapsedMs} ms ` +
      `(${summary.perSecond}/s; enqueue→answer p50 ${summary.p50Ms} ms, p99 ${summary.p99Ms} ms).` +
      (unsent > 0 ? `\n${unsent} had no attempt yet after a minute without one; the server sends them when it can.` : ''),
  );
  if (summary.failed > 0 || unsent > 0) process.exitCode = 1;
}

export function sendCommands(engine: CommandEngine): { trigger: Command; message: Record<string, Command> } {
  return {
    async trigger(ctx) {
      const count = integer(ctx, 'count', 1, 1_000_000) ?? 1;
      const params = { id: required(ctx, 'endpoint'), event: required(ctx, 'event') };
      if (count === 1) return sendAndReport(ctx, engine, await ctx.call('endpoints.trigger', params));
      const endpoint = await ctx.call('endpoints.get', { id: params.id });
      // A load test measures sends; a disabled endpoint would only pile them up.
      if (!endpoint.active) {
        throw new ApiError(
          'conflict',
          `Endpoint ${params.id} is disabled (${endpoint.disabledReason ?? 'by hand'}): enable it first with "hookbench endpoint enable ${params.id}". Nothing was queued.`,
        );
      }
      await sendMany(ctx, engine, params, count);
    },
    message: {
      async resend(ctx) {
        const id = Number(positional(ctx, 'message id (the number from "endpoint messages")'));
        if (!Number.isInteger(id) || id < 1) throw new UsageError('Message id must be a positive whole number.');
        await sendAndReport(ctx, engine, await ctx.call('messages.resend', { id }));
      },
    },
  };
}
