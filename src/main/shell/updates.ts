import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { app, dialog, type BrowserWindow } from 'electron';
import { createUpdateScheduler, outcomePrompt, restartPrompt, RESTART_NOW, updateSupport, type CheckOutcome, type Prompt, type UpdateScheduler } from './update-policy';

// The desktop app's updates from GitHub releases (electron-updater reads the latest*.yml the
// release workflow publishes). The decisions are in update-policy.ts.

export interface AppUpdates {
  /** The "Check for updates…" menu item. */
  checkNow(): void;
  stop(): void;
}

function linuxPackageType(): string | null {
  // Electron sets resourcesPath; the marker is absent from an AppImage or an unpacked build.
  const resources = (process as { resourcesPath?: string }).resourcesPath;
  const marker = resources ? join(resources, 'package-type') : null;
  return marker && existsSync(marker) ? readFileSync(marker, 'utf8').trim() : null;
}

/** Starts checking (on start, then daily) when this install can update itself; null when it cannot. */
export function startUpdates(window: () => BrowserWindow | null): AppUpdates | null {
  try {
    return start(window);
  } catch (error) {
    // Updating is a convenience: it never keeps the app from starting.
    console.warn('hookbench: updates are off:', (error as Error).message);
    return null;
  }
}

function start(window: () => BrowserWindow | null): AppUpdates | null {
  const support = updateSupport({ isPackaged: app.isPackaged, platform: process.platform, env: process.env, linuxPackageType: process.platform === 'linux' ? linuxPackageType() : null });
  if (!support.enabled) {
    console.info(`hookbench: updates are off: ${support.reason}.`);
    return null;
  }
  // Loaded only here, so an app that does not update never pays for it.
  const updater = import('electron-updater').then(({ autoUpdater }) => {
    autoUpdater.autoDownload = true;
    autoUpdater.autoInstallOnAppQuit = true;
    autoUpdater.logger = { info: () => undefined, warn: (m: unknown) => console.warn('hookbench: update:', m), error: (m: unknown) => console.warn('hookbench: update:', m), debug: () => undefined };
    autoUpdater.on('update-downloaded', (info) => {
      scheduler.downloaded(info.version);
      askToRestart(info.version);
    });
    // A background failure (offline, rate-limited) is only logged; the next daily check retries.
    autoUpdater.on('error', (error) => console.warn('hookbench: update check failed:', error.message));
    return autoUpdater;
  });

  const show = async (prompt: Prompt): Promise<number> => {
    const parent = window();
    const options = { type: 'info' as const, title: 'Hookbench', ...prompt };
    const { response } = parent && !parent.isDestroyed() ? await dialog.showMessageBox(parent, options) : await dialog.showMessageBox(options);
    return response;
  };
  const askToRestart = (version: string) => {
    void show(restartPrompt(version)).then((response) => {
      if (response === RESTART_NOW) void updater.then((autoUpdater) => autoUpdater.quitAndInstall());
    });
  };

  const scheduler: UpdateScheduler = createUpdateScheduler({
    async check(): Promise<CheckOutcome> {
      const result = await (await updater).checkForUpdates();
      const version = result?.updateInfo.version ?? app.getVersion();
      return result?.isUpdateAvailable ? { kind: 'available', version } : { kind: 'latest', version };
    },
    report: (outcome) => void show(outcomePrompt(outcome, app.getVersion())),
    askToRestart,
  });
  scheduler.start();
  return { checkNow: () => void scheduler.checkNow(), stop: () => scheduler.stop() };
}
