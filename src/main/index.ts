import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow } from 'electron';
import { createEngine, type Engine } from './engine';
import { registerIpc } from './ipc';
import { createSafeStorageBox } from './safe-storage-box';
import { lockDown, secureWebPreferences } from './security';

// The desktop shell: windows, IPC and OS services around the same engine `hookbench serve` runs.
let engine: Engine | null = null;

const rendererUrl = process.env.ELECTRON_RENDERER_URL;
const rendererFile = join(import.meta.dirname, '../renderer/index.html');
const isOwnUrl = (url: string) =>
  rendererUrl ? url.startsWith(rendererUrl) : url.split('#')[0] === pathToFileURL(rendererFile).href;

async function start(): Promise<void> {
  const dataDir = process.env.HOOKBENCH_DATA_DIR ?? app.getPath('userData');
  engine = createEngine({ dataDir, secretBox: createSafeStorageBox(dataDir) });
  await engine.startReceiver({ port: 7718 }).catch(() => engine!.startReceiver({ port: 0 }));
  void engine.startWorkers();

  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    title: 'Hookbench',
    show: false,
    webPreferences: secureWebPreferences(join(import.meta.dirname, '../preload/index.cjs')),
  });
  lockDown(window, isOwnUrl);
  const stopIpc = registerIpc(engine, window, isOwnUrl);
  window.on('closed', stopIpc);
  window.once('ready-to-show', () => window.show());
  if (rendererUrl) await window.loadURL(rendererUrl);
  else await window.loadFile(rendererFile);
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => BrowserWindow.getAllWindows()[0]?.focus());
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => void engine?.close());
  void app.whenReady().then(start);
}
