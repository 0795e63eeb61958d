import type { Provider } from '../../../shared/types';
import { ApiError } from '../../../shared/contract';

const PUBLIC_API: Record<Provider, string> = { github: 'https://api.github.com', gitlab: 'https://gitlab.com/api/v4' };
const PUBLIC_WEB: Record<Provider, string[]> = {
  github: ['https://github.com', 'https://www.github.com', 'https://api.github.com'],
  gitlab: ['https://gitlab.com', 'https://www.gitlab.com', 'https://gitlab.com/api/v4'],
};
/** Enterprise Server serves the REST API under /api/v3; GitLab under /api/v4 everywhere. */
const API_PATH: Record<Provider, string> = { github: '/api/v3', gitlab: '/api/v4' };

export const providerName = (provider: Provider) => (provider === 'github' ? 'GitHub' : 'GitLab');

/**
 * The REST root for a server address as a person would type it: the web address of
 * a self-hosted server and its API address both work.
 */
export function apiBaseUrl(provider: Provider, given?: string): string {
  if (given === undefined || given.trim() === '') return PUBLIC_API[provider];
  let url: URL;
  try {
    url = new URL(given.trim());
  } catch {
    throw new ApiError('invalid_params', `Base URL "${given}" is not a URL.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ApiError('invalid_params', `Base URL "${given}" must be http or https.`);
  if (url.username || url.password) throw new ApiError('invalid_params', 'Put the token in --token, not in the base URL.');
  const bare = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  if (PUBLIC_WEB[provider].includes(bare)) return PUBLIC_API[provider];
  return bare.endsWith(API_PATH[provider]) ? bare : bare + API_PATH[provider];
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;

export const isLoopbackUrl = (url: string) => {
  try {
    return LOOPBACK.test(new URL(url).hostname);
  } catch {
    return false;
  }
};

/** A token sent over plain http to another machine can be read on the way. */
export function transportWarning(apiBase: string): string | null {
  return apiBase.startsWith('http:') && !isLoopbackUrl(apiBase)
    ? `${apiBase} is plain http: the token travels unencrypted. Use the server's https address if it has one.`
    : null;
}

/** Where a URL points, without the path (hook URLs carry their hook id there). */
export const originOf = (url: string) => {
  try {
    return new URL(url).origin;
  } catch {
    return '(not a URL)';
  }
};
