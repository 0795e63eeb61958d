import { create } from 'zustand';
import type { ParamsOf } from '../../../shared/contract';
import type { ImportResult } from '../../../shared/types';
import { toBase64 } from '../lib/bytes';
import { describeError } from '../lib/errors';
import { call } from './connection-store';
import { cleanFilters, type DeliveryFilters } from './delivery-filters';
import { useDeliveries } from './deliveries-store';
import { useFixtures } from './fixtures-store';
import { useProgress } from './progress-store';

export type ExportFormat = 'har' | 'curl' | 'json';
export type ExportScope = 'open' | 'selected' | 'filtered';

/** The engine takes at most this many ids in one export. */
const MAX_IDS = 100_000;
const ID_PAGE = 10_000;

export const FORMATS: Record<ExportFormat, { label: string; ext: string; mime: string }> = {
  har: { label: 'HAR 1.2', ext: 'har', mime: 'application/json' },
  curl: { label: 'cURL commands', ext: 'sh', mime: 'text/x-shellscript' },
  json: { label: 'Hookbench bundle (JSON lines)', ext: 'hookbench.jsonl', mime: 'application/x-ndjson' },
};

export interface Exported {
  format: ExportFormat;
  count: number;
  bytes: number;
  filename: string;
  /** An object URL for the file; revoked when the next export replaces it. */
  url: string;
  text: string;
}

interface TransferState {
  exportOpen: boolean;
  importOpen: boolean;
  exporting: boolean;
  /** While collecting the ids of a filtered list. */
  collected: { done: number; total: number | null } | null;
  exported: Exported | null;
  exportError: string | null;
  importing: string | null;
  /** Bytes of the file handed to the engine so far. */
  uploaded: { done: number; total: number } | null;
  imported: (ImportResult & { name: string }) | null;
  importError: string | null;
  show(which: 'export' | 'import' | null): void;
  runExport(scope: ExportScope, format: ExportFormat, withFixtures: boolean): Promise<Exported | null>;
  runImport(file: File): Promise<void>;
}

export const importTask = (name: string) => `import ${name}`;

/** Every id the filters match, newest first, paged through the list method. */
async function idsMatching(filters: DeliveryFilters, total: number | null, onPage: (done: number) => void): Promise<number[] | string> {
  const ids: number[] = [];
  let beforeId: number | undefined;
  for (;;) {
    const page = await call('deliveries.list', { ...cleanFilters(filters), ...(beforeId ? { beforeId } : {}), limit: ID_PAGE });
    for (const d of page) ids.push(d.id);
    onPage(ids.length);
    if (ids.length > MAX_IDS) return `More than ${MAX_IDS.toLocaleString()} deliveries match${total ? ` (${total.toLocaleString()})` : ''}: narrow the filters, or clear them to export everything.`;
    if (page.length < ID_PAGE) return ids;
    beforeId = page[page.length - 1]!.id;
  }
}

/** The engine names the file it read from a temporary directory; people know it by their own name. */
export const withoutTempPath = (message: string) => message.replace(/(?:[A-Za-z]:)?[^\s'"]*hookbench-import-[^\s/\\]+[/\\]/g, '');

function stamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
}

export const useTransfer = create<TransferState>((set, get) => ({
  exportOpen: false,
  importOpen: false,
  exporting: false,
  collected: null,
  exported: null,
  exportError: null,
  importing: null,
  uploaded: null,
  imported: null,
  importError: null,
  show: (which) => set({ exportOpen: which === 'export', importOpen: which === 'import', exportError: null, importError: null, ...(which === 'import' ? { imported: null } : {}) }),
  async runExport(scope, format, withFixtures) {
    const deliveries = useDeliveries.getState();
    const params: ParamsOf<'export.run'> = { format, ...(format === 'json' ? { fixtures: withFixtures } : {}) };
    set({ exporting: true, exportError: null, collected: null });
    try {
      if (scope === 'open') {
        if (deliveries.openId === null) throw new Error('Open a delivery first.');
        params.ids = [deliveries.openId];
      } else if (scope === 'selected') {
        params.ids = [...deliveries.selected].sort((a, b) => a - b);
        if (params.ids.length === 0) throw new Error('Select deliveries first: Ctrl-click rows, or press x on one.');
      } else {
        const filters = cleanFilters(deliveries.filters);
        const keys = Object.keys(filters);
        if (keys.length === 1 && filters.packageId) params.packageId = filters.packageId;
        else if (keys.length > 0) {
          set({ collected: { done: 0, total: deliveries.total } });
          const ids = await idsMatching(filters, deliveries.total, (done) => set({ collected: { done, total: get().collected?.total ?? null } }));
          if (typeof ids === 'string') throw new Error(ids);
          if (ids.length === 0) throw new Error('No deliveries match these filters.');
          params.ids = ids.reverse();
        }
      }
      const out = await call('export.run', params);
      const old = get().exported;
      if (old) URL.revokeObjectURL(old.url);
      const blob = new Blob([out.text], { type: FORMATS[format].mime });
      const exported: Exported = {
        format,
        count: out.count,
        bytes: blob.size,
        filename: `hookbench-${stamp()}.${FORMATS[format].ext}`,
        url: URL.createObjectURL(blob),
        text: out.text,
      };
      set({ exported, exporting: false, collected: null });
      return exported;
    } catch (error) {
      set({ exportError: describeError(error), exporting: false, collected: null });
      return null;
    }
  },
  async runImport(file) {
    const name = file.name || 'upload';
    useProgress.getState().clear(importTask(name));
    set({ importing: name, importError: null, imported: null, uploaded: { done: 0, total: file.size } });
    let uploadId: string | null = null;
    try {
      // In pieces, in order: neither side holds the whole file, whatever its size.
      const begun = await call('import.begin', { name, size: file.size });
      uploadId = begun.uploadId;
      for (let offset = 0; offset < file.size; offset += begun.chunkBytes) {
        const piece = new Uint8Array(await file.slice(offset, offset + begun.chunkBytes).arrayBuffer());
        const { received } = await call('import.chunk', { uploadId, offset, contentBase64: toBase64(piece) });
        set({ uploaded: { done: received, total: file.size } });
      }
      const result = await call('import.finish', { uploadId });
      uploadId = null;
      set({ imported: { ...result, name }, importing: null });
      useDeliveries.getState().reload();
      if (result.fixtures > 0) void useFixtures.getState().load();
    } catch (error) {
      if (uploadId) void call('import.cancel', { uploadId }).catch(() => undefined);
      set({ importError: withoutTempPath(describeError(error)), importing: null, uploaded: null });
    }
  },
}));
