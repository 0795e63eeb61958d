#!/usr/bin/env node
// Runs the built engine CLI; `npm install` builds it (prepare), `npm run build` rebuilds it.
import { existsSync } from 'node:fs';

const cli = new URL('../out/main/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('hookbench: the CLI is not built yet; run "npm run build" in the Hookbench folder.\n');
  process.exit(1);
}
await import(cli.href);
