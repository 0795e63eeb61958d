import { BrowserWindow, nativeTheme, screen } from 'electron';
import { secureWebPreferences } from './security';
import { debounce, loadWindowState, placeWindow, saveWindowState, type WindowDefaults } from './window-state';

const DEFAULTS: WindowDefaults = { width: 1280, height: 800, minWidth: 760, minHeight: 480 };

export interface MainWindowOptions {
  preload: string;
  icon?: string | undefined;
  /** window-state.json in userData. */
  stateFile: string;
}

/**
 * The one window: strict webPreferences (security.ts), its last size and place put
 * back where a display can show it, and remembered again as it changes.
 * Navigation rules come from lockDownApp, which covers every webContents.
 */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const placed = placeWindow(
    loadWindowState(options.stateFile),
    screen.getAllDisplays().map((d) => d.workArea),
    screen.getPrimaryDisplay().workArea,
    DEFAULTS,
  );
  const window = new BrowserWindow({
    ...placed.bounds,
    minWidth: DEFAULTS.minWidth,
    minHeight: DEFAULTS.minHeight,
    title: 'Hookbench',
    show: false,
    // The renderer's --bg, so no white flash before the first paint.
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#121316' : '#f5f6f8',
    ...(options.icon ? { icon: options.icon } : {}),
    webPreferences: secureWebPreferences(options.preload),
  });
  if (placed.maximized) window.maximize();
  if (placed.fullScreen) window.setFullScreen(true);

  const save = () => {
    if (window.isDestroyed()) return;
    try {
      saveWindowState(options.stateFile, { bounds: window.getNormalBounds(), maximized: window.isMaximized(), fullScreen: window.isFullScreen() });
    } catch (error) {
      console.warn('hookbench: could not save the window state:', (error as Error).message);
    }
  };
  const saveSoon = debounce(save, 500);
  window.on('resize', saveSoon);
  window.on('move', saveSoon);
  window.on('maximize', saveSoon);
  window.on('unmaximize', saveSoon);
  window.on('enter-full-screen', saveSoon);
  window.on('leave-full-screen', saveSoon);
  window.on('close', () => {
    saveSoon.cancel();
    save();
  });
  window.once('ready-to-show', () => window.show());
  return window;
}
