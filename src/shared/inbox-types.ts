/** What an inbox answers a sender; the default is 2xx at once. */
export interface InboxAnswer {
  status: number;
  headers: [string, string][];
  /** UTF-8 text sent as the answer body. */
  body: string;
  delayMs: number;
  /** Fail (with status) only the first N arrivals of each event id, then answer 200; null: every arrival. */
  failFirst: number | null;
  /** Fail this share of arrivals (0–1) at random, else answer 200; null: every arrival. */
  failRatio: number | null;
  /** Hold the connection open past the sender's limit instead of answering. */
  hang: boolean;
}

/** A local URL an inbox passes each capture on to, as smee-client or `stripe listen --forward-to` do. */
export interface InboxForwardTarget {
  url: string;
  /** Event names this target takes (empty: all). */
  events: string[];
  /** `FROM=>TO`: replaces the prefix FROM of the captured path with TO; null keeps the path. */
  pathRewrite: string | null;
  /** The sender gets this target's answer instead of the programmed one. */
  passBack: boolean;
  /** Seconds before each retry after a failed forward. */
  retrySeconds: number[];
}

/** One forward of one capture to one target, attempts included. */
export interface InboxForwardResult {
  url: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  status: number | null;
  headers: [string, string][];
  /** The first 64 KiB of the target's answer, as text. */
  body: string;
  durationMs: number | null;
  error: string | null;
  nextAttemptAt: number | null;
}

/** Every arrival of one event id, with the gap since the first. */
export interface InboxTimelineEntry {
  eventId: string;
  arrivals: {
    deliveryId: number;
    receivedAt: number;
    /** Milliseconds since the first arrival of this event. */
    sinceFirstMs: number;
    /** The status Hookbench answered. */
    answeredStatus: number | null;
    verdict: string;
  }[];
}

/** 2xx at once, every arrival. */
export const DEFAULT_INBOX_ANSWER: InboxAnswer = { status: 200, headers: [], body: '', delayMs: 0, failFirst: null, failRatio: null, hang: false };
