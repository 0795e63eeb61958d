import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWindowState, parseWindowState, placeWindow, saveWindowState, WINDOW_STATE_FILE, type Rect, type WindowState } from '../../src/main/shell/window-state';
import { tempDataDir } from '../helpers/data-dir';

const defaults = { width: 1280, height: 800, minWidth: 760, minHeight: 480 };
const laptop: Rect = { x: 0, y: 25, width: 1440, height: 875 };
const external: Rect = { x: 1440, y: 0, width: 2560, height: 1415 };
const state = (bounds: Rect, extra: Partial<WindowState> = {}): WindowState => ({ bounds, maximized: false, fullScreen: false, ...extra });

describe('placing the window', () => {
  it('opens centred on the primary display the first time', () => {
    expect(placeWindow(null, [laptop], laptop, defaults)).toEqual(state({ x: 80, y: 63, width: 1280, height: 800 }));
  });

  it('puts a window back exactly where it was when that is visible', () => {
    const saved = state({ x: 1600, y: 100, width: 1400, height: 900 }, { maximized: true });
    expect(placeWindow(saved, [laptop, external], laptop, defaults)).toEqual(saved);
  });

  it('opens on the primary display when the display it was on is gone', () => {
    const saved = state({ x: 1600, y: 100, width: 1400, height: 900 });
    expect(placeWindow(saved, [laptop], laptop, defaults).bounds).toEqual({ x: 80, y: 63, width: 1280, height: 800 });
  });

  it('keeps the maximized flag even when the place is forgotten', () => {
    const saved = state({ x: 9000, y: 9000, width: 800, height: 600 }, { maximized: true, fullScreen: true });
    expect(placeWindow(saved, [laptop], laptop, defaults)).toMatchObject({ maximized: true, fullScreen: false });
  });

  it('pulls a window hanging off an edge fully onto the display showing most of it', () => {
    const saved = state({ x: 1300, y: -40, width: 1000, height: 700 });
    // 140 px on the laptop, 860 on the external one: it goes to the external display.
    expect(placeWindow(saved, [laptop, external], laptop, defaults).bounds).toEqual({ x: 1440, y: 0, width: 1000, height: 700 });
  });

  it('shrinks a window larger than its display to fit, never below the minimum unless the display is smaller', () => {
    const saved = state({ x: 0, y: 25, width: 3000, height: 2000 });
    expect(placeWindow(saved, [laptop], laptop, defaults).bounds).toEqual(laptop);
    const tiny = state({ x: 10, y: 40, width: 100, height: 100 });
    expect(placeWindow(tiny, [laptop], laptop, defaults).bounds).toEqual({ x: 10, y: 40, width: 760, height: 480 });
    const small: Rect = { x: 0, y: 0, width: 640, height: 400 };
    expect(placeWindow(tiny, [small], small, defaults).bounds).toEqual(small);
  });

  it('does not reuse a place where only a sliver would show', () => {
    const saved = state({ x: 1400, y: 100, width: 800, height: 600 }); // 40 px on the laptop only
    expect(placeWindow(saved, [laptop], laptop, defaults).bounds).toEqual({ x: 80, y: 63, width: 1280, height: 800 });
  });

  it('handles displays at negative coordinates (a monitor left of the primary one)', () => {
    const left: Rect = { x: -1920, y: 0, width: 1920, height: 1040 };
    const saved = state({ x: -1800, y: 50, width: 1200, height: 800 });
    expect(placeWindow(saved, [laptop, left], laptop, defaults).bounds).toEqual(saved.bounds);
  });
});

describe('the state file', () => {
  it('round-trips through window-state.json', () => {
    const file = join(tempDataDir(), 'electron', WINDOW_STATE_FILE);
    const saved = state({ x: 12, y: 34, width: 1000, height: 700 }, { maximized: true });
    saveWindowState(file, saved);
    expect(loadWindowState(file)).toEqual(saved);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(saved);
  });

  it('treats a missing, broken or foreign file as no state', () => {
    const dir = tempDataDir();
    const file = join(dir, WINDOW_STATE_FILE);
    expect(loadWindowState(file)).toBeNull();
    writeFileSync(file, '{not json');
    expect(loadWindowState(file)).toBeNull();
    writeFileSync(file, JSON.stringify({ bounds: { x: 'a', y: 0, width: 10, height: 10 } }));
    expect(loadWindowState(file)).toBeNull();
  });

  it('refuses nonsense numbers and rounds fractions', () => {
    expect(parseWindowState({ bounds: { x: 0, y: 0, width: -5, height: 10 } })).toBeNull();
    expect(parseWindowState({ bounds: { x: 0, y: 0, width: 1e9, height: 10 } })).toBeNull();
    expect(parseWindowState({ bounds: { x: Number.NaN, y: 0, width: 10, height: 10 } })).toBeNull();
    expect(parseWindowState(null)).toBeNull();
    expect(parseWindowState({ bounds: { x: 1.4, y: 2.6, width: 800.5, height: 600 }, maximized: 'yes' })).toEqual(state({ x: 1, y: 3, width: 801, height: 600 }));
  });
});
