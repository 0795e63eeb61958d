/**
 * How releases read on every screen (UI and CLI alike), so the two never disagree.
 * Kept free of runtime dependencies: the renderer imports it too.
 */
import type { CheckResult, LatestRelease } from './types';

/** "v2.1.0", or "v2.0.0-rc.1 (prerelease; no stable yet)". */
export function latestText(latest: LatestRelease | null): string | null {
  if (!latest) return null;
  return latest.prerelease ? `${latest.tag} (prerelease; no stable yet)` : latest.tag;
}

/** What one check says: info rules are notes, never a pass or a failure. */
export type CheckVerdict = 'pass' | 'fail' | 'note' | 'none';

/** A check as stored, or as an outbound payload carries it (without a severity: graded). */
type AnyCheck = Pick<CheckResult, 'rule' | 'passed' | 'detail'> & { severity?: CheckResult['severity'] };

export function checkVerdict(check: AnyCheck): CheckVerdict {
  if (check.severity === 'info') return check.passed ? 'none' : 'note';
  return check.passed ? 'pass' : 'fail';
}

export interface ChecksSummary<C extends AnyCheck = CheckResult> {
  passed: number;
  /** Rules that pass or fail (info rules are not counted). */
  graded: number;
  failed: C[];
  notes: C[];
  /** "3/3 passed · 1 note". */
  text: string;
}

export function summarizeChecks<C extends AnyCheck>(checks: C[]): ChecksSummary<C> {
  const verdicts = checks.map((c) => ({ c, v: checkVerdict(c) }));
  const passed = verdicts.filter((x) => x.v === 'pass').length;
  const failed = verdicts.filter((x) => x.v === 'fail').map((x) => x.c);
  const notes = verdicts.filter((x) => x.v === 'note').map((x) => x.c);
  const graded = passed + failed.length;
  const text = `${passed}/${graded} passed${notes.length ? ` · ${notes.length} note${notes.length === 1 ? '' : 's'}` : ''}`;
  return { passed, graded, failed, notes, text };
}
