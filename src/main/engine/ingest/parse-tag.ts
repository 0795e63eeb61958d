import semver from 'semver';

export type ParsedTag = { ok: true; version: string; prerelease: string[] } | { ok: false; reason: string };

/** Strict semver, with one optional lowercase `v` in front: `v1.4.2` and `1.4.2`, never `V1.4.2` or `1.2`. */
export function parseTag(tag: string): ParsedTag {
  const bare = tag.startsWith('v') ? tag.slice(1) : tag;
  const parsed = /^\d/.test(bare) ? semver.parse(bare, { loose: false }) : null;
  if (!parsed || parsed.raw !== bare) {
    return {
      ok: false,
      reason: `Tag "${tag}" is not a semver version (expected MAJOR.MINOR.PATCH, optionally with a leading "v", e.g. v1.4.2).`,
    };
  }
  return { ok: true, version: parsed.version + (parsed.build.length ? `+${parsed.build.join('.')}` : ''), prerelease: parsed.prerelease.map(String) };
}
