import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { durableRename } from '../engine/storage/durable-rename';
import { defaultConfigDir } from '../engine/paths';
import { UsageError } from './usage';

/** Saved logins: a token per server URL, in a file only its owner can read. */
export const PROFILES_FILE = 'servers.json';

type Profiles = Record<string, { token: string; savedAt: number }>;

export const profilesPath = (configDir = defaultConfigDir()) => join(configDir, PROFILES_FILE);

/** One spelling per server: scheme, host and port, no trailing slash. */
export function serverKey(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`--server ${url} is not a URL (expected e.g. https://hookbench.example.com).`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new UsageError(`--server ${url} must be an http(s) URL.`);
  return parsed.origin + parsed.pathname.replace(/\/+$/, '');
}

function readProfiles(path: string): Profiles {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Profiles;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new Error(`${path} cannot be read (${(error as Error).message}); fix or remove it, then log in again.`, { cause: error });
  }
}

export function savedToken(server: string, configDir?: string): string | undefined {
  return readProfiles(profilesPath(configDir))[serverKey(server)]?.token;
}

function writeProfiles(profiles: Profiles, configDir = defaultConfigDir()): string {
  mkdirSync(configDir, { recursive: true, mode: 0o700 });
  const path = profilesPath(configDir);
  const partial = `${path}.partial`;
  writeFileSync(partial, JSON.stringify(profiles, null, 2) + '\n', { mode: 0o600 });
  chmodSync(partial, 0o600);
  durableRename(partial, path);
  return path;
}

export function saveToken(server: string, token: string, configDir?: string): string {
  const profiles = readProfiles(profilesPath(configDir));
  profiles[serverKey(server)] = { token, savedAt: Date.now() };
  return writeProfiles(profiles, configDir);
}

export function forgetToken(server: string, configDir?: string): boolean {
  const profiles = readProfiles(profilesPath(configDir));
  const key = serverKey(server);
  if (!(key in profiles)) return false;
  delete profiles[key];
  writeProfiles(profiles, configDir);
  return true;
}
