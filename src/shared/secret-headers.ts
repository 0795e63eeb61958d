/**
 * Which parts of a stored request are credentials, and how every view hides them.
 * GitLab's X-Gitlab-Token is the package secret itself; Authorization, cookies and their
 * kin are someone's credentials. They are sealed at rest and shown as HIDDEN until a
 * person reveals one on purpose.
 */

/** What a view shows instead of a secret value; URL-safe, so a masked URL still parses. */
export const HIDDEN = '(hidden)';

/** Marks a header value sealed at rest; no HTTP header value can start with a NUL. */
export const SEALED_PREFIX = '\u0000sealed:';

/** Credential headers by exact name, and any name with a credential word as one of its parts. */
const SECRET_HEADER =
  /^(?:authorization|proxy-authorization|cookie|set-cookie)$|(?:^|[-_])(?:token|secret|password|passwd|api-?key|apikey|auth|credentials?|session)(?:[-_]|$)/i;

export const isSecretHeader = (name: string): boolean => SECRET_HEADER.test(name);

/** Whether this stored pair is shown hidden: a credential by name, or a value sealed at rest. */
export const isHiddenHeader = ([name, value]: readonly [string, string]): boolean => isSecretHeader(name) || value.startsWith(SEALED_PREFIX);

/** The one masking every view of a stored request goes through: credentials become HIDDEN. */
export function maskHeaders(pairs: [string, string][]): [string, string][] {
  if (!pairs.some(isHiddenHeader)) return pairs;
  return pairs.map((pair): [string, string] => (isHiddenHeader(pair) ? [pair[0], HIDDEN] : pair));
}

/** Query parameters that carry a credential: token, key, secret, sig, access_token, password… */
const SECRET_PARAM = /token|key|secret|sig|pass|pwd|auth|credential|code/i;

function maskQuery(query: string): string {
  return query
    .split('&')
    .map((part) => {
      const eq = part.indexOf('=');
      if (eq < 0) return part;
      let name = part.slice(0, eq);
      try {
        name = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        // A malformed escape: judge the name as written.
      }
      return SECRET_PARAM.test(name) && part.length > eq + 1 ? `${part.slice(0, eq)}=${HIDDEN}` : part;
    })
    .join('&');
}

/**
 * A URL as it may be shown: `user:password@` and credential query parameters hidden.
 * The text is otherwise kept as written; sends always use the stored, full URL.
 */
export function maskUrl(url: string): string {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*@)?([^?#]*)(\?[^#]*)?(#.*)?$/i.exec(url);
  if (!match) return url;
  const [, scheme, userinfo, rest, query, hash] = match;
  let who = '';
  if (userinfo) {
    const colon = userinfo.indexOf(':');
    // A lone user name is often a token (https://TOKEN@host); a user before a password is not.
    who = colon >= 0 ? `${userinfo.slice(0, colon)}:${HIDDEN}@` : `${HIDDEN}@`;
  }
  return `${scheme}${who}${rest}${query ? '?' + maskQuery(query.slice(1)) : ''}${hash ?? ''}`;
}

/** Why a URL still holding HIDDEN cannot be sent to: the credential was copied from a view. */
export const HIDDEN_IN_URL = `The URL still has parts shown as ${HIDDEN}: they were copied from a view that hides credentials. Enter the real user name, password or token.`;

/**
 * An edited URL with HIDDEN where the original had a credential gets the original's value
 * back there: saving a form that showed a masked URL must not store the mask.
 */
export function restoreMaskedUrl(edited: string, original: string): string {
  if (!edited.includes(HIDDEN)) return edited;
  if (edited === maskUrl(original)) return original;
  try {
    const next = new URL(edited);
    const before = new URL(original);
    const hidden = encodeURI(HIDDEN);
    if (next.password === hidden || next.password === HIDDEN) next.password = before.password;
    if ((next.username === hidden || next.username === HIDDEN) && !next.password) next.username = before.username;
    for (const [name, value] of [...next.searchParams]) {
      if (value === HIDDEN && before.searchParams.has(name)) next.searchParams.set(name, before.searchParams.get(name)!);
    }
    return next.toString();
  } catch {
    return edited;
  }
}
