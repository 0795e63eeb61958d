import type { CommandContext } from './context';
import { UsageError } from './usage';

export function required(ctx: CommandContext, name: string): string {
  const value = optional(ctx, name);
  if (value === undefined || value === '') throw new UsageError(`--${name} is required.`);
  return value;
}

export function optional(ctx: CommandContext, name: string): string | undefined {
  const value = ctx.options[name];
  if (Array.isArray(value)) return value.at(-1);
  return typeof value === 'string' ? value : undefined;
}

export function many(ctx: CommandContext, name: string): string[] {
  const value = ctx.options[name];
  const list = Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
  return list.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

export function positional(ctx: CommandContext, what: string): string {
  const value = ctx.positionals[0];
  if (!value) throw new UsageError(`Missing ${what}.`);
  return value;
}

export function integer(ctx: CommandContext, name: string, min: number, max: number): number | undefined {
  const raw = optional(ctx, name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}.`);
  return n;
}

/** A time given as ISO 8601, unix seconds, or "1h"/"30m"/"2d" ago. */
export function since(ctx: CommandContext, name: string, now = Date.now()): number {
  const raw = required(ctx, name);
  const ago = /^(\d+)([smhd])$/.exec(raw);
  if (ago) return now - Number(ago[1]) * { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3 }[ago[2] as 's' | 'm' | 'h' | 'd'];
  if (/^\d+$/.test(raw)) return Number(raw) * 1000;
  const parsed = Date.parse(raw);
  if (Number.isNaN(parsed)) throw new UsageError(`--${name} must be an ISO time, unix seconds, or an age such as 2h.`);
  return parsed;
}
