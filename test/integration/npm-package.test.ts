import { createHash } from 'node:crypto';
// The npm package as a user gets it: packed, installed into an empty project, run from there.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const manifest = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  dependencies: Record<string, string>;
};
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const NETWORK_FAILURE = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|ENOTCACHED/;

function run(command: string, args: string[], cwd: string) {
  // npm_config_* from an enclosing `npm test` would leak into the user's install otherwise.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_')));
  return spawnSync(command, args, { cwd, encoding: 'utf8', env, timeout: 240_000 });
}

/** Bytes on disk under a directory, counting each file once (symlinks are not followed). */
function treeSize(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += treeSize(path);
    else if (entry.isFile()) total += lstatSync(path).size;
  }
  return total;
}
const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Bare module names the built JavaScript imports (node: builtins aside). */
function bareImports(dir: string): Set<string> {
  const names = new Set<string>();
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.js')) continue;
    const source = readFileSync(join(entry.parentPath, entry.name), 'utf8');
    for (const match of source.matchAll(/^\s*(?:import|export)\b[^'"]*?\bfrom\s*["']([^"'./][^"']*)["']|^\s*import\s*["']([^"'./][^"']*)["']/gm)) {
      const specifier = match[1] ?? match[2]!;
      if (specifier.startsWith('node:')) continue;
      names.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!);
    }
  }
  return names;
}

let work = '';
let tarball = '';
let packedFiles: string[] = [];
let app = '';
let installFailure = '';

beforeAll(() => {
  if (!existsSync(join(repo, 'out/main/cli.js'))) throw new Error('out/ is not built; run "npm run build" first (npm test does).');
  work = mkdtempSync(join(tmpdir(), 'hookbench-pack-'));
  // Scripts off: the build is already in out/, and rebuilding it here would pull it from under other tests.
  const pack = run(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', work], repo);
  expect(pack.status, pack.stderr).toBe(0);
  const [info] = JSON.parse(pack.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  tarball = join(work, info!.filename);
  packedFiles = info!.files.map((file) => file.path);

  app = join(work, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'trying-hookbench', private: true }));
  const install = run(npm, ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund'], app);
  if (install.status !== 0) {
    if (NETWORK_FAILURE.test(install.stderr)) installFailure = `the npm registry is unreachable and the cache lacks the dependencies: ${install.stderr.split('\n')[0]}`;
    else throw new Error(`npm install of the tarball failed:\n${install.stderr}`);
  }
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packed npm package', () => {
  it('is named hookbench-<version>.tgz and carries the build, the bin, README and licence, and no sources', () => {
    expect(tarball.endsWith(`${manifest.name}-${manifest.version}.tgz`)).toBe(true);
    for (const needed of ['bin/hookbench.js', 'out/main/cli.js', 'out/renderer/index.html', 'README.md', 'LICENSE', 'package.json']) {
      expect(packedFiles).toContain(needed);
    }
    const strays = packedFiles.filter((path) => /^(src|test|bench|docs|resources|drizzle|\.ci|\.github)\//.test(path) || /\.ts$|tsconfig|vite|playwright/.test(path));
    expect(strays).toEqual([]);
  });

  it('depends on exactly what the built code imports, and on no Electron or build tool', () => {
    const imported = bareImports(join(repo, 'out'));
    // The desktop shell's own runtime, present only inside the app.
    imported.delete('electron');
    expect(Object.keys(manifest.dependencies).sort()).toEqual([...imported].sort());
    for (const tool of ['electron', 'electron-vite', 'vite', 'typescript', 'react', 'drizzle-kit']) {
      expect(manifest.dependencies).not.toHaveProperty(tool);
    }
  });
});

describe('the package installed into an empty project', () => {
  it('prints its version through npx', ({ skip }) => {
    if (installFailure) skip(installFailure);
    const version = run(npm, ['exec', '--offline', '--', 'hookbench', '--version'], app);
    expect(version.status, version.stderr).toBe(0);
    expect(version.stdout.trim()).toBe(manifest.version);
  });

  it('installs without building and without Electron, at a fraction of a clone', ({ skip }) => {
    if (installFailure) skip(installFailure);
    const modules = join(app, 'node_modules');
    expect(existsSync(join(modules, 'electron'))).toBe(false);
    expect(existsSync(join(modules, 'electron-vite'))).toBe(false);
    // Nothing of the build tooling came along, and the package brought its built code itself.
    expect(existsSync(join(modules, 'hookbench/src'))).toBe(false);
    expect(existsSync(join(modules, 'hookbench/out/main/cli.js'))).toBe(true);
    // Its prepare script, run where npm runs it for a tarball, leaves the installed copy alone.
    const prepare = run(process.execPath, ['scripts/prepare.mjs'], join(modules, 'hookbench'));
    expect(prepare.status, prepare.stderr).toBe(0);
    expect(prepare.stdout).toBe('');
    const installed = treeSize(modules);
    const clone = treeSize(join(repo, 'node_modules'));
    console.log(`installed package: ${megabytes(installed)} in node_modules; a clone's node_modules: ${megabytes(clone)}`);
    expect(installed).toBeLessThan(clone / 5);
  });

  it('serves: the receiver answers /healthz and the UI is the installed build', async ({ skip }) => {
    if (installFailure) skip(installFailure);
    const dataDir = join(work, 'data');
    const child = spawn(process.execPath, [join(app, 'node_modules/.bin/hookbench'), 'serve', '--data-dir', dataDir, '--port', '0', '--receiver-port', '0', '--json'], {
      cwd: app,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      const info = await new Promise<{ ui: string; receiver: string }>((resolve, reject) => {
        let buffer = '';
        const lines = createInterface({ input: child.stdout });
        lines.on('line', (line) => {
          buffer += line;
          try {
            resolve(JSON.parse(buffer) as { ui: string; receiver: string });
            lines.close();
          } catch {
            // Pretty-printed over several lines; keep reading.
          }
        });
        void exited.then((code) => reject(new Error(`serve exited with ${code}:\n${stderr}`)));
      });

      const health = await fetch(new URL('/healthz', info.receiver));
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ ok: true });

      const page = await fetch(info.ui);
      expect(page.status).toBe(200);
      const html = await page.text();
      // The page is the installed build's, with the first screen added for the token's holder: its data, and that screen rendered.
      expect(html).toContain('<script type="application/json" id="hookbench-start">');
      expect(html).toContain('<template id="hookbench-first-paint" data-page="deliveries">');
      const built = readFileSync(join(app, 'node_modules/hookbench/out/renderer/index.html'), 'utf8');
      const entry = /<script type="module" crossorigin src="([^"]+)"><\/script>/.exec(built)?.[1];
      expect(entry).toBeDefined();
      // The page's first script is in it, allowed by its hash; it starts the installed build's app.
      const firstPaint = readFileSync(join(app, 'node_modules/hookbench/out/renderer/first-paint.js'), 'utf8');
      expect(html).toContain(`<script data-app="${entry}">${firstPaint}</script>`);
      expect(page.headers.get('content-security-policy')).toContain(`'sha256-${createHash('sha256').update(firstPaint).digest('base64')}'`);
      const asset = await fetch(new URL(entry!, info.ui));
      expect(asset.status).toBe(200);
      expect(asset.headers.get('content-type')).toMatch(/javascript/);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  });
});
