import { describe, expect, it } from 'vitest';
import { blocks, contextFromPublished, runChecks } from '../../src/main/engine/ingest/checks';
import { parseTag } from '../../src/main/engine/ingest/parse-tag';

describe('tag parsing', () => {
  it.each([
    ['v1.4.2', '1.4.2'],
    ['1.4.2', '1.4.2'],
    ['v1.0.0-rc.1', '1.0.0-rc.1'],
    ['1.2.3+build.5', '1.2.3+build.5'],
  ])('accepts %s as %s', (tag, version) => {
    expect(parseTag(tag)).toMatchObject({ ok: true, version });
  });

  it.each(['V1.4.2', '1.2', 'release-1.2', 'nightly', 'latest', 'vv1.2.3', '=1.2.3', ' 1.2.3', '01.2.3'])('refuses %s with a reason', (tag) => {
    const parsed = parseTag(tag);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toContain(tag);
  });
});

describe('release checks', () => {
  const published = [
    { tag: 'v1.10.0', version: '1.10.0' },
    { tag: 'v2.0.0-rc.10', version: '2.0.0-rc.10' },
  ];

  it('orders by semver, not by string: 1.9.0 is lower than 1.10.0', () => {
    const results = runChecks(contextFromPublished('v1.9.0', '1.9.0', published));
    expect(results.find((r) => r.rule === 'not-lower-than-latest-stable')).toMatchObject({ passed: false, severity: 'warning' });
    expect(blocks(results)).toBe(false);
  });

  it('blocks a version already published, ignoring build metadata', () => {
    const results = runChecks(contextFromPublished('v1.10.0+meta', '1.10.0+meta', published));
    expect(results.find((r) => r.rule === 'not-already-published')?.passed).toBe(false);
    expect(blocks(results)).toBe(true);
  });

  it('flags a prerelease without blocking it, and compares prereleases numerically', () => {
    const results = runChecks(contextFromPublished('v2.0.0-rc.2', '2.0.0-rc.2', published));
    expect(results.find((r) => r.rule === 'prerelease-flagged')).toMatchObject({ passed: false, severity: 'info' });
    expect(results.find((r) => r.rule === 'not-lower-than-latest-stable')?.passed).toBe(true);
    expect(blocks(results)).toBe(false);
  });
});
