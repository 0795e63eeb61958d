#!/usr/bin/env node
// Runs the built engine CLI; `npm install` builds it (prepare), `npm run build` rebuilds it.
// Plain JavaScript that any Node can parse: it must be able to refuse an old Node with a
// sentence before the native SQLite module is loaded (an old Node crashes on it without a word).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const EXIT_ENVIRONMENT = 2;

function refuse(lines) {
  process.stderr.write(lines.map((line) => `hookbench: ${line}\n`).join(''));
  process.exit(EXIT_ENVIRONMENT);
}

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const needed = manifest.engines.node; // ">=24"
const minimumMajor = Number.parseInt(needed.replace(/^[^0-9]*/, ''), 10);
// Lets the check itself be exercised on a current Node.
const found = process.env.HOOKBENCH_NODE_VERSION_OVERRIDE || process.versions.node;
const foundMajor = Number.parseInt(found, 10);

if (!(foundMajor >= minimumMajor)) {
  refuse([
    `Node ${found} is too old; Hookbench needs Node ${needed} (${process.execPath}).`,
    `Install Node ${minimumMajor} LTS (https://nodejs.org, or "nvm install ${minimumMajor}" — the repository's .nvmrc names it) and run hookbench with it.`,
  ]);
}

if (process.argv[2] === '--version') {
  process.stdout.write(`${manifest.version}\n`);
  process.exit(0);
}

const require = createRequire(import.meta.url);
try {
  const Database = require('better-sqlite3');
  new Database(':memory:').close();
} catch (error) {
  const file = /(\/[^\s'"]+\.node)/.exec(String(error?.message))?.[1] ?? 'better-sqlite3';
  refuse([
    `the SQLite module does not load: ${file}`,
    `${error?.message ?? error}`,
    `Reinstall with this Node (${process.version}, ${process.platform}-${process.arch}): "npm ci" in the Hookbench folder.`,
  ]);
}

const cli = new URL('../out/main/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('hookbench: the CLI is not built yet; run "npm run build" in the Hookbench folder.\n');
  process.exit(1);
}
await import(cli.href);
