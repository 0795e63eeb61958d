import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { menuTemplate } from '../../src/main/shell/menu-template';
import {
  CHECK_INTERVAL_MS,
  createUpdateScheduler,
  FIRST_CHECK_DELAY_MS,
  outcomePrompt,
  restartPrompt,
  updateSupport,
  type CheckOutcome,
  type Timers,
  type UpdateEnvironment,
} from '../../src/main/shell/update-policy';

const root = join(import.meta.dirname, '../..');

/** A clock the test moves by hand: due callbacks run, in order, when it is advanced. */
function manualClock() {
  let now = 0;
  let nextId = 0;
  const pending = new Map<number, { at: number; run: () => void }>();
  const timers: Timers = {
    setTimeout(run, ms) {
      const id = ++nextId;
      pending.set(id, { at: now + ms, run });
      return id;
    },
    clearTimeout: (id) => void pending.delete(id as number),
  };
  return {
    timers,
    pendingCount: () => pending.size,
    async advance(ms: number) {
      const until = now + ms;
      for (;;) {
        const due = [...pending.entries()].filter(([, t]) => t.at <= until).sort(([, a], [, b]) => a.at - b.at)[0];
        if (!due) break;
        pending.delete(due[0]);
        now = due[1].at;
        due[1].run();
        // Lets the check's promise chain settle before the next timer is looked at.
        for (let i = 0; i < 10; i++) await Promise.resolve();
      }
      now = until;
    },
  };
}

/** A check that stays open until the test answers it. */
function controllableCheck() {
  const answers: Array<(outcome: CheckOutcome) => void> = [];
  const check = vi.fn(() => new Promise<CheckOutcome>((done) => answers.push(done)));
  return { check, answer: (outcome: CheckOutcome) => answers.shift()!(outcome), open: () => answers.length };
}

const settle = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

describe('whether the app updates itself', () => {
  const installed: UpdateEnvironment = { isPackaged: true, platform: 'win32', env: {}, linuxPackageType: null };

  it('does in an installed app on Windows and macOS, and from an AppImage or a .deb on Linux', () => {
    expect(updateSupport(installed)).toEqual({ enabled: true });
    expect(updateSupport({ ...installed, platform: 'darwin' })).toEqual({ enabled: true });
    expect(updateSupport({ ...installed, platform: 'linux', env: { APPIMAGE: '/home/me/Hookbench.AppImage' } })).toEqual({ enabled: true });
    expect(updateSupport({ ...installed, platform: 'linux', linuxPackageType: 'deb' })).toEqual({ enabled: true });
    expect(updateSupport({ ...installed, env: { HOOKBENCH_NO_UPDATE: '0' } })).toEqual({ enabled: true });
  });

  it('does not when HOOKBENCH_NO_UPDATE=1, in a development build, or from another Linux install', () => {
    expect(updateSupport({ ...installed, env: { HOOKBENCH_NO_UPDATE: '1' } })).toMatchObject({ enabled: false, reason: expect.stringContaining('HOOKBENCH_NO_UPDATE') });
    expect(updateSupport({ ...installed, isPackaged: false })).toMatchObject({ enabled: false, reason: expect.stringContaining('development build') });
    expect(updateSupport({ ...installed, platform: 'linux' })).toMatchObject({ enabled: false });
    expect(updateSupport({ ...installed, platform: 'linux', linuxPackageType: 'rpm' })).toMatchObject({ enabled: false });
  });

  it('is decided without Electron (the policy has no runtime electron import)', () => {
    const policy = readFileSync(join(root, 'src/main/shell/update-policy.ts'), 'utf8');
    expect([...policy.matchAll(/^import\s+(?!type\b)[^;]*from\s+'electron/gm)]).toEqual([]);
  });

  it('is never reached from the CLI or `hookbench serve`: nothing they import loads the updater', () => {
    // Follows the relative imports from the CLI's entry through the sources.
    const seen = new Set<string>();
    const bare = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const match of readFileSync(file, 'utf8').matchAll(/(?:^|\s)(?:import|export)\s[^'"]*?from\s+'([^']+)'|import\('([^']+)'\)/gm)) {
        const specifier = (match[1] ?? match[2])!;
        if (!specifier.startsWith('.')) {
          bare.add(specifier);
          continue;
        }
        const base = resolve(dirname(file), specifier);
        const target = [`${base}.ts`, join(base, 'index.ts'), base].find((candidate) => existsSync(candidate) && candidate.endsWith('.ts'));
        if (target) visit(target);
      }
    };
    visit(join(root, 'src/main/cli.ts'));
    expect(seen.size).toBeGreaterThan(20);
    expect([...seen].filter((file) => /update/.test(file.slice(root.length)))).toEqual([]);
    expect([...bare].filter((name) => name === 'electron-updater' || name === 'electron')).toEqual([]);
  });
});

describe('when the app checks for a new version', () => {
  it('checks once shortly after start, then once a day after the last check ended, failed or not', async () => {
    const clock = manualClock();
    const { check, answer } = controllableCheck();
    const report = vi.fn();
    createUpdateScheduler({ check, report, askToRestart: vi.fn(), timers: clock.timers }).start();
    await clock.advance(FIRST_CHECK_DELAY_MS - 1);
    expect(check).not.toHaveBeenCalled();
    await clock.advance(1);
    expect(check).toHaveBeenCalledTimes(1);
    // While the check is open, the day does not start counting.
    await clock.advance(CHECK_INTERVAL_MS);
    expect(check).toHaveBeenCalledTimes(1);
    answer({ kind: 'failed', message: 'getaddrinfo ENOTFOUND api.github.com' });
    await settle();
    await clock.advance(CHECK_INTERVAL_MS - 1);
    expect(check).toHaveBeenCalledTimes(1);
    await clock.advance(1);
    expect(check).toHaveBeenCalledTimes(2);
    answer({ kind: 'latest', version: '0.1.0' });
    await settle();
    // A background check tells the person nothing.
    expect(report).not.toHaveBeenCalled();
  });

  it('treats a check that throws as failed, and still checks the next day', async () => {
    const clock = manualClock();
    const check = vi.fn<() => Promise<CheckOutcome>>().mockRejectedValueOnce(new Error('rate limited')).mockResolvedValue({ kind: 'latest', version: '0.1.0' });
    const report = vi.fn();
    const scheduler = createUpdateScheduler({ check, report, askToRestart: vi.fn(), timers: clock.timers });
    await scheduler.checkNow();
    expect(report).toHaveBeenCalledWith({ kind: 'failed', message: 'rate limited' });
    await clock.advance(CHECK_INTERVAL_MS);
    expect(check).toHaveBeenCalledTimes(2);
  });

  it('"Check for updates…" checks now and reports, joining a check already under way', async () => {
    const clock = manualClock();
    const { check, answer } = controllableCheck();
    const report = vi.fn();
    const scheduler = createUpdateScheduler({ check, report, askToRestart: vi.fn(), timers: clock.timers });
    scheduler.start();
    await clock.advance(FIRST_CHECK_DELAY_MS);
    const asked = scheduler.checkNow();
    expect(check).toHaveBeenCalledTimes(1);
    answer({ kind: 'available', version: '0.2.0' });
    await asked;
    expect(report).toHaveBeenCalledExactlyOnceWith({ kind: 'available', version: '0.2.0' });
  });

  it('stops checking once a version is downloaded, and asks again about the restart when asked to check', async () => {
    const clock = manualClock();
    const check = vi.fn(async (): Promise<CheckOutcome> => ({ kind: 'available', version: '0.2.0' }));
    const askToRestart = vi.fn();
    const scheduler = createUpdateScheduler({ check, report: vi.fn(), askToRestart, timers: clock.timers });
    scheduler.start();
    await clock.advance(FIRST_CHECK_DELAY_MS);
    scheduler.downloaded('0.2.0');
    await clock.advance(CHECK_INTERVAL_MS * 3);
    expect(check).toHaveBeenCalledTimes(1);
    expect(clock.pendingCount()).toBe(0);
    await scheduler.checkNow();
    expect(check).toHaveBeenCalledTimes(1);
    expect(askToRestart).toHaveBeenCalledWith('0.2.0');
  });

  it('checks no more after the app stopped', async () => {
    const clock = manualClock();
    const check = vi.fn(async (): Promise<CheckOutcome> => ({ kind: 'latest', version: '0.1.0' }));
    const scheduler = createUpdateScheduler({ check, report: vi.fn(), askToRestart: vi.fn(), timers: clock.timers });
    scheduler.start();
    scheduler.stop();
    await clock.advance(CHECK_INTERVAL_MS * 2);
    expect(check).not.toHaveBeenCalled();
    expect(clock.pendingCount()).toBe(0);
  });
});

describe('what the person is asked and told', () => {
  it('is asked before a restart, and "Later" installs on quit', () => {
    const prompt = restartPrompt('0.2.0');
    expect(prompt.message).toBe('Hookbench 0.2.0 is ready to install.');
    expect(prompt.buttons).toEqual(['Restart Now', 'Later']);
    expect(prompt.cancelId).toBe(1);
    expect(prompt.detail).toContain('installed when Hookbench quits');
  });

  it('is told what a check it asked for found', () => {
    expect(outcomePrompt({ kind: 'latest', version: '0.1.0' }, '0.1.0')).toMatchObject({ message: 'Hookbench is up to date.', detail: '0.1.0 is the latest version.' });
    expect(outcomePrompt({ kind: 'available', version: '0.2.0' }, '0.1.0').message).toBe('Hookbench 0.2.0 is available.');
    expect(outcomePrompt({ kind: 'failed', message: 'offline' }, '0.1.0')).toMatchObject({ message: 'Could not check for updates.', detail: 'offline' });
  });
});

describe('the "Check for updates…" menu item', () => {
  const actions = (checkForUpdates?: () => void) => ({ goToPage: vi.fn(), openDataFolder: vi.fn(), copyReceiverUrl: vi.fn(), ...(checkForUpdates && { checkForUpdates }) });
  const items = (menu: MenuItemConstructorOptions[]) => menu.flatMap((m) => (m.submenu ?? []) as MenuItemConstructorOptions[]);
  const updateItem = (menu: MenuItemConstructorOptions[]) => items(menu).find((item) => item.label === 'Check for updates…');

  it('is in the app menu on macOS and in Help elsewhere, and checks when clicked', () => {
    const check = vi.fn();
    const mac = menuTemplate({ platform: 'darwin', appName: 'Hookbench', actions: actions(check) });
    expect(((mac[0]!.submenu ?? []) as MenuItemConstructorOptions[]).map((i) => i.label ?? i.role).slice(0, 2)).toEqual(['about', 'Check for updates…']);
    const linux = menuTemplate({ platform: 'linux', appName: 'hookbench', actions: actions(check) });
    const help = linux.find((m) => m.role === 'help')!;
    expect(((help.submenu ?? []) as MenuItemConstructorOptions[])[0]!.label).toBe('Check for updates…');
    (updateItem(linux)!.click as () => void)();
    expect(check).toHaveBeenCalledOnce();
  });

  it('is absent where the app does not update itself', () => {
    expect(updateItem(menuTemplate({ platform: 'darwin', appName: 'Hookbench', actions: actions() }))).toBeUndefined();
    expect(updateItem(menuTemplate({ platform: 'win32', appName: 'hookbench', actions: actions() }))).toBeUndefined();
  });
});
