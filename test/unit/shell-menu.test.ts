import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { menuTemplate, pageIndex, pageKeystroke, PAGES } from '../../src/main/shell/menu-template';

// The renderer's page store, read from its source (it is DOM code, outside this tsconfig).
const navStore = readFileSync(join(import.meta.dirname, '../../src/renderer/src/stores/nav-store.ts'), 'utf8');

const actions = () => ({ goToPage: vi.fn(), openDataFolder: vi.fn(), copyReceiverUrl: vi.fn() });
const sub = (item: MenuItemConstructorOptions | undefined) => (item?.submenu ?? []) as MenuItemConstructorOptions[];

describe('application menu', () => {
  it('has File, Edit, View, Window and Help (and the app menu on macOS)', () => {
    const linux = menuTemplate({ platform: 'linux', appName: 'hookbench', actions: actions() });
    expect(linux.map((m) => m.label ?? m.role)).toEqual(['&File', 'editMenu', '&View', 'windowMenu', 'help']);
    const mac = menuTemplate({ platform: 'darwin', appName: 'Hookbench', actions: actions() });
    expect(mac.map((m) => m.label ?? m.role)).toEqual(['Hookbench', '&File', 'editMenu', '&View', 'windowMenu', 'help']);
    expect(sub(mac[0]).map((i) => i.role).filter(Boolean)).toContain('quit');
    expect(sub(linux[0]).some((i) => i.role === 'quit')).toBe(true);
  });

  it("lists the renderer's pages in its order, with its Alt+N keys left to the page", () => {
    // Both read the one shared list, so the menu's order is the renderer's.
    expect(navStore).toMatch(/import \{ PAGES, type PageId \} from '\.\.\/\.\.\/\.\.\/shared\/pages';/);
    expect(PAGES.map((p) => p.id)).toEqual(['packages', 'inboxes', 'deliveries', 'endpoints', 'debugger', 'fixtures', 'tunnel', 'activity', 'storage']);
    const a = actions();
    const view = sub(menuTemplate({ platform: 'linux', appName: 'hookbench', actions: a })[2]);
    const pages = view.slice(0, PAGES.length);
    expect(pages.map((i) => [i.label, i.accelerator, i.registerAccelerator])).toEqual(PAGES.map((p, i) => [p.label, `Alt+${i + 1}`, false]));
    (pages[3]!.click as () => void)();
    expect(a.goToPage).toHaveBeenCalledWith(3);
    expect(view.map((i) => i.role).filter(Boolean)).toEqual(['reload', 'toggleDevTools', 'resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen']);
  });

  it('types the same keystroke the renderer listens for', () => {
    expect(pageKeystroke(pageIndex('endpoints'))).toEqual([
      { type: 'keyDown', keyCode: '4', modifiers: ['alt'] },
      { type: 'keyUp', keyCode: '4', modifiers: ['alt'] },
    ]);
    expect(pageKeystroke(PAGES.length)).toEqual([]);
    expect(pageKeystroke(-1)).toEqual([]);
  });

  it('wires File actions', () => {
    const a = actions();
    const file = sub(menuTemplate({ platform: 'win32', appName: 'hookbench', actions: a })[0]);
    for (const item of file) if (typeof item.click === 'function') (item.click as () => void)();
    expect(a.copyReceiverUrl).toHaveBeenCalledOnce();
    expect(a.openDataFolder).toHaveBeenCalledOnce();
  });
});
