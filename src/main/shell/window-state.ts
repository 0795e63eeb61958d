import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The main window's size and place, remembered across launches in a small JSON file,
 * and put back only where a display can show it (a monitor unplugged since, a
 * resolution changed). Plain Node so the clamping is unit-tested.
 */

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  bounds: Rect;
  maximized: boolean;
  fullScreen: boolean;
}

export interface WindowDefaults {
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
}

export const WINDOW_STATE_FILE = 'window-state.json';

/** At least this much of the saved window must be on some display to reuse its place. */
const MIN_VISIBLE = { width: 120, height: 60 };
const MAX_SIDE = 100_000;

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** A saved state, or null when the file is missing, unreadable or not ours. */
export function parseWindowState(raw: unknown): WindowState | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const { bounds, maximized, fullScreen } = raw as Record<string, unknown>;
  if (typeof bounds !== 'object' || bounds === null) return null;
  const { x, y, width, height } = bounds as Record<string, unknown>;
  if (!finite(x) || !finite(y) || !finite(width) || !finite(height)) return null;
  if (width <= 0 || height <= 0 || width > MAX_SIDE || height > MAX_SIDE || Math.abs(x) > MAX_SIDE || Math.abs(y) > MAX_SIDE) return null;
  return {
    bounds: { x: Math.round(x), y: Math.round(y), width: Math.round(width), height: Math.round(height) },
    maximized: maximized === true,
    fullScreen: fullScreen === true,
  };
}

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  return {
    width: Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)),
    height: Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)),
  };
}

function centred(area: Rect, width: number, height: number): Rect {
  const w = Math.min(width, area.width);
  const h = Math.min(height, area.height);
  return { x: area.x + Math.round((area.width - w) / 2), y: area.y + Math.round((area.height - h) / 2), width: w, height: h };
}

/**
 * Where the window opens. `workAreas` are the displays' usable areas (without the
 * taskbar or menu bar); `primary` is the primary display's. The saved bounds are kept
 * on the display that shows most of them, shrunk to fit it and moved fully inside;
 * when no display shows enough of them, the window opens centred on the primary one.
 */
export function placeWindow(saved: WindowState | null, workAreas: Rect[], primary: Rect, defaults: WindowDefaults): WindowState {
  const fresh = (): WindowState => ({ bounds: centred(primary, defaults.width, defaults.height), maximized: saved?.maximized ?? false, fullScreen: false });
  if (!saved) return fresh();
  let best: { area: Rect; size: number } | null = null;
  for (const area of workAreas) {
    const o = overlap(saved.bounds, area);
    if (o.width < Math.min(MIN_VISIBLE.width, saved.bounds.width) || o.height < Math.min(MIN_VISIBLE.height, saved.bounds.height)) continue;
    const size = o.width * o.height;
    if (!best || size > best.size) best = { area, size };
  }
  if (!best) return fresh();
  const { area } = best;
  const width = Math.min(Math.max(saved.bounds.width, defaults.minWidth), area.width);
  const height = Math.min(Math.max(saved.bounds.height, defaults.minHeight), area.height);
  const x = Math.min(Math.max(saved.bounds.x, area.x), area.x + area.width - width);
  const y = Math.min(Math.max(saved.bounds.y, area.y), area.y + area.height - height);
  return { bounds: { x, y, width, height }, maximized: saved.maximized, fullScreen: saved.fullScreen };
}

export function loadWindowState(file: string): WindowState | null {
  try {
    return parseWindowState(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return null;
  }
}

/** Written beside and renamed over, so a crash mid-write never leaves half a file. */
export function saveWindowState(file: string, state: WindowState): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state, null, 2) + '\n');
  renameSync(tmp, file);
}

/** Calls `fn` once things have been quiet for `ms` (moves and resizes come in floods). */
export function debounce(fn: () => void, ms: number): { (): void; flush(): void; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const run = () => {
    timer = null;
    fn();
  };
  const call = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(run, ms);
  };
  call.flush = () => {
    if (timer) {
      clearTimeout(timer);
      run();
    }
  };
  call.cancel = () => {
    if (timer) clearTimeout(timer);
    timer = null;
  };
  return call;
}
