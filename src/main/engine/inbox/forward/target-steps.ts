/**
 * inboxes.forward written once for both stores: the checks, the errors, the row a target is
 * stored as and what happens to forwards still waiting when it goes. SQLite answers the
 * operations inside its transaction (sqlite-target-ops.ts), PostgreSQL over the network
 * (pg-target-ops.ts).
 */
import { ApiError } from '../../../../shared/contract';
import type { InboxForwardTarget } from '../../../../shared/inbox-types';
import { noInbox } from '../inbox-decisions';
import { askOp, type Steps } from '../../store/steps';
import { checkUrl, DEFAULT_FORWARD_RETRY, isOwnAddress, parsePathRewrite, toForwardTarget, type TargetInput, type TargetRow } from './targets';

export interface TargetOps {
  inboxExists(inboxId: string): boolean;
  /** Oldest first. */
  targetsOf(inboxId: string): TargetRow[];
  /** Adds the target, or replaces the settings of the one with the same URL (keeping when it was added). */
  upsertTarget(row: TargetRow): void;
  deleteTarget(inboxId: string, url: string): void;
  /** Gives up the target's forwards still waiting, with this error. */
  giveUpPending(inboxId: string, url: string, error: string, at: number): void;
}

export type TargetSteps<R> = Steps<TargetOps, R>;

const ask = <K extends keyof TargetOps>(name: K, ...args: Parameters<TargetOps[K]>) => askOp<TargetOps, K>(name, ...args);

function* targetsOf(inboxId: string): TargetSteps<InboxForwardTarget[]> {
  return (yield* ask('targetsOf', inboxId)).map(toForwardTarget);
}

function* requireInbox(inboxId: string): TargetSteps<void> {
  if (!(yield* ask('inboxExists', inboxId))) throw noInbox(inboxId);
}

/** Adds a target, or replaces the one with the same URL; one target at most passes its answer back. */
export function* setTarget(inboxId: string, input: TargetInput, now: number): TargetSteps<InboxForwardTarget[]> {
  yield* requireInbox(inboxId);
  const url = checkUrl(input.url);
  if (isOwnAddress(new URL(url), inboxId)) {
    throw new ApiError('invalid_params', `${input.url} is this inbox's own address: each capture would be forwarded back into it, for ever. Forward to the app that should receive the captures.`);
  }
  const pathRewrite = input.pathRewrite ?? null;
  if (pathRewrite !== null) parsePathRewrite(pathRewrite);
  const retry = input.retrySeconds ?? DEFAULT_FORWARD_RETRY;
  const events = [...new Set(input.events ?? [])];
  const passBack = input.passBack ?? false;
  const other = (yield* targetsOf(inboxId)).find((t) => t.passBack && t.url !== url);
  if (passBack && other) {
    throw new ApiError('invalid_params', `${other.url} already passes its answer back to the sender, and a sender gets one answer; set that target again without pass-back first.`);
  }
  yield* ask('upsertTarget', { inboxId, url, events: JSON.stringify(events), pathRewrite, passBack, retrySeconds: JSON.stringify(retry), createdAt: now });
  return yield* targetsOf(inboxId);
}

/** Removes a target; its forwards still waiting are given up (those done are kept with their captures). */
export function* removeTarget(inboxId: string, rawUrl: string, now: number): TargetSteps<InboxForwardTarget[]> {
  yield* requireInbox(inboxId);
  const known = yield* targetsOf(inboxId);
  let url = rawUrl;
  try {
    url = checkUrl(rawUrl);
  } catch {
    // Matched as given below.
  }
  const target = known.find((t) => t.url === url || t.url === rawUrl);
  if (!target) {
    throw new ApiError('not_found', `Inbox ${inboxId} forwards nothing to ${rawUrl}${known.length ? `; its targets: ${known.map((t) => t.url).join(', ')}` : ''}.`);
  }
  yield* ask('deleteTarget', inboxId, target.url);
  yield* ask('giveUpPending', inboxId, target.url, 'The target was removed before this capture reached it.', now);
  return yield* targetsOf(inboxId);
}

/** inboxes.forward: sets a target, or removes one (`remove`). */
export function forwardSteps(inboxId: string, params: TargetInput & { remove?: boolean | undefined }, now: number): TargetSteps<InboxForwardTarget[]> {
  const { remove, ...target } = params;
  return remove ? removeTarget(inboxId, target.url, now) : setTarget(inboxId, target, now);
}
