// The GitHub workflows, read as GitHub reads them: CI on every push, and a release on a tag
// that tests first, then builds and publishes every installer and the npm package.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
interface Job {
  'runs-on'?: string;
  uses?: string;
  needs?: string | string[];
  strategy?: { matrix: { include: Array<{ os: string; platform: string }> } };
  env?: Record<string, string>;
  steps?: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

function workflow(name: string): Workflow {
  const document = parseDocument(readFileSync(join(repo, '.github/workflows', name), 'utf8'));
  expect(document.errors).toEqual([]);
  return document.toJS() as Workflow;
}
const runs = (job: Job) => (job.steps ?? []).map((step) => step.run ?? '').join('\n');

describe('ci.yml', () => {
  const ci = workflow('ci.yml');

  it('runs on every push and pull request, and can be called by the release', () => {
    expect(Object.keys(ci.on)).toEqual(expect.arrayContaining(['push', 'pull_request', 'workflow_call']));
  });

  it("runs .ci/run's steps on the Node the repository names", () => {
    const job = ci.jobs.test!;
    expect(job['runs-on']).toBe('ubuntu-latest');
    expect(job.steps?.find((step) => step.uses?.startsWith('actions/setup-node'))?.with).toMatchObject({ 'node-version-file': '.nvmrc' });
    expect(runs(job)).toContain('.ci/run');
  });

  it('.ci/run installs, typechecks, lints and tests', () => {
    const script = readFileSync(join(repo, '.ci/run'), 'utf8');
    for (const step of ['npm ci', 'npm ci --prefix scripts/lint', 'npm run typecheck', 'npm run lint', 'npm test']) expect(script).toContain(step);
  });
});

describe('release.yml', () => {
  const release = workflow('release.yml');
  const installers = release.jobs.installers!;

  it('runs on a version tag and may write the release', () => {
    expect(release.on).toEqual({ push: { tags: ['v*'] } });
    expect(release.permissions).toMatchObject({ contents: 'write' });
  });

  it('runs the tests before building or publishing anything', () => {
    expect(release.jobs.test!.uses).toBe('./.github/workflows/ci.yml');
    expect(installers.needs).toBe('test');
    expect(release.jobs.npm!.needs).toBe('test');
  });

  it('builds the installers on a Linux, a macOS and a Windows runner and publishes them with latest*.yml', () => {
    const matrix = installers.strategy!.matrix.include;
    expect(matrix.map((entry) => entry.os).sort()).toEqual(['macos-latest', 'ubuntu-latest', 'windows-latest']);
    expect(matrix.map((entry) => entry.platform).sort()).toEqual(['--linux', '--mac', '--win']);
    expect(runs(installers)).toContain('npm ci');
    expect(runs(installers)).toContain('npm run build');
    const build = installers.steps!.find((step) => step.run?.includes('electron-builder'))!;
    // --publish always uploads the artifacts and the latest*.yml files electron-updater reads.
    expect(build.run).toMatch(/electron-builder \$\{\{ matrix\.platform \}\} --publish always/);
    expect(build.env).toMatchObject({ GH_TOKEN: '${{ secrets.GITHUB_TOKEN }}' });
    const kept = installers.steps!.find((step) => step.uses?.startsWith('actions/upload-artifact'))!;
    expect(String(kept.with!.path)).toContain('dist/latest*.yml');
  });

  it('refuses a tag that does not name the package version', () => {
    for (const job of [installers, release.jobs.npm!]) {
      expect(runs(job)).toContain(`test "v$(node -p 'require("./package.json").version')" = "$GITHUB_REF_NAME"`);
    }
  });

  it('signs and notarizes with secrets where they are set, and builds unsigned where not', () => {
    const build = installers.steps!.find((step) => step.run?.includes('electron-builder'))!;
    expect(build.env!.CSC_LINK).toContain('secrets.MAC_CSC_LINK');
    expect(build.env!.CSC_LINK).toContain('secrets.WIN_CSC_LINK');
    expect(build.env).toHaveProperty('APPLE_API_KEY_ID');
    expect(build.env).toHaveProperty('APPLE_API_ISSUER');
    expect(build.run).toContain('CSC_IDENTITY_AUTO_DISCOVERY=false');
    const key = installers.steps!.find((step) => step.run?.includes('APPLE_API_KEY='))!;
    expect(key.if).toContain("env.APPLE_API_KEY_P8 != ''");
  });

  it('publishes the npm package when a token is set', () => {
    const npm = release.jobs.npm!;
    const publish = npm.steps!.find((step) => step.run?.startsWith('npm publish'))!;
    expect(publish.if).toBe("env.NODE_AUTH_TOKEN != ''");
    expect(npm.env).toMatchObject({ NODE_AUTH_TOKEN: '${{ secrets.NPM_TOKEN }}' });
    expect(runs(npm).indexOf('npm run build')).toBeLessThan(runs(npm).indexOf('npm publish'));
  });
});
