import { join, resolve } from 'node:path';
import { app, clipboard, dialog, session, shell, type BrowserWindow } from 'electron';
import { rendererCsp } from './csp';
import { defaultDataDir } from '../engine/paths';
import { createEngine, type Engine } from '../engine';
import { registerIpc } from './ipc';
import { createMainWindow } from './main-window';
import { installMenu, typePageShortcut } from './menu';
import { pageIndex, type PageId } from './menu-template';
import { createNotifier, type Notifier } from './notifications';
import { createSafeStorageBox } from './safe-storage-box';
import { lockDownApp, lockDownSession } from './security';
import { createShellFeed, type ShellFeed } from './shell-feed';
import { createTray, type ShellTray } from './tray';
import type { TrayAction } from './tray-status';
import { startUpdates, type AppUpdates } from './updates';
import { createOwnUrlCheck } from './url-policy';
import { WINDOW_STATE_FILE } from './window-state';

// The desktop shell: a window, IPC, a menu, a tray and notifications around the same
// engine `hookbench serve` runs. Everything it decides is in small electron-free modules
// beside this one (url-policy, csp, permissions, ipc-guard, window-state, tray-status,
// notify-policy, shell-feed, menu-template), unit-tested under test/unit/shell-*.

const here = import.meta.dirname;
const resourcesDir = join(here, '../../resources');
const appIcon = join(resourcesDir, 'icon.png');
const rendererFile = join(here, '../renderer/index.html');
// The dev server only for an unpackaged app: a packaged app never shows a page named by its environment.
const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
const isOwnUrl = createOwnUrlCheck({ devServerUrl, rendererFile });

// One running app per data dir. With HOOKBENCH_DATA_DIR (tests, a second workspace) the
// Chromium profile, the single-instance lock and the window state move beside that data.
const dataDirFromEnv = process.env.HOOKBENCH_DATA_DIR ? resolve(process.env.HOOKBENCH_DATA_DIR) : null;
if (dataDirFromEnv) app.setPath('userData', join(dataDirFromEnv, 'electron'));
if (process.platform === 'win32') app.setAppUserModelId('dev.hookbench.desktop');
app.enableSandbox();
lockDownApp(app, isOwnUrl);

interface Running {
  engine: Engine;
  dataDir: string;
  receiverUrl: string;
  feed: ShellFeed;
  tray: ShellTray | null;
  notifier: Notifier;
}

let running: Running | null = null;
let mainWindow: BrowserWindow | null = null;
let stopIpc: (() => void) | null = null;
let updates: AppUpdates | null = null;

function buildWindow(engine: Engine, page?: PageId): BrowserWindow {
  const window = createMainWindow({
    preload: join(here, '../preload/index.cjs'),
    icon: appIcon,
    stateFile: join(app.getPath('userData'), WINDOW_STATE_FILE),
  });
  const stop = registerIpc(engine, window, isOwnUrl);
  stopIpc = stop;
  window.on('closed', () => {
    stop();
    if (stopIpc === stop) stopIpc = null;
    if (mainWindow === window) mainWindow = null;
  });
  window.webContents.on('render-process-gone', (_event, details) => {
    if (details.reason !== 'clean-exit') console.error(`hookbench: the window's renderer stopped (${details.reason}).`);
  });
  // The renderer opens on the page named in the #fragment.
  const load = devServerUrl ? window.loadURL(page ? `${devServerUrl}#${page}` : devServerUrl) : window.loadFile(rendererFile, page ? { hash: page } : {});
  load.catch((error: unknown) => console.error('hookbench: the window did not load:', (error as Error).message));
  return window;
}

/** Brings the window up (making it again if it was closed), optionally on a page. */
function showWindow(page?: PageId): void {
  if (!running) return;
  const window = mainWindow;
  if (!window || window.isDestroyed()) {
    // Opens on that page, and shows itself when ready to paint (main-window.ts).
    mainWindow = buildWindow(running.engine, page);
    return;
  }
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
  if (page && !window.webContents.isLoading()) typePageShortcut(window.webContents, pageIndex(page));
}

function trayAction(action: TrayAction): void {
  const engine = running?.engine;
  const warn = (error: unknown) => console.warn('hookbench: tunnel:', (error as Error).message);
  switch (action) {
    case 'show':
      return showWindow();
    case 'endpoints':
      return showWindow('endpoints');
    case 'tunnel-connect':
      void engine?.invoke('tunnel.connect', {}).catch(warn);
      return;
    case 'tunnel-disconnect':
      void engine?.invoke('tunnel.disconnect', {}).catch(warn);
      return;
    case 'quit':
      app.quit();
  }
}

/** 7718, as `hookbench serve` uses, unless HOOKBENCH_RECEIVER_PORT says otherwise (0: any free port). */
function receiverPort(): number {
  const raw = process.env.HOOKBENCH_RECEIVER_PORT;
  const port = raw ? Number(raw) : 7718;
  if (Number.isInteger(port) && port >= 0 && port <= 65535) return port;
  console.warn(`hookbench: HOOKBENCH_RECEIVER_PORT=${raw} is not a port number; using 7718.`);
  return 7718;
}

async function startReceiver(engine: Engine): Promise<string> {
  // Before anything is acknowledged, an older database is rebuilt once if a retention policy needs it.
  engine.prepareVacuum();
  const port = receiverPort();
  try {
    return await engine.startReceiver({ port });
  } catch (error) {
    if (port === 0) throw error;
    console.warn(`hookbench: port ${port} is not available (${(error as Error).message}); the receiver takes a free port.`);
    return engine.startReceiver({ port: 0 });
  }
}

async function start(): Promise<void> {
  lockDownSession(session.defaultSession, isOwnUrl, rendererCsp({ devServerUrl }));
  // The same data dir the CLI and `hookbench serve` use by default, so all three share one workspace.
  const dataDir = dataDirFromEnv ?? defaultDataDir();
  // A key file that no longer opens the data dir's secrets stops the start with what to do (see fatal).
  const engine = createEngine({ dataDir, secretBox: createSafeStorageBox(dataDir), requireSecrets: true });
  let receiverUrl: string;
  try {
    receiverUrl = await startReceiver(engine);
  } catch (error) {
    await engine.close().catch(() => undefined);
    throw error;
  }
  // Resumes what a previous run left pending: ingest, outbound retries, the tunnel, upstream checks.
  engine.startWorkers().catch((error: unknown) => console.error('hookbench: a worker did not start:', (error as Error).message));

  const notifier = createNotifier({
    icon: appIcon,
    windowFocused: () => mainWindow !== null && !mainWindow.isDestroyed() && mainWindow.isVisible() && mainWindow.isFocused(),
    onClick: (target) => showWindow(target),
  });
  const tray = createTray({ iconDir: join(resourcesDir, 'icons'), onAction: trayAction });
  const feed = createShellFeed({
    invoke: engine.invoke,
    subscribe: (listener) => engine.bus.subscribe(listener),
    onStatus: (status) => tray?.update(status),
    onNotice: (notice) => notifier.offer(notice),
  });
  running = { engine, dataDir, receiverUrl, feed, tray, notifier };
  // On start and daily, for an installed app; never for `hookbench serve` or HOOKBENCH_NO_UPDATE=1.
  updates = startUpdates(() => mainWindow);
  const checkForUpdates = updates?.checkNow;

  installMenu({
    ...(checkForUpdates && { checkForUpdates }),
    goToPage: (index) => {
      if (mainWindow && !mainWindow.isDestroyed()) typePageShortcut(mainWindow.webContents, index);
    },
    openDataFolder: () => {
      void shell.openPath(dataDir).then((problem) => problem && console.warn('hookbench: could not open the data folder:', problem));
    },
    copyReceiverUrl: () => clipboard.writeText(receiverUrl),
  });
  showWindow();
}

// Quitting waits for the engine to stop (receiver closed, pending writes flushed, the
// database closed), but never for ever.
const CLOSE_TIMEOUT_MS = 10_000;
let quitting: 'no' | 'stopping' | 'stopped' = 'no';

async function shutdown(): Promise<void> {
  const r = running;
  running = null;
  stopIpc?.();
  updates?.stop();
  if (!r) return;
  r.feed.stop();
  r.notifier.dispose();
  r.tray?.destroy();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((done) => {
    timer = setTimeout(() => {
      console.error(`hookbench: the engine did not stop within ${CLOSE_TIMEOUT_MS / 1000} s; quitting anyway.`);
      done();
    }, CLOSE_TIMEOUT_MS);
  });
  try {
    await Promise.race([r.engine.close(), timeout]);
  } catch (error) {
    console.error('hookbench: stopping the engine failed:', (error as Error).message);
  } finally {
    clearTimeout(timer);
  }
}

function fatal(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  console.error('hookbench: could not start:', error);
  dialog.showErrorBox('Hookbench could not start', message);
  quitting = 'stopped';
  void shutdown().finally(() => app.exit(1));
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => showWindow());
  // macOS keeps an app without windows running (dock, tray); elsewhere closing the window quits.
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => showWindow());
  app.on('will-quit', (event) => {
    if (quitting === 'stopped') return;
    event.preventDefault();
    if (quitting === 'stopping') return;
    quitting = 'stopping';
    void shutdown().finally(() => {
      quitting = 'stopped';
      app.quit();
    });
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => app.quit());
  app.whenReady().then(start).catch(fatal);
}
