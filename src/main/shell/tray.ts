import { join } from 'node:path';
import { Menu, nativeImage, Tray, type MenuItemConstructorOptions, type NativeImage } from 'electron';
import { plainText } from './notify-policy';
import { trayLevel, trayMenuModel, trayTooltip, type ShellStatus, type TrayAction, type TrayLevel } from './tray-status';

export interface TrayOptions {
  /** resources/icons: tray-<level>.png with @2x variants. */
  iconDir: string;
  onAction(action: TrayAction): void;
}

export interface ShellTray {
  update(status: ShellStatus): void;
  destroy(): void;
}

/**
 * The tray icon: its colour says how things stand (grey idle, green tunnel connected,
 * red something failing), its tooltip and menu say what, from ShellStatus.
 * Returns null where the desktop has no tray to put it in.
 */
export function createTray(options: TrayOptions): ShellTray | null {
  const images = new Map<TrayLevel, NativeImage>();
  const image = (level: TrayLevel) => {
    let img = images.get(level);
    if (!img) {
      img = nativeImage.createFromPath(join(options.iconDir, `tray-${level}.png`));
      images.set(level, img);
    }
    return img;
  };
  let tray: Tray;
  try {
    tray = new Tray(image('idle'));
  } catch (error) {
    console.warn('hookbench: no system tray here:', (error as Error).message);
    return null;
  }
  tray.setToolTip('Hookbench');
  // Windows and most Linux trays: a click brings the window up; the menu is on the right button.
  tray.on('click', () => options.onAction('show'));
  let level: TrayLevel = 'idle';

  return {
    update(status) {
      if (tray.isDestroyed()) return;
      const next = trayLevel(status);
      if (next !== level) {
        level = next;
        tray.setImage(image(level));
      }
      tray.setToolTip(trayTooltip(status));
      const template = trayMenuModel(status, (t) => plainText(t, 60)).map((item): MenuItemConstructorOptions => {
        if (item.type === 'separator') return { type: 'separator' };
        const action = item.action;
        return { label: item.label, enabled: item.enabled, ...(action ? { click: () => options.onAction(action) } : {}) };
      });
      tray.setContextMenu(Menu.buildFromTemplate(template));
    },
    destroy() {
      if (!tray.isDestroyed()) tray.destroy();
    },
  };
}
