// Draws Hookbench's icons (app icon and tray icons) as PNGs, with no image tooling:
// shapes are signed distance functions, anti-aliased per pixel, encoded with zlib.
// The one source is the drawing below; every size is rendered from it rather than scaled from
// another bitmap, so the small ones stay sharp. It also writes the installers' containers
// (icon.ico, icon.icns) and the Linux icon set (app/NxN.png).
// Run: node resources/icons/generate.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync, crc32 } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { icns, ico } from './containers.mjs';

const here = dirname(fileURLToPath(import.meta.url));

function png(size, pixel) {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = pixel(x + 0.5, y + 0.5);
      const o = y * (size * 4 + 1) + 1 + x * 4;
      raw[o] = r; raw[o + 1] = g; raw[o + 2] = b; raw[o + 3] = a;
    }
  }
  const chunk = (type, data) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(td) >>> 0);
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0); ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; ihdr[9] = 6; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

// Geometry on a 512 canvas.
const segment = (ax, ay, bx, by) => (px, py) => {
  const dx = bx - ax, dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - ax - t * dx, py - ay - t * dy);
};
const arc = (cx, cy, r, a0, a1) => (px, py) => {
  let a = Math.atan2(py - cy, px - cx);
  if (a < 0) a += 2 * Math.PI;
  if (a >= a0 && a <= a1) return Math.abs(Math.hypot(px - cx, py - cy) - r);
  return Math.min(Math.hypot(px - cx - r * Math.cos(a0), py - cy - r * Math.sin(a0)), Math.hypot(px - cx - r * Math.cos(a1), py - cy - r * Math.sin(a1)));
};
const ring = (cx, cy, r) => (px, py) => Math.abs(Math.hypot(px - cx, py - cy) - r);
const roundedBox = (x0, y0, x1, y1, rad) => (px, py) => {
  const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2, hx = (x1 - x0) / 2 - rad, hy = (y1 - y0) / 2 - rad;
  const qx = Math.abs(px - cx) - hx, qy = Math.abs(py - cy) - hy;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - rad;
};

// The hook: an eye, a shank, a bend and a point.
const hook = [ring(330, 108, 30), segment(330, 138, 330, 300), arc(248, 300, 82, 0, Math.PI), segment(166, 300, 166, 236), segment(166, 236, 206, 266)];
const hookDistance = (x, y) => Math.min(...hook.map((d) => d(x - 8, y - 24))); // centred on the canvas
const STROKE = 19; // half width

const cover = (distancePx) => Math.max(0, Math.min(1, 0.5 - distancePx));
const over = (base, [r, g, b], alpha) => [base[0] * (1 - alpha) + r * alpha, base[1] * (1 - alpha) + g * alpha, base[2] * (1 - alpha) + b * alpha, Math.max(base[3], alpha)];

function icon(size, background, { inset = 0, radius = 104 } = {}) {
  const s = size / 512;
  const box = roundedBox(inset, inset, 512 - inset, 512 - inset, radius);
  return png(size, (x, y) => {
    const cx = x / s, cy = y / s;
    const bg = cover(box(cx, cy) * s);
    let px = [...background, 0];
    px = over(px, background, bg);
    const glyph = cover((hookDistance(cx, cy) - STROKE) * s) * bg;
    px = over(px, [255, 255, 255], glyph);
    return [Math.round(px[0]), Math.round(px[1]), Math.round(px[2]), Math.round(px[3] * 255)];
  });
}

const BLUE = [47, 91, 211];
const appIcon = (size) => icon(size, BLUE, { inset: 24 });
writeFileSync(join(here, '..', 'icon.png'), appIcon(512));

// Every size an installer or a desktop asks for: Linux icon themes (16…512, 1024 for HiDPI
// stores), the Windows .ico (16…256) and the macOS .icns (16…1024 with @2x variants).
const APP_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
const appPngs = new Map(APP_SIZES.map((size) => [size, appIcon(size)]));
mkdirSync(join(here, 'app'), { recursive: true });
for (const [size, png] of appPngs) writeFileSync(join(here, 'app', `${size}x${size}.png`), png);
writeFileSync(join(here, '..', 'icon.ico'), ico(new Map(ICO_SIZES.map((size) => [size, appPngs.get(size)]))));
writeFileSync(join(here, '..', 'icon.icns'), icns(appPngs));
const levels = { idle: [107, 114, 128], ok: [22, 150, 74], alert: [214, 48, 49] };
for (const [level, color] of Object.entries(levels)) {
  writeFileSync(join(here, `tray-${level}.png`), icon(16, color, { inset: 0, radius: 96 }));
  writeFileSync(join(here, `tray-${level}@2x.png`), icon(32, color, { inset: 0, radius: 96 }));
}
console.log('icons written');
