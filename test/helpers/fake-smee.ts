import { onTestFinished } from 'vitest';
import { startSmeeServer, type FakeSmeeOptions } from './smee-protocol';

export type { FakeSmee, FakeSmeeOptions, PostAnswer } from './smee-protocol';

/** A smee-protocol server for one test, closed when the test ends. */
export async function startFakeSmee(options: FakeSmeeOptions = {}) {
  const fake = await startSmeeServer(options);
  onTestFinished(() => fake.close());
  return fake;
}
