/**
 * When the desktop app looks for a new version, and what it tells the person (no electron
 * import, so it is unit-tested). updates.ts wires it to electron-updater and dialogs.
 *
 * Only an installed desktop app updates itself: `hookbench serve` and the CLI never load
 * this, an unpackaged (development) app has no release to compare with, and
 * HOOKBENCH_NO_UPDATE=1 turns it off (managed machines, offline use, tests). On Linux only
 * the AppImage and the .deb can replace themselves; other installs update another way.
 */

export const FIRST_CHECK_DELAY_MS = 10_000; // after start, once the window and engine are up
export const CHECK_INTERVAL_MS = 24 * 60 * 60 * 1000;

export interface UpdateEnvironment {
  isPackaged: boolean;
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  /** electron-builder's marker in the app's resources: 'deb', 'rpm', … or null. */
  linuxPackageType: string | null;
}

export type UpdateSupport = { enabled: true } | { enabled: false; reason: string };

export function updateSupport({ isPackaged, platform, env, linuxPackageType }: UpdateEnvironment): UpdateSupport {
  const optOut = env.HOOKBENCH_NO_UPDATE;
  if (optOut !== undefined && optOut !== '' && optOut !== '0') return { enabled: false, reason: 'HOOKBENCH_NO_UPDATE is set' };
  if (!isPackaged) return { enabled: false, reason: 'this is a development build, not an installed app' };
  if (platform === 'linux' && !env.APPIMAGE && linuxPackageType !== 'deb') {
    return { enabled: false, reason: 'only the AppImage and the .deb update themselves; this install updates another way' };
  }
  return { enabled: true };
}

export type CheckOutcome = { kind: 'latest'; version: string } | { kind: 'available'; version: string } | { kind: 'failed'; message: string };

export interface Timers {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface UpdateSchedulerOptions {
  /** One look for a new version; an available one downloads in the background. */
  check(): Promise<CheckOutcome>;
  /** What a check the person asked for found (a background check says nothing). */
  report(outcome: CheckOutcome): void;
  /** Asked again when the person checks while a downloaded version waits for a restart. */
  askToRestart(version: string): void;
  timers?: Timers;
  firstDelayMs?: number;
  intervalMs?: number;
}

export interface UpdateScheduler {
  /** The check on start, then one a day. */
  start(): void;
  /** "Check for updates…": checks now and reports what it found. */
  checkNow(): Promise<void>;
  /** A new version is downloaded: no more checks, it waits for the restart. */
  downloaded(version: string): void;
  stop(): void;
}

export function createUpdateScheduler(options: UpdateSchedulerOptions): UpdateScheduler {
  const timers: Timers = options.timers ?? { setTimeout: (run, ms) => setTimeout(run, ms), clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout) };
  const firstDelayMs = options.firstDelayMs ?? FIRST_CHECK_DELAY_MS;
  const intervalMs = options.intervalMs ?? CHECK_INTERVAL_MS;
  let timer: unknown = null;
  let running: Promise<CheckOutcome> | null = null;
  let ready: string | null = null;
  let stopped = false;

  const schedule = (ms: number) => {
    if (timer !== null) timers.clearTimeout(timer);
    timer = stopped || ready ? null : timers.setTimeout(() => void background(), ms);
  };

  // One check at a time: a second request joins the one under way.
  const once = (): Promise<CheckOutcome> => {
    running ??= options
      .check()
      .catch((error: unknown): CheckOutcome => ({ kind: 'failed', message: error instanceof Error ? error.message : String(error) }))
      .finally(() => {
        running = null;
      });
    return running;
  };

  async function background(): Promise<void> {
    timer = null;
    await once();
    // The next one a day after this one ended, whatever it found: a failure is retried tomorrow.
    schedule(intervalMs);
  }

  return {
    start() {
      stopped = false;
      schedule(firstDelayMs);
    },
    async checkNow() {
      if (ready) return options.askToRestart(ready);
      const outcome = await once();
      if (!stopped) options.report(outcome);
      schedule(intervalMs);
    },
    downloaded(version) {
      ready = version;
      schedule(0);
    },
    stop() {
      stopped = true;
      schedule(0);
    },
  };
}

export interface Prompt {
  message: string;
  detail: string;
  buttons: string[];
  defaultId: number;
  cancelId: number;
}

export const RESTART_NOW = 0;

/** Asked once a new version is downloaded; "Later" installs it when the app next quits. */
export function restartPrompt(version: string): Prompt {
  return {
    message: `Hookbench ${version} is ready to install.`,
    detail: 'Restart now to use it, or later: it is installed when Hookbench quits. Your data stays where it is.',
    buttons: ['Restart Now', 'Later'],
    defaultId: RESTART_NOW,
    cancelId: 1,
  };
}

/** What a check the person asked for found, in words. */
export function outcomePrompt(outcome: CheckOutcome, currentVersion: string): Prompt {
  const ok = { buttons: ['OK'], defaultId: 0, cancelId: 0 };
  switch (outcome.kind) {
    case 'latest':
      return { ...ok, message: 'Hookbench is up to date.', detail: `${currentVersion} is the latest version.` };
    case 'available':
      return { ...ok, message: `Hookbench ${outcome.version} is available.`, detail: 'It is downloading in the background; you will be asked before Hookbench restarts.' };
    case 'failed':
      return { ...ok, message: 'Could not check for updates.', detail: outcome.message };
  }
}
