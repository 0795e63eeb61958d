import { app, Menu, type WebContents } from 'electron';
import { menuTemplate, pageKeystroke, type MenuActions } from './menu-template';

/** Installs the application menu (File/Edit/View/Window/Help; see menu-template.ts). */
export function installMenu(actions: MenuActions): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate({ platform: process.platform, appName: app.name, actions })));
}

/** Switches the renderer's page by typing its own shortcut (Alt+1…Alt+5) into it. */
export function typePageShortcut(contents: WebContents, index: number): void {
  if (contents.isDestroyed()) return;
  for (const event of pageKeystroke(index)) contents.sendInputEvent(event);
}
