import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { IPC_CALL } from '../../src/shared/methods';

/**
 * src/main/shell/index.ts wired against a stand-in for electron (no binary can run here): the
 * start-up order, the engine in HOOKBENCH_DATA_DIR, the window, IPC, menu, tray and a
 * clean stop on quit. The stand-in records what the shell asked of it.
 */
const fake = await vi.hoisted(async () => {
  const { EventEmitter } = await import('node:events');
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { pathToFileURL } = await import('node:url');
  const dataDir = mkdtempSync(join(tmpdir(), 'hookbench-shell-'));
  process.env.HOOKBENCH_DATA_DIR = dataDir;
  process.env.HOOKBENCH_RECEIVER_PORT = '0';
  delete process.env.ELECTRON_RENDERER_URL;

  const emitter = new EventEmitter();
  const app = Object.assign(emitter, {
    isPackaged: true,
    name: 'hookbench',
    paths: new Map<string, string>(),
    calls: [] as string[],
    setPath(name: string, path: string) {
      this.paths.set(name, path);
    },
    getPath(name: string) {
      return this.paths.get(name) ?? join(dataDir, `default-${name}`);
    },
    setAppUserModelId() {},
    enableSandbox() {
      this.calls.push('enableSandbox');
    },
    requestSingleInstanceLock: () => true,
    whenReady: () => Promise.resolve(),
    quit() {
      this.calls.push('quit');
      // Electron's order: will-quit, which the shell may hold back while it stops the engine.
      let prevented = false;
      emitter.emit('will-quit', { preventDefault: () => (prevented = true) });
      if (!prevented) this.calls.push('quit:done');
    },
    exit(code: number) {
      this.calls.push(`exit:${code}`);
    },
  });

  const session = {
    headers: null as null | ((d: unknown, cb: (r: unknown) => void) => void),
    permissionRequest: null as null | ((...a: unknown[]) => void),
    defaultSession: {} as Record<string, unknown>,
  };
  session.defaultSession = {
    webRequest: { onHeadersReceived: (fn: typeof session.headers) => (session.headers = fn) },
    setPermissionRequestHandler: (fn: typeof session.permissionRequest) => (session.permissionRequest = fn),
    setPermissionCheckHandler: () => {},
    setDevicePermissionHandler: () => {},
    on: () => {},
  };

  class WebContents extends EventEmitter {
    url = '';
    windowOpenHandler: ((d: { url: string }) => unknown) | null = null;
    sent: unknown[][] = [];
    input: unknown[] = [];
    isDestroyed = () => false;
    isLoading = () => false;
    getURL = () => this.url;
    send = (...a: unknown[]) => this.sent.push(a);
    sendInputEvent = (e: unknown) => this.input.push(e);
    setWindowOpenHandler = (fn: (d: { url: string }) => unknown) => (this.windowOpenHandler = fn);
  }
  const windows: BrowserWindow[] = [];
  class BrowserWindow extends EventEmitter {
    webContents = new WebContents();
    constructor(readonly options: Record<string, unknown>) {
      super();
      windows.push(this);
      app.emit('web-contents-created', {}, this.webContents);
    }
    isDestroyed = () => false;
    isMinimized = () => false;
    isVisible = () => true;
    isFocused = () => true;
    isMaximized = () => false;
    isFullScreen = () => false;
    getNormalBounds = () => ({ x: 1, y: 2, width: 1000, height: 700 });
    maximize() {}
    setFullScreen() {}
    restore() {}
    show() {}
    focus() {}
    async loadFile(file: string, options: { hash?: string } = {}) {
      this.webContents.url = pathToFileURL(file).href + (options.hash ? `#${options.hash}` : '');
    }
    async loadURL(url: string) {
      this.webContents.url = url;
    }
  }

  const ipc = new Map<string, (...a: unknown[]) => unknown>();
  const menus: unknown[] = [];
  const trays: { tooltip: string; menu: unknown; destroyed: boolean }[] = [];
  const clipboard: string[] = [];
  return { dataDir, app, session, BrowserWindow, windows, ipc, menus, trays, clipboard };
});

vi.mock('electron', () => ({
  app: fake.app,
  session: fake.session,
  BrowserWindow: fake.BrowserWindow,
  screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }], getPrimaryDisplay: () => ({ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }) },
  nativeTheme: { shouldUseDarkColors: false },
  ipcMain: { handle: (ch: string, fn: (...a: unknown[]) => unknown) => fake.ipc.set(ch, fn), removeHandler: (ch: string) => fake.ipc.delete(ch) },
  Menu: {
    buildFromTemplate: (t: unknown) => ({ template: t }),
    setApplicationMenu: (m: unknown) => fake.menus.push(m),
  },
  nativeImage: { createFromPath: (p: string) => ({ path: p }) },
  Tray: class {
    state = { tooltip: '', menu: null as unknown, destroyed: false };
    constructor() {
      fake.trays.push(this.state);
    }
    setToolTip(t: string) {
      this.state.tooltip = t;
    }
    setContextMenu(m: unknown) {
      this.state.menu = m;
    }
    setImage() {}
    on() {}
    isDestroyed() {
      return this.state.destroyed;
    }
    destroy() {
      this.state.destroyed = true;
    }
  },
  Notification: Object.assign(class {}, { isSupported: () => false }),
  clipboard: { writeText: (t: string) => fake.clipboard.push(t) },
  dialog: { showErrorBox: (title: string, message: string) => fake.app.calls.push(`error:${title}:${message}`) },
  shell: { openExternal: async () => {}, openPath: async () => '' },
  safeStorage: { isEncryptionAvailable: () => false },
}));

// Stopping the engine waits on threads (disk flush, checkpointer), so poll against a deadline.
const until = async (cond: () => boolean, what: string) => {
  const deadline = Date.now() + 10_000;
  while (!cond() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  if (!cond()) throw new Error(`never happened: ${what}`);
};

afterAll(() => rmSync(fake.dataDir, { recursive: true, force: true }));

describe('the Electron main process (wired against a stand-in)', () => {
  it('starts locked down, serves the window over IPC, shows status in the tray, and stops the engine on quit', async () => {
    await import('../../src/main/shell/index');
    await until(() => fake.windows.length === 1 && fake.trays[0]?.tooltip.startsWith('Hookbench —') === true, 'window and tray');

    // Before anything loads: sandbox for all renderers, Chromium profile beside the data.
    expect(fake.app.calls[0]).toBe('enableSandbox');
    expect(fake.app.paths.get('userData')).toBe(join(fake.dataDir, 'electron'));

    const window = fake.windows[0]!;
    expect(window.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    // Resolved beside the built main bundle (out/main → out/renderer); from source, beside src/main/shell.
    expect(window.webContents.url).toMatch(/^file:.*\/main\/renderer\/index\.html$/);
    expect(window.webContents.windowOpenHandler).not.toBeNull();
    expect(window.webContents.windowOpenHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });

    // Navigation away is prevented; our own page is not.
    let prevented = 0;
    window.webContents.emit('will-navigate', { preventDefault: () => prevented++ }, 'https://evil.test/');
    window.webContents.emit('will-navigate', { preventDefault: () => prevented++ }, window.webContents.url);
    expect(prevented).toBe(1);

    // The CSP header goes on documents.
    let answer: unknown;
    fake.session.headers!({ resourceType: 'mainFrame', responseHeaders: {} }, (r) => (answer = r));
    expect(JSON.stringify(answer)).toContain("default-src 'none'");

    // IPC: from our window's top frame, validated by the engine, answering from HOOKBENCH_DATA_DIR.
    const call = fake.ipc.get(IPC_CALL)!;
    const frame = { detached: false, parent: null, url: window.webContents.url };
    expect(await call({ sender: window.webContents, senderFrame: frame }, 'server.info', {})).toMatchObject({ ok: true, result: { dataDir: fake.dataDir } });
    expect(await call({ sender: window.webContents, senderFrame: { ...frame, url: 'https://evil.test/' } }, 'server.info', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    // The tray reads the engine's state; the menu's File › Copy Receiver URL gives the live receiver.
    expect(fake.trays[0]!.tooltip).toBe('Hookbench — no tunnel · all endpoints healthy');
    const template = (fake.menus[0] as { template: { label?: string; submenu?: { label?: string; click?: () => void }[] }[] }).template;
    template.find((m) => m.label === '&File')!.submenu!.find((i) => i.label === 'Copy Receiver URL')!.click!();
    const receiverUrl = fake.clipboard[0]!;
    expect((await fetch(`${receiverUrl}/health`).catch(() => fetch(receiverUrl))).status).toBeLessThan(500);

    // View › Endpoints types the renderer's own shortcut.
    template.find((m) => m.label === '&View')!.submenu!.find((i) => i.label === 'Endpoints')!.click!();
    expect(window.webContents.input).toEqual([
      { type: 'keyDown', keyCode: '4', modifiers: ['alt'] },
      { type: 'keyUp', keyCode: '4', modifiers: ['alt'] },
    ]);

    // Quit: held until the engine has stopped, then let through.
    fake.app.quit();
    await until(() => fake.app.calls.includes('quit:done'), 'quit to complete');
    expect(fake.app.calls.filter((c) => c.startsWith('quit'))).toEqual(['quit', 'quit', 'quit:done']);
    expect(fake.trays[0]!.destroyed).toBe(true);
    expect(fake.ipc.has(IPC_CALL)).toBe(false);
    await expect(fetch(receiverUrl)).rejects.toThrow();
  });
});
