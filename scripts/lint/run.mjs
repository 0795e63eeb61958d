// `npm run lint`: ESLint over the repository with scripts/lint's own install (see eslint.config.js).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const eslint = fileURLToPath(new URL('node_modules/eslint/bin/eslint.js', import.meta.url));
if (!existsSync(eslint)) {
  process.stderr.write('lint: ESLint is not installed; run "npm ci --prefix scripts/lint" once.\n');
  process.exit(2);
}
const run = spawnSync(process.execPath, [eslint, '--config', `${here}eslint.config.js`, ...process.argv.slice(2), '.'], {
  cwd: fileURLToPath(new URL('../../', import.meta.url)),
  stdio: 'inherit',
});
process.exit(run.status ?? 1);
