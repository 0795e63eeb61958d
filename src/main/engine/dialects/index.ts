import type { HeaderList } from '../receiver/headers';
import { gitea } from './gitea';
import { github } from './github';
import { gitlab } from './gitlab';
import { privato } from './privato';
import { repsy } from './repsy';
import { shopify } from './shopify';
import { sigmagit } from './sigmagit';
import { slack } from './slack';
import { standardWebhooks } from './standard-webhooks';
import { stripe } from './stripe';
import type { Dialect, DialectName } from './types';

export type * from './types';

/** Every dialect Hookbench speaks, by name. Adding a dialect is adding a file and a line here. */
export const dialects: Record<DialectName, Dialect> = {
  github,
  gitlab,
  privato,
  repsy,
  sigmagit,
  'standard-webhooks': standardWebhooks,
  stripe,
  slack,
  shopify,
  gitea,
};

export const dialectNames = Object.keys(dialects) as DialectName[];

export function isDialectName(name: string): name is DialectName {
  return Object.hasOwn(dialects, name);
}

export function getDialect(name: string): Dialect {
  if (isDialectName(name)) return dialects[name];
  throw new Error(`Unknown dialect ${JSON.stringify(name)}. Known dialects: ${dialectNames.join(', ')}.`);
}

/**
 * Every dialect whose headers are present, most specific first (e.g. Gitea before GitHub, whose
 * headers Gitea also sends; GitLab before Standard Webhooks, whose format GitLab can sign in).
 */
export function detectDialects(headers: HeaderList): Dialect[] {
  return dialectNames
    .map((name) => dialects[name])
    .filter((d) => d.detect(headers))
    .sort((a, b) => b.specificity - a.specificity);
}
