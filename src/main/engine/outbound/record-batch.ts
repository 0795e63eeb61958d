interface Queued<J> {
  job: J;
  done: () => void;
  failed: (error: unknown) => void;
}

/**
 * Jobs finishing together share one write, begun on a later turn of the event loop; jobs that
 * finish while a write is under way make the next one. Each job's promise settles with the
 * write it was part of. Works the same for a store that writes synchronously (SQLite) and one
 * that waits on the network (PostgreSQL), where the batches grow with the round trip.
 */
export function createBatchedWrite<J, R>(write: (jobs: J[]) => Promise<R>, after: (result: R) => void) {
  let queued: Queued<J>[] = [];
  let scheduled = false;
  let writing = false;

  function schedule(): void {
    if (scheduled || writing) return;
    scheduled = true;
    setImmediate(() => void run());
  }

  async function run(): Promise<void> {
    scheduled = false;
    writing = true;
    const batch = queued;
    queued = [];
    let result: R;
    try {
      result = await write(batch.map((q) => q.job));
    } catch (error) {
      for (const q of batch) q.failed(error);
      return;
    } finally {
      writing = false;
      if (queued.length > 0) schedule();
    }
    for (const q of batch) q.done();
    try {
      after(result);
    } catch (error) {
      // Committed already; what follows (events, the next claims) must not take the process down.
      console.error('hookbench: after a commit:', (error as Error).message);
    }
  }

  return (job: J): Promise<void> =>
    new Promise((done, failed) => {
      queued.push({ job, done, failed });
      schedule();
    });
}
