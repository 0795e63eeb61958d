import type { KeyboardInputEvent, MenuItemConstructorOptions } from 'electron';
import { PAGES, type PageId } from '../../shared/pages';

/**
 * The application menu as data (type-only electron imports, so it is unit-tested).
 *
 * Page switching stays the renderer's: it already binds Alt+1…Alt+5 and has no push
 * event for navigation (the preload exposes only the contract's methods and its event
 * stream, and the contract has no such event). So the View items show those keys
 * without registering them (the keystroke goes straight to the page), and a click on
 * one types that same keystroke into the page. A window opened on a given page (a
 * notification's click) is loaded with the page in its #fragment, which the renderer
 * reads at start.
 */

export { PAGES, type PageId } from '../../shared/pages';

export function pageIndex(page: PageId): number {
  return PAGES.findIndex((p) => p.id === page);
}

/** The keystroke the renderer switches pages on (Alt+Digit<n>). */
export function pageKeystroke(index: number): KeyboardInputEvent[] {
  if (!Number.isInteger(index) || index < 0 || index >= PAGES.length) return [];
  const keyCode = String(index + 1);
  return [
    { type: 'keyDown', keyCode, modifiers: ['alt'] },
    { type: 'keyUp', keyCode, modifiers: ['alt'] },
  ];
}

export interface MenuActions {
  goToPage(index: number): void;
  openDataFolder(): void;
  copyReceiverUrl(): void;
  /** Present only where the app can update itself (see update-policy.ts). */
  checkForUpdates?: () => void;
}

export interface MenuOptions {
  platform: NodeJS.Platform;
  appName: string;
  actions: MenuActions;
}

export function menuTemplate({ platform, appName, actions }: MenuOptions): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const checkForUpdates = actions.checkForUpdates;
  const updates: MenuItemConstructorOptions[] = checkForUpdates ? [{ label: 'Check for updates…', click: () => checkForUpdates() }] : [];
  const appMenu: MenuItemConstructorOptions[] = mac
    ? [
        {
          label: appName,
          submenu: [
            { role: 'about' },
            ...updates,
            { type: 'separator' },
            { role: 'services' },
            { type: 'separator' },
            { role: 'hide' },
            { role: 'hideOthers' },
            { role: 'unhide' },
            { type: 'separator' },
            { role: 'quit' },
          ],
        },
      ]
    : [];
  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { label: 'Copy Receiver URL', click: () => actions.copyReceiverUrl() },
      { label: 'Open Data Folder', click: () => actions.openDataFolder() },
      { type: 'separator' },
      mac ? { role: 'close' } : { role: 'quit' },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      ...PAGES.map(
        ({ label }, i): MenuItemConstructorOptions => ({
          label,
          accelerator: `Alt+${i + 1}`,
          registerAccelerator: false,
          click: () => actions.goToPage(i),
        }),
      ),
      { type: 'separator' },
      { role: 'reload' },
      { role: 'toggleDevTools' },
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  const help: MenuItemConstructorOptions = {
    role: 'help',
    submenu: mac ? [{ label: 'Open Data Folder', click: () => actions.openDataFolder() }] : [...updates, { role: 'about' }],
  };
  return [...appMenu, file, { role: 'editMenu' }, view, { role: 'windowMenu' }, help];
}
