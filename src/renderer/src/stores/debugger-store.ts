import { create } from 'zustand';
import type { Diagnosis, SignedRequest } from '../../../shared/types';
import { describeError } from '../lib/errors';
import { textToBase64 } from '../lib/bytes';
import { parseHeaders } from '../lib/parse-headers';
import { call } from './connection-store';

export type DebuggerTab = 'diagnose' | 'sign';

interface ExactBody {
  base64: string;
  length: number;
  /** Where the bytes came from, e.g. "delivery #12". */
  origin: string;
}

interface DiagnoseForm {
  headers: string;
  body: string;
  /** The exact bytes of a prefilled body, kept until the text is edited (text cannot carry every byte). */
  exact: ExactBody | null;
  secrets: string;
  dialect: string;
  /** A delivery whose package's (or inbox's) stored secret the engine checks with; the window never sees it. */
  stored: { deliveryId: number; label: string } | null;
  useStored: boolean;
}

interface SignForm {
  dialect: string;
  secret: string;
  body: string;
  event: string;
  id: string;
  timestamp: string;
  url: string;
}

interface DebuggerState {
  tab: DebuggerTab;
  form: DiagnoseForm;
  diagnosis: Diagnosis | null;
  diagnoseError: string | null;
  diagnosing: boolean;
  sign: SignForm;
  signed: SignedRequest | null;
  signError: string | null;
  setTab(tab: DebuggerTab): void;
  edit(patch: Partial<DiagnoseForm>): void;
  editSign(patch: Partial<SignForm>): void;
  prefill(input: { headers: [string, string][]; bodyBase64: string; bodyText: string; bodyLength: number; origin: string; dialect?: string; stored?: { deliveryId: number; label: string } }): void;
  diagnose(): Promise<void>;
  runSign(): Promise<void>;
}

export const useDebugger = create<DebuggerState>((set, get) => ({
  tab: 'diagnose',
  form: { headers: '', body: '', exact: null, secrets: '', dialect: '', stored: null, useStored: false },
  diagnosis: null,
  diagnoseError: null,
  diagnosing: false,
  sign: { dialect: 'github', secret: '', body: '{"hello":"world"}', event: '', id: '', timestamp: '', url: '' },
  signed: null,
  signError: null,
  setTab: (tab) => set({ tab }),
  edit: (patch) =>
    set((s) => ({
      // Typing in the body replaces the exact bytes with the text as typed.
      form: { ...s.form, ...patch, ...(patch.body !== undefined && patch.body !== s.form.body ? { exact: null } : {}) },
    })),
  editSign: (patch) => set((s) => ({ sign: { ...s.sign, ...patch } })),
  prefill({ headers, bodyBase64, bodyText, bodyLength, origin, dialect, stored }) {
    set({
      tab: 'diagnose',
      form: {
        headers: headers.map(([k, v]) => `${k}: ${v}`).join('\n'),
        body: bodyText,
        exact: { base64: bodyBase64, length: bodyLength, origin },
        secrets: get().form.secrets,
        dialect: dialect ?? '',
        stored: stored ?? null,
        useStored: Boolean(stored),
      },
      diagnosis: null,
      diagnoseError: null,
    });
  },
  async diagnose() {
    const { form } = get();
    const parsed = parseHeaders(form.headers);
    if ('error' in parsed) return set({ diagnoseError: parsed.error, diagnosis: null });
    if (parsed.headers.length === 0) return set({ diagnoseError: 'Paste the request headers first: one "Name: value" per line, or a JSON object.', diagnosis: null });
    const secrets = form.secrets
      .split('\n')
      .map((s) => s.trim())
      .filter(Boolean);
    set({ diagnosing: true, diagnoseError: null });
    try {
      const diagnosis = await call('signature.diagnose', {
        headers: parsed.headers,
        bodyBase64: form.exact?.base64 ?? textToBase64(form.body),
        ...(secrets.length ? { secrets } : {}),
        ...(form.dialect ? { dialect: form.dialect } : {}),
        ...(form.stored && form.useStored ? { storedSecretsOf: form.stored.deliveryId } : {}),
      });
      set({ diagnosis, diagnosing: false });
    } catch (error) {
      set({ diagnoseError: describeError(error), diagnosing: false, diagnosis: null });
    }
  },
  async runSign() {
    const { sign } = get();
    if (!sign.secret.trim()) return set({ signError: 'Enter the secret to sign with.', signed: null });
    // Digits are Unix seconds; any other text (Repsy's ISO 8601) goes as written, and the engine says if it cannot sign it.
    const text = sign.timestamp.trim();
    const timestamp = text === '' ? undefined : /^\d{1,11}$/.test(text) ? Number(text) : text;
    try {
      const signed = await call('signature.sign', {
        dialect: sign.dialect,
        secret: sign.secret,
        bodyBase64: textToBase64(sign.body),
        ...(timestamp !== undefined ? { timestamp } : {}),
        ...(sign.id.trim() ? { id: sign.id.trim() } : {}),
        ...(sign.event ? { event: sign.event } : {}),
        ...(sign.url.trim() ? { url: sign.url.trim() } : {}),
      });
      set({ signed, signError: null });
    } catch (error) {
      set({ signError: describeError(error), signed: null });
    }
  },
}));
