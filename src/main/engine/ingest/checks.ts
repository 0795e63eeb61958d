import semver from 'semver';
import type { CheckResult, CheckSeverity } from '../../../shared/types';

export interface PublishedVersion {
  tag: string;
  version: string;
}

export interface CheckContext {
  tag: string;
  version: string;
  /** Another published release of this package with the same version (build metadata ignored). */
  sameVersion: PublishedVersion | null;
  /** The highest published stable release of this package, this tag aside. */
  latestStable: PublishedVersion | null;
}

export interface CheckRule {
  rule: string;
  severity: CheckSeverity;
  run(ctx: CheckContext): { passed: boolean; detail: string };
}

const validSemver: CheckRule = {
  rule: 'valid-semver',
  severity: 'blocking',
  run: ({ tag, version }) =>
    semver.valid(version)
      ? { passed: true, detail: `${tag} parses as semver ${version}.` }
      : { passed: false, detail: `${tag} is not valid semver.` },
};

const notAlreadyPublished: CheckRule = {
  rule: 'not-already-published',
  severity: 'blocking',
  run: ({ version, sameVersion: same }) => {
    return same
      ? { passed: false, detail: `Version ${semver.parse(version)?.version ?? version} is already published as tag ${same.tag}.` }
      : { passed: true, detail: 'No published release has this version.' };
  },
};

const notLowerThanLatestStable: CheckRule = {
  rule: 'not-lower-than-latest-stable',
  severity: 'warning',
  run: ({ version, latestStable: latest }) => {
    if (!latest) return { passed: true, detail: 'First stable line: nothing to compare with.' };
    return semver.lt(version, latest.version)
      ? { passed: false, detail: `${version} is lower than the latest stable ${latest.version} (tag ${latest.tag}); buyers on the latest will not get it.` }
      : { passed: true, detail: `Not lower than the latest stable ${latest.version}.` };
  },
};

const prereleaseFlagged: CheckRule = {
  rule: 'prerelease-flagged',
  severity: 'info',
  run: ({ version }) => {
    const pre = semver.prerelease(version);
    return pre
      ? { passed: false, detail: `Prerelease (${pre.join('.')}): published, but flagged so stable installs skip it.` }
      : { passed: true, detail: 'Stable release.' };
  },
};

/** Adding a rule is adding an entry here. */
export const defaultRules: CheckRule[] = [validSemver, notAlreadyPublished, notLowerThanLatestStable, prereleaseFlagged];

export function runChecks(ctx: CheckContext, rules: CheckRule[] = defaultRules): CheckResult[] {
  return rules.map((r) => ({ rule: r.rule, severity: r.severity, ...r.run(ctx) }));
}

export const blocks = (results: CheckResult[]) => results.some((r) => r.severity === 'blocking' && !r.passed);

/** The context from a full list of published releases (small lists, tests). */
export function contextFromPublished(tag: string, version: string, published: PublishedVersion[]): CheckContext {
  const others = published.filter((p) => p.tag !== tag);
  // Build metadata does not make a new version: 1.2.3 and 1.2.3+build.5 are the same release.
  const sameVersion = others.find((p) => semver.compare(p.version, version) === 0) ?? null;
  const latestStable = others.filter((p) => semver.prerelease(p.version) === null).sort((a, b) => semver.compare(b.version, a.version))[0] ?? null;
  return { tag, version, sameVersion, latestStable };
}
