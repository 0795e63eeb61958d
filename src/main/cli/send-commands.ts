import { setTimeout as delay } from 'node:timers/promises';
import type { MessageView } from '../../shared/types';
import type { Command, CommandContext, CommandEngine } from './context';
import { attemptsTable } from './endpoint-commands';
import { positional, required } from './option-values';
import { UsageError } from './usage';

/**
 * Sends a queued message from this process and prints its attempt. If a running
 * serve claimed it first, waits for that attempt to be recorded instead.
 */
async function sendAndReport(ctx: CommandContext, engine: CommandEngine, message: MessageView): Promise<void> {
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

export function sendCommands(engine: CommandEngine): { trigger: Command; message: Record<string, Command> } {
  return {
    async trigger(ctx) {
      const message = await ctx.call('endpoints.trigger', { id: required(ctx, 'endpoint'), event: required(ctx, 'event') });
      await sendAndReport(ctx, engine, message);
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
