import { homedir } from 'node:os';
import { join } from 'node:path';

/** The OS convention for per-user application data: XDG on Linux. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.HOOKBENCH_DATA_DIR) return env.HOOKBENCH_DATA_DIR;
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Hookbench');
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Hookbench');
  return join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'hookbench');
}

/** The OS convention for per-user settings (saved server logins): XDG on Linux. */
export function defaultConfigDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.HOOKBENCH_CONFIG_DIR) return env.HOOKBENCH_CONFIG_DIR;
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Hookbench');
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Hookbench');
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'hookbench');
}
