import { z } from 'zod';

/** One method of the engine API: its params schema, and the result type it answers with. */
export const method =
  <R>() =>
  <P extends z.ZodType>(params: P) => ({ params, result: undefined as unknown as R });

export const id = z.string().min(1).max(200);
export const limit = z.number().int().min(1).max(10_000).default(100);
