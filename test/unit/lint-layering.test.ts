// The layering written as lint rules, run through ESLint itself on imports each layer must
// refuse or allow (scripts/lint's install: `npm ci --prefix scripts/lint`, as .ci/run does).
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');

interface LintMessage {
  ruleId: string | null;
  severity: number;
  message: string;
}
interface ESLintApi {
  lintText(code: string, options: { filePath: string }): Promise<Array<{ messages: LintMessage[] }>>;
}

function loadESLint() {
  try {
    return createRequire(join(root, 'scripts/lint/package.json'))('eslint') as {
      ESLint: new (options: { cwd: string; overrideConfigFile: string }) => ESLintApi;
    };
  } catch (error) {
    throw new Error(`ESLint is not installed for the lint rules: run "npm ci --prefix scripts/lint" (${(error as Error).message.split('\n')[0]})`, { cause: error });
  }
}
const { ESLint } = loadESLint();
const eslint = new ESLint({ cwd: root, overrideConfigFile: join(root, 'scripts/lint/eslint.config.js') });

/** The layering errors ESLint reports for one import line in a file at `file`. */
async function refusals(file: string, line: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${line}\nexport const used = imported;\n`, { filePath: join(root, file) });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports' && m.severity === 2).map((m) => m.message);
}

describe('the layering lint rules', () => {
  it('keep the engine free of Electron, the shell, the CLI and the renderer, at any depth', async () => {
    expect(await refusals('src/main/engine/receiver/server.ts', "import { app as imported } from 'electron';")).toHaveLength(1);
    expect(await refusals('src/main/engine/receiver/server.ts', "import { createTray as imported } from '../../tray';")).toEqual([
      expect.stringContaining('The engine imports only itself and src/shared'),
    ]);
    expect(await refusals('src/main/engine/index.ts', "import { installMenu as imported } from '../menu';")).toHaveLength(1);
    expect(await refusals('src/main/engine/outbound/x/deep.ts', "import { run as imported } from '../../../cli/run';")).toHaveLength(1);
    expect(await refusals('src/main/engine/receiver/server.ts', "import imported from '../../../renderer/src/App';")).toHaveLength(1);
    expect(await refusals('src/main/engine/receiver/server.ts', "import { autoUpdater as imported } from 'electron-updater';")).toHaveLength(1);
  });

  it('let the engine import itself, src/shared and its data files', async () => {
    expect(await refusals('src/main/engine/receiver/server.ts', "import { METHOD_NAMES as imported } from '../../../shared/methods';")).toEqual([]);
    expect(await refusals('src/main/engine/receiver/server.ts', "import { openStore as imported } from '../store/db';")).toEqual([]);
    expect(await refusals('src/main/engine/index.ts', "import { createEngine as imported } from './engine';")).toEqual([]);
    expect(await refusals('src/main/engine/replay/library.ts', "import imported from '../../../../resources/fixtures/github-examples.json';")).toEqual([]);
  });

  it('keep the renderer away from the engine and the shell', async () => {
    expect(await refusals('src/renderer/src/pages/Page.tsx', "import { createEngine as imported } from '../../../main/engine';")).toHaveLength(1);
    expect(await refusals('src/renderer/src/pages/Page.tsx', "import { ipcRenderer as imported } from 'electron';")).toHaveLength(1);
    expect(await refusals('src/renderer/src/pages/Page.tsx', "import { PAGES as imported } from '../../../shared/pages';")).toEqual([]);
  });

  it('keep src/shared from importing anything of ours outside itself', async () => {
    expect(await refusals('src/shared/contract.ts', "import { defaultDataDir as imported } from '../main/engine/paths';")).toHaveLength(1);
    expect(await refusals('src/shared/contract.ts', "import { PAGES as imported } from '../renderer/src/pages';")).toHaveLength(1);
    expect(await refusals('src/shared/contract.ts', "import type { Delivery as imported } from './types';")).toEqual([]);
    expect(await refusals('src/shared/contract.ts', "import { z as imported } from 'zod';")).toEqual([]);
  });

  it('leave the shell free to use Electron and the engine', async () => {
    expect(await refusals('src/main/shell/tray.ts', "import { Tray as imported } from 'electron';")).toEqual([]);
    expect(await refusals('src/main/shell/index.ts', "import { createEngine as imported } from '../engine';")).toEqual([]);
  });
});
