import type { Provider } from '../../../shared/types';

/** How each provider's delivery history behaves, where ping and redelivery differ. */
export interface HistoryRules {
  name: 'GitHub' | 'GitLab';
  /** How far back the provider keeps deliveries it will redeliver. */
  windowMs: number;
  /** Events that may carry a tag push (and so are worth redelivering). */
  pushEvents: string[];
  /** What a ping arrives as: GitHub's ping event, or the test push GitLab sends instead. */
  pingEvent: string;
  pingOutcome: 'ping' | 'ignored';
  /** Whether deliveries carry their time; without it the list's order (newest first) is the order they happened. */
  timed: boolean;
}

const DAY = 86_400_000;

export const HISTORY_RULES: Record<Provider, HistoryRules> = {
  github: { name: 'GitHub', windowMs: 3 * DAY, pushEvents: ['push'], pingEvent: 'ping', pingOutcome: 'ping', timed: true },
  gitlab: { name: 'GitLab', windowMs: 7 * DAY, pushEvents: ['Tag Push Hook', 'Push Hook'], pingEvent: 'Push Hook', pingOutcome: 'ignored', timed: false },
};
