import { useEffect, useMemo, useState } from 'react';
import { useDebounced } from '../../hooks/useDebounced';
import { textToBase64 } from '../../lib/bytes';
import { describeError } from '../../lib/errors';
import { parseHeaders } from '../../lib/parse-headers';
import { guessDialect, ID_HEADERS, NEW_ID, originalId, signedHeaders, staleSignatureHeaders, unsignedHeaders, type Pairs } from '../../lib/replay-request';
import { call } from '../../stores/connection-store';
import { useDialects } from '../../stores/dialects-store';
import { packageName, usePackages } from '../../stores/packages-store';
import { sourceText, type ReplayForm, type ReplaySource } from '../../stores/replay-store';

/** Any secret will do to learn which headers a dialect sets; its values are masked. */
const PLACEHOLDER_SECRET = 'whsec_aG9va2JlbmNoLXByZXZpZXctb25seS1zZWNyZXQ=';

export interface ReplayPreview {
  headers: Pairs;
  /** Which dialect signs it, or null when it is sent as it is. */
  signedAs: string | null;
  notes: string[];
  error: string | null;
  pending: boolean;
}

interface Plan {
  base: Pairs;
  sign: { dialect: string; secret: string; mask: string | null; bodyBase64: string } | null;
  notes: string[];
  error: string | null;
}

/** What is sent before any signing, and how it will be signed. Pure: recomputed as the user types. */
function plan(source: ReplaySource, form: ReplayForm, provider: string | null, guessed: string | null, targetName: string): Plan {
  const notes: string[] = [];
  let edited: Pairs | null = null;
  if (form.mode === 'edit') {
    const parsed = parseHeaders(form.headers);
    if ('error' in parsed) return { base: [], sign: null, notes, error: parsed.error };
    edited = parsed.headers;
  }
  const base = unsignedHeaders(source.headers, edited, form.newId);
  const text = sourceText(source);
  const editedBody = form.mode === 'edit' && ((text !== null && form.body !== text) || (source.bodyBase64 === null && form.body !== ''));
  const bodyBase64 = editedBody ? textToBase64(form.body) : source.bodyBase64;
  if (form.newId && form.mode === 'exact' && base.some(([k]) => ['webhook-id', 'svix-id'].includes(k.toLowerCase()))) {
    notes.push('This signature covers the id: with a new id an exact replay will no longer verify. Re-sign it to keep it valid.');
  }
  if (form.mode === 'exact') return { base, sign: null, notes, error: null };

  const intoHookbench = form.target === 'hookbench';
  const dialect = form.dialect || (intoHookbench ? provider : form.mode === 'resign' ? guessed : null);
  if (!dialect) {
    if (form.mode === 'resign') return { base, sign: null, notes, error: 'No dialect detected in the original headers: choose the one to sign in.' };
    notes.push('Sent as edited, without a new signature: choose a dialect and a secret to sign it.');
    return { base, sign: null, notes, error: null };
  }
  let secret = form.secret;
  let mask: string | null = null;
  if (!secret) {
    if (!intoHookbench) return { base, sign: null, notes, error: 'Enter the secret the receiver expects to see the signature.' };
    secret = PLACEHOLDER_SECRET;
    mask = `‹signed with ${targetName}'s secret when sent›`;
  }
  if (bodyBase64 === null) {
    mask = '‹signed over the original body when sent›';
    notes.push('The original body of an attempt is not shown here; it is sent unchanged unless you type a new one.');
  }
  notes.push('Signatures that carry a timestamp get a fresh one when it is sent.');
  return { base, sign: { dialect, secret, mask, bodyBase64: bodyBase64 ?? '' }, notes, error: null };
}

/**
 * The headers a replay will send, updated as the user types (debounced): the original ones for
 * an exact replay; for a re-signed or edited one, signed through `signature.sign`.
 */
export function useReplayPreview(source: ReplaySource, form: ReplayForm): ReplayPreview {
  const dialects = useDialects((s) => s.dialects);
  const packages = usePackages((s) => s.packages);
  const targetPackage = form.packageId || source.packageId;
  const pkg = packages.find((p) => p.id === targetPackage);
  const provider = pkg?.provider ?? null;
  const guessed = useMemo(() => guessDialect(source.headers, dialects), [source.headers, dialects]);
  const settled = useDebounced(form, 250);
  const p = useMemo(() => plan(source, settled, provider, guessed, packageName(packages, targetPackage) || 'the package'), [source, settled, provider, guessed, packages, targetPackage]);
  const [signed, setSigned] = useState<{ key: Plan; headers: Pairs } | { key: Plan; error: string } | null>(null);

  useEffect(() => {
    const sign = p.sign;
    if (!sign) return;
    let current = true;
    const original = originalId(source.headers);
    call('signature.sign', {
      dialect: sign.dialect,
      secret: sign.secret,
      bodyBase64: sign.bodyBase64,
      ...(original && !settled.newId ? { id: original.replace(/\./g, '_') } : {}),
      ...(source.event ? { event: source.event } : {}),
    }).then(
      (r) => {
        if (!current) return;
        let headers = signedHeaders(p.base, r.headers, staleSignatureHeaders(p.base, dialects, sign.dialect), sign.mask);
        if (settled.newId) headers = headers.map(([k, v]) => [k, ID_HEADERS.includes(k.toLowerCase()) ? NEW_ID : v]);
        setSigned({ key: p, headers });
      },
      (e: unknown) => current && setSigned({ key: p, error: describeError(e) }),
    );
    return () => {
      current = false;
    };
  }, [p, dialects, source, settled.newId]);

  const pending = settled !== form || (p.sign !== null && signed?.key !== p);
  if (p.error) return { headers: p.base, signedAs: null, notes: p.notes, error: p.error, pending };
  if (!p.sign) return { headers: p.base, signedAs: null, notes: p.notes, error: null, pending };
  if (signed?.key === p && 'error' in signed) return { headers: p.base, signedAs: p.sign.dialect, notes: p.notes, error: signed.error, pending };
  return { headers: signed?.key === p && 'headers' in signed ? signed.headers : p.base, signedAs: p.sign.dialect, notes: p.notes, error: null, pending };
}
