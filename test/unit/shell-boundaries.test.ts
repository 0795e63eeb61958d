import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const source = (file: string) => readFileSync(join(root, file), 'utf8');

// The shell's decisions live in these modules so they run (and are tested) without Electron.
const PURE = [
  'src/main/shell/url-policy.ts',
  'src/main/shell/csp.ts',
  'src/main/shell/permissions.ts',
  'src/main/shell/ipc-guard.ts',
  'src/main/shell/window-state.ts',
  'src/main/shell/tray-status.ts',
  'src/main/shell/notify-policy.ts',
  'src/main/shell/shell-feed.ts',
  'src/main/shell/menu-template.ts',
];

describe('shell module boundaries', () => {
  it('keeps the decision modules free of a runtime electron import', () => {
    for (const file of PURE) {
      const runtimeImports = [...source(file).matchAll(/^import\s+(?!type\b)[^;]*from\s+'electron'/gm)];
      expect(runtimeImports, file).toEqual([]);
    }
  });

  it('keeps the renderer sandboxed and isolated', () => {
    const security = source('src/main/shell/security.ts');
    for (const setting of ['contextIsolation: true', 'sandbox: true', 'nodeIntegration: false', 'nodeIntegrationInWorker: false', 'nodeIntegrationInSubFrames: false', 'webSecurity: true', 'webviewTag: false']) {
      expect(security, setting).toContain(setting);
    }
    expect(source('src/main/shell/index.ts')).toContain('app.enableSandbox()');
  });

  it('lets the preload reach electron and the method list only', () => {
    const imports = [...source('src/preload/index.ts').matchAll(/from\s+'([^']+)'/g)].map((m) => m[1]);
    expect(imports.sort()).toEqual(['../shared/methods', 'electron']);
  });
});
