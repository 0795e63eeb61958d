import type { DialectInfo } from '../../../shared/types';
import { dialectNames, getDialect } from './index';

/** What the window and the CLI show of each dialect: the table itself, no storage. */
export function listDialectInfos(): DialectInfo[] {
  return dialectNames.map((name): DialectInfo => {
    const d = getDialect(name);
    return {
      name: d.name,
      label: d.label,
      headers: d.headers,
      secret: d.secret.description,
      timestampFormat: d.timestamp?.format ?? null,
      events: d.events.map((e) => ({ name: e.name, variant: e.variant, description: e.description })),
      retry: d.retry,
    };
  });
}
