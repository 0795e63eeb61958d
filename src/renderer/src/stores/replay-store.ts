import { create } from 'zustand';
import type { ParamsOf } from '../../../shared/contract';
import type { DeliveryDetail, ReplayView } from '../../../shared/types';
import { fromBase64, textToBase64, utf8OrNull } from '../lib/bytes';
import { describeError } from '../lib/errors';
import { parseHeaders } from '../lib/parse-headers';
import { headerChanges, replayable, sameHeaders, type Pairs } from '../lib/replay-request';
import { call } from './connection-store';

/** What a replay starts from: a stored delivery or an outbound attempt. */
export interface ReplaySource {
  /** As the engine reads it: delivery:ID or attempt:ID. */
  ref: string;
  /** For people: "delivery #12". */
  label: string;
  headers: Pairs;
  /** null when the UI cannot see the original body (an attempt's): the engine sends it unchanged. */
  bodyBase64: string | null;
  event: string | null;
  /** The package whose hook received it; replays into Hookbench default to that hook. */
  packageId: string | null;
  /** The inbox that captured it; replays into Hookbench default to that inbox, with its method and path. */
  inboxId?: string | null;
  /** An inbox capture's method and path (query included), kept by a replay. */
  method?: string | null;
  path?: string | null;
  /** Where an attempt went. */
  url: string | null;
}

export type ReplayMode = 'exact' | 'resign' | 'edit';
export type ReplayTarget = 'hookbench' | 'url';

export interface ReplayForm {
  mode: ReplayMode;
  target: ReplayTarget;
  /** '' = the original hook or inbox; a package id; or INBOX_TARGET + an inbox id. */
  packageId: string;
  url: string;
  newId: boolean;
  /** '' = the default: the package's provider into Hookbench, the detected dialect for a URL (or unsigned when editing). */
  dialect: string;
  secret: string;
  body: string;
  headers: string;
}

/** The original body as editable text, or null when it is not text (or not available). */
export function sourceText(source: ReplaySource): string | null {
  if (source.bodyBase64 === null) return null;
  return utf8OrNull(fromBase64(source.bodyBase64));
}

export const headerLines = (headers: Pairs) => headers.map(([k, v]) => `${k}: ${v}`).join('\n');

/** Marks an inbox among the packages in the replay's Hookbench target. */
export const INBOX_TARGET = 'inbox:';

function initialForm(source: ReplaySource, firstPackage: string | null): ReplayForm {
  const own = source.packageId !== null || Boolean(source.inboxId);
  const intoHookbench = own || (source.url === null && firstPackage !== null);
  return {
    mode: 'exact',
    target: intoHookbench ? 'hookbench' : 'url',
    packageId: own ? '' : (firstPackage ?? ''),
    url: source.url ?? '',
    newId: false,
    dialect: '',
    secret: '',
    body: sourceText(source) ?? '',
    headers: headerLines(replayable(source.headers)),
  };
}

interface ReplayState {
  source: ReplaySource | null;
  form: ReplayForm;
  sending: boolean;
  result: ReplayView | null;
  /** The delivery a replay into Hookbench became, to show whether it was taken as a duplicate. */
  landed: DeliveryDetail | null;
  error: string | null;
  /** Replays of each source, newest first. */
  history: Record<string, ReplayView[]>;
  open(source: ReplaySource, firstPackage: string | null): void;
  close(): void;
  edit(patch: Partial<ReplayForm>): void;
  run(): Promise<void>;
  loadHistory(ref: string): Promise<void>;
}

/** The replay.run parameters for a form; a string is a problem to show instead. */
export function replayParams(source: ReplaySource, form: ReplayForm): ParamsOf<'replay.run'> | string {
  const params: ParamsOf<'replay.run'> = { ref: source.ref, mode: form.mode, newId: form.newId };
  if (form.target === 'url') {
    const url = form.url.trim();
    if (!/^https?:\/\/\S+$/i.test(url)) return 'Enter the URL to send it to, for example http://127.0.0.1:9000/webhook.';
    params.to = url;
    if (form.mode === 'resign' && !form.secret) return 'Re-signing for a URL needs the secret that receiver expects.';
    if (form.mode === 'edit' && form.dialect && !form.secret) return 'Enter the secret to sign with, or choose not to re-sign.';
  } else {
    if (form.packageId.startsWith(INBOX_TARGET)) params.inboxId = form.packageId.slice(INBOX_TARGET.length);
    else if (form.packageId) params.packageId = form.packageId;
    else if (!source.packageId && !source.inboxId) return 'Choose the package or inbox that should receive it.';
  }
  if (form.mode !== 'exact') {
    if (form.dialect) params.dialect = form.dialect;
    if (form.secret) params.secret = form.secret;
  }
  if (form.mode === 'edit') {
    const text = sourceText(source);
    if (text !== null && form.body !== text) params.bodyBase64 = textToBase64(form.body);
    else if (source.bodyBase64 === null && form.body !== '') params.bodyBase64 = textToBase64(form.body);
    const parsed = parseHeaders(form.headers);
    if ('error' in parsed) return parsed.error;
    const original = replayable(source.headers);
    if (!sameHeaders(parsed.headers, original)) params.headers = headerChanges(original, parsed.headers);
  }
  return params;
}

export const useReplay = create<ReplayState>((set, get) => ({
  source: null,
  form: initialForm({ ref: '', label: '', headers: [], bodyBase64: null, event: null, packageId: null, url: null }, null),
  sending: false,
  result: null,
  landed: null,
  error: null,
  history: {},
  open: (source, firstPackage) => set({ source, form: initialForm(source, firstPackage), result: null, landed: null, error: null, sending: false }),
  close: () => set({ source: null, result: null, landed: null, error: null }),
  edit: (patch) => set((s) => ({ form: { ...s.form, ...patch } })),
  async run() {
    const { source, form } = get();
    if (!source) return;
    const params = replayParams(source, form);
    if (typeof params === 'string') return set({ error: params });
    set({ sending: true, error: null, result: null, landed: null });
    try {
      const result = await call('replay.run', params);
      if (get().source?.ref !== source.ref) return;
      set({ result, sending: false });
      void get().loadHistory(source.ref);
      if (result.deliveryId !== null) {
        const landed = await call('deliveries.get', { id: result.deliveryId });
        if (get().result?.id === result.id) set({ landed });
      }
    } catch (error) {
      set({ error: describeError(error), sending: false });
    }
  },
  async loadHistory(ref) {
    try {
      const list = await call('replay.list', { source: ref, limit: 50 });
      set((s) => ({ history: { ...s.history, [ref]: list } }));
    } catch {
      // The history is a convenience: a failed load leaves the last one shown.
    }
  },
}));
