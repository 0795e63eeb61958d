// The desktop installers' configuration, checked as electron-builder itself would read it,
// and the icons it points at, checked at every size the targets need.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const require = createRequire(import.meta.url);

interface Target {
  target: string;
  arch?: string | string[];
}
interface BuilderConfig {
  appId: string;
  productName: string;
  directories: { buildResources: string; output: string };
  files: string[];
  extraMetadata: { main: string };
  asarUnpack: string[];
  npmRebuild: boolean;
  publish: { provider: string };
  linux: { target: string[]; icon: string };
  mac: { target: Target[]; hardenedRuntime: boolean; entitlements: string; entitlementsInherit: string; notarize: boolean; icon: string; x64ArchFiles: string };
  win: { target: string[]; icon: string };
  nsis: { oneClick: boolean; perMachine: boolean };
}

const config = parse(readFileSync(join(repo, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
const manifest = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as {
  main: string;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** Width and height from a PNG's IHDR, or null when the bytes are not a PNG. */
function pngSize(bytes: Buffer): { width: number; height: number } | null {
  const signature = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
  if (bytes.length < 24 || !bytes.subarray(0, 8).equals(signature) || bytes.toString('ascii', 12, 16) !== 'IHDR') return null;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** Each image of a .ico: the size its directory claims and the PNG's own size. */
function icoImages(bytes: Buffer) {
  expect(bytes.readUInt16LE(2)).toBe(1);
  const count = bytes.readUInt16LE(4);
  return Array.from({ length: count }, (_, index) => {
    const at = 6 + index * 16;
    const claimed = bytes[at] || 256;
    const png = bytes.subarray(bytes.readUInt32LE(at + 12), bytes.readUInt32LE(at + 12) + bytes.readUInt32LE(at + 8));
    return { claimed, actual: pngSize(png) };
  });
}

/** Each element of a .icns: its type and the PNG's own size. */
function icnsImages(bytes: Buffer) {
  expect(bytes.toString('ascii', 0, 4)).toBe('icns');
  expect(bytes.readUInt32BE(4)).toBe(bytes.length);
  const images: Array<{ type: string; actual: { width: number; height: number } | null }> = [];
  for (let at = 8; at < bytes.length;) {
    const length = bytes.readUInt32BE(at + 4);
    images.push({ type: bytes.toString('ascii', at, at + 4), actual: pngSize(bytes.subarray(at + 8, at + length)) });
    at += length;
  }
  return images;
}

describe('the electron-builder configuration', () => {
  it('is valid against the JSON schema app-builder-lib ships', () => {
    const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    expect(validate(config), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it('is the configuration electron-builder loads, and passes its own checks', async () => {
    const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
      getConfig(projectDir: string, configPath: string | null, fromOptions: null): Promise<{ appId?: string }>;
      validateConfiguration(config: object, logger: object): Promise<void>;
    };
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => object };
    const loaded = await getConfig(repo, null, null);
    expect(loaded.appId).toBe(config.appId);
    await expect(validateConfiguration(loaded, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('names the app and builds AppImage and deb, a universal hardened dmg, and a per-user NSIS setup', () => {
    expect(config.appId).toBe('dev.hookbench.desktop');
    expect(config.productName).toBe('Hookbench');
    expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    const dmg = config.mac.target.find((target) => target.target === 'dmg');
    expect(dmg?.arch).toBe('universal');
    // electron-updater installs macOS updates from a zip beside the dmg.
    expect(config.mac.target.find((target) => target.target === 'zip')?.arch).toBe('universal');
    expect(config.mac.hardenedRuntime).toBe(true);
    expect(config.mac.notarize).toBe(true);
    for (const plist of [config.mac.entitlements, config.mac.entitlementsInherit]) {
      const text = readFileSync(join(repo, plist), 'utf8');
      expect(text).toContain('<key>com.apple.security.cs.allow-jit</key>');
    }
    expect(config.win.target).toEqual(['nsis']);
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: false });
    expect(config.publish.provider).toBe('github');
  });

  it('unpacks better-sqlite3 native module from the asar and packs what the shell loads', () => {
    expect(config.asarUnpack).toContain('node_modules/better-sqlite3/**/*.node');
    expect(config.npmRebuild).toBe(false);
    expect(config.mac.x64ArchFiles).toContain('better-sqlite3/prebuilds/darwin-');
    expect(config.extraMetadata.main).toBe(manifest.main);
    expect(config.files).toEqual(expect.arrayContaining(['package.json', 'out/**', 'resources/icon.png', 'resources/icons/tray-*.png']));
    // The engine's runtime modules go into the app from `dependencies`.
    expect(Object.keys(manifest.dependencies)).toContain('better-sqlite3');
  });

  it('is built by `npm run dist` with electron-builder, which is a build tool only', () => {
    expect(manifest.scripts.dist).toMatch(/npm run build && electron-builder/);
    expect(manifest.devDependencies).toHaveProperty('electron-builder');
    expect(manifest.dependencies).not.toHaveProperty('electron-builder');
  });
});

describe('the icons', () => {
  it('are present for Linux at every size from 16 to 1024, each PNG the size its name says', () => {
    for (const size of [16, 24, 32, 48, 64, 128, 256, 512, 1024]) {
      const file = join(repo, config.linux.icon, `${size}x${size}.png`);
      expect(existsSync(file), file).toBe(true);
      expect(pngSize(readFileSync(file))).toEqual({ width: size, height: size });
    }
  });

  it('are in the Windows .ico at 16 to 256', () => {
    const images = icoImages(readFileSync(join(repo, config.win.icon)));
    expect(images.map((image) => image.claimed).sort((a, b) => a - b)).toEqual([16, 24, 32, 48, 64, 128, 256]);
    for (const image of images) expect(image.actual).toEqual({ width: image.claimed, height: image.claimed });
  });

  it('are in the macOS .icns at 16 to 1024 with the @2x variants', () => {
    const images = icnsImages(readFileSync(join(repo, config.mac.icon)));
    const expected: Record<string, number> = { icp4: 16, icp5: 32, ic11: 32, icp6: 64, ic12: 64, ic07: 128, ic08: 256, ic13: 256, ic09: 512, ic14: 512, ic10: 1024 };
    expect(images.map((image) => image.type).sort()).toEqual(Object.keys(expected).sort());
    for (const image of images) expect(image.actual, image.type).toEqual({ width: expected[image.type], height: expected[image.type] });
  });

  it('include the window, notification and tray icons the shell loads', () => {
    expect(pngSize(readFileSync(join(repo, 'resources/icon.png')))).toEqual({ width: 512, height: 512 });
    for (const level of ['idle', 'ok', 'alert']) {
      expect(pngSize(readFileSync(join(repo, `resources/icons/tray-${level}.png`)))).toEqual({ width: 16, height: 16 });
      expect(pngSize(readFileSync(join(repo, `resources/icons/tray-${level}@2x.png`)))).toEqual({ width: 32, height: 32 });
    }
  });
});
