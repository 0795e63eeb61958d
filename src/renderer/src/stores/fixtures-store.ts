import { create } from 'zustand';
import type { ParamsOf, ResultOf } from '../../../shared/contract';
import type { FixtureDetail, FixtureSummary } from '../../../shared/types';
import { describeError } from '../lib/errors';
import { call, reportError } from './connection-store';

export type LibraryEntry = ResultOf<'fixtures.library'>[number];
export type FireResult = ResultOf<'fixtures.fire'>;
export type FireTarget = 'package' | 'endpoint' | 'url' | 'inbox';

export interface FireForm {
  /** null: the fixture's own default (see default-target.ts), until the user picks one. */
  target: FireTarget | null;
  packageId: string;
  endpointId: string;
  inboxId: string;
  url: string;
  mode: 'exact' | 'resign';
  dialect: string;
  secret: string;
}

interface FixturesState {
  fixtures: FixtureSummary[];
  loaded: boolean;
  library: LibraryEntry[] | null;
  view: 'fixture' | 'library';
  selectedId: number | null;
  detail: FixtureDetail | null;
  error: string | null;
  fireForm: FireForm;
  firing: boolean;
  fired: FireResult | null;
  fireError: string | null;
  load(): Promise<void>;
  loadLibrary(): Promise<void>;
  select(id: number | null): Promise<void>;
  showLibrary(): void;
  /** Saves a delivery (or attempt) as a fixture; resolves to it, or null after reporting why not. */
  saveRef(ref: string, name?: string): Promise<FixtureDetail | null>;
  addFromLibrary(key: string): Promise<void>;
  remove(id: number): Promise<void>;
  editFire(patch: Partial<FireForm>): void;
  fire(): Promise<void>;
}

function fireParams(id: number, f: FireForm): ParamsOf<'fixtures.fire'> | string {
  if (f.target === 'package') return f.packageId ? { id, packageId: f.packageId } : 'Choose the package whose hook should receive it.';
  if (f.target === 'endpoint') return f.endpointId ? { id, endpointId: f.endpointId } : 'Choose an endpoint (create one on the Endpoints page).';
  // Into an inbox a re-signed fixture is signed as the inbox checks: its own dialect and secret.
  if (f.target === 'inbox') return f.inboxId ? { id, inboxId: f.inboxId, mode: f.mode } : 'Choose the inbox to send it into (add one on the Inboxes page).';
  const url = f.url.trim();
  if (!/^https?:\/\/\S+$/i.test(url)) return 'Enter the URL to send it to, for example http://127.0.0.1:9000/webhook.';
  if (f.mode === 'resign' && !f.secret) return 'Re-signing for a URL needs the secret that receiver expects.';
  return { id, to: url, mode: f.mode, ...(f.mode === 'resign' ? { secret: f.secret, ...(f.dialect ? { dialect: f.dialect } : {}) } : {}) };
}

export const useFixtures = create<FixturesState>((set, get) => ({
  fixtures: [],
  loaded: false,
  library: null,
  view: 'fixture',
  selectedId: null,
  detail: null,
  error: null,
  fireForm: { target: null, packageId: '', endpointId: '', inboxId: '', url: '', mode: 'exact', dialect: '', secret: '' },
  firing: false,
  fired: null,
  fireError: null,
  async load() {
    try {
      const fixtures = await call('fixtures.list', {});
      set({ fixtures, loaded: true });
      const { selectedId, view } = get();
      if (view === 'fixture' && (selectedId === null || !fixtures.some((f) => f.id === selectedId))) void get().select(fixtures[0]?.id ?? null);
    } catch (error) {
      reportError(error);
    }
  },
  async loadLibrary() {
    if (get().library) return;
    try {
      set({ library: await call('fixtures.library', {}) });
    } catch (error) {
      set({ error: describeError(error) });
    }
  },
  async select(id) {
    // Another fixture may come from another provider or an inbox: its default target is found afresh (FirePanel).
    set((s) => ({
      selectedId: id,
      view: 'fixture',
      fired: null,
      fireError: null,
      error: null,
      fireForm: { ...s.fireForm, target: null, packageId: '', inboxId: '' },
      ...(id === null ? { detail: null } : {}),
    }));
    if (id === null) return;
    try {
      const detail = await call('fixtures.get', { id });
      if (get().selectedId === id) set({ detail });
    } catch (error) {
      set({ error: describeError(error) });
    }
  },
  showLibrary() {
    set({ view: 'library', error: null });
    void get().loadLibrary();
  },
  async saveRef(ref, name) {
    try {
      const saved = await call('fixtures.save', { ref, ...(name ? { name } : {}) });
      set((s) => ({ fixtures: [saved, ...s.fixtures.filter((f) => f.id !== saved.id)] }));
      return saved;
    } catch (error) {
      reportError(error);
      return null;
    }
  },
  async addFromLibrary(key) {
    try {
      const saved = await call('fixtures.save', { libraryKey: key });
      set((s) => ({ fixtures: [saved, ...s.fixtures], selectedId: saved.id, detail: saved, view: 'fixture', fired: null, fireError: null }));
    } catch (error) {
      set({ error: describeError(error) });
    }
  },
  async remove(id) {
    try {
      await call('fixtures.remove', { id });
      set((s) => ({ fixtures: s.fixtures.filter((f) => f.id !== id), ...(s.selectedId === id ? { selectedId: null, detail: null } : {}) }));
      if (get().selectedId === null) void get().select(get().fixtures[0]?.id ?? null);
    } catch (error) {
      set({ error: describeError(error) });
    }
  },
  editFire: (patch) => set((s) => ({ fireForm: { ...s.fireForm, ...patch } })),
  async fire() {
    const { selectedId, fireForm } = get();
    if (selectedId === null) return;
    const params = fireParams(selectedId, fireForm);
    if (typeof params === 'string') return set({ fireError: params, fired: null });
    set({ firing: true, fireError: null, fired: null });
    try {
      const fired = await call('fixtures.fire', params);
      if (get().selectedId === selectedId) set({ fired, firing: false });
    } catch (error) {
      set({ fireError: describeError(error), firing: false });
    }
  },
}));
