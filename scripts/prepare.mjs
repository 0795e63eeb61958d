// `npm install` in a clone builds the engine, CLI and UI; an installed package already carries
// them in out/ and has neither the sources nor the build tools, so there it does nothing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const isSourceTree = existsSync(new URL('src/main/cli.ts', root)) && existsSync(new URL('electron.vite.config.ts', root));
if (!isSourceTree) process.exit(0);

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const build = spawnSync(npm, ['run', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
process.exit(build.status ?? 1);
