import { HIDDEN } from '../../shared/secret-headers';
import type { CommandContext } from './context';

/** The headers with every hidden value opened, one recorded reveal per header name. */
async function revealed(ctx: CommandContext, ref: string, headers: [string, string][]): Promise<[string, string][]> {
  const names = [...new Set(headers.filter(([, v]) => v === HIDDEN).map(([k]) => k.toLowerCase()))];
  const values = new Map<string, string[]>();
  for (const name of names) values.set(name, [...(await ctx.call('captured.reveal', { ref, header: name, via: 'cli' })).values]);
  return headers.map(([k, v]) => [k, v === HIDDEN ? (values.get(k.toLowerCase())?.shift() ?? v) : v]);
}

/**
 * A stored request's headers as `show` prints them: with --reveal, credentials opened (each
 * reveal written to the activity feed, as one from the app is); without, a line saying how.
 */
export async function withReveal(ctx: CommandContext, ref: string, headers: [string, string][]): Promise<{ headers: [string, string][]; note: string[] }> {
  const hidden = headers.filter(([, v]) => v === HIDDEN).length;
  if (hidden === 0) return { headers, note: [] };
  if (ctx.options.reveal === true) return { headers: await revealed(ctx, ref, headers), note: [] };
  return { headers, note: [`(${hidden === 1 ? 'a credential is' : `${hidden} credentials are`} hidden: --reveal shows them and records that in the activity feed)`] };
}
