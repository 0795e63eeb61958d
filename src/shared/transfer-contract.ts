import { z } from 'zod';
import { id, method } from './contract-method';
import type { ImportResult } from './types';

/** Export and import (a file of any size arrives in chunks); part of the engine API in contract.ts. */
export const transferMethods = {
  'export.run': method<{ format: 'har' | 'curl' | 'json'; text: string; count: number }>()(
    z.object({ format: z.enum(['har', 'curl', 'json']), ids: z.array(z.number().int().positive()).max(100_000).optional(), packageId: id.optional(), fixtures: z.boolean().optional() }),
  ),
  'import.upload': method<ImportResult>()(z.object({ name: z.string().min(1).max(300), contentBase64: z.string().max(700_000_000) })),
  'import.begin': method<{ uploadId: string; chunkBytes: number }>()(z.object({ name: z.string().min(1).max(300), size: z.number().int().min(0) })),
  'import.chunk': method<{ received: number }>()(z.object({ uploadId: z.string().min(1).max(100), offset: z.number().int().min(0), contentBase64: z.string().max(8_000_000) })),
  'import.finish': method<ImportResult>()(z.object({ uploadId: z.string().min(1).max(100) })),
  'import.cancel': method<{ cancelled: boolean }>()(z.object({ uploadId: z.string().min(1).max(100) })),
} as const;
