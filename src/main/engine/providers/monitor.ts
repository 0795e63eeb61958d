/**
 * Runs the upstream check now and then every intervalMs; a run never overlaps the previous one.
 * Stopping signals the run under way, which ends after the package it is checking.
 */
export function createMonitor(run: (stopping: AbortSignal) => Promise<unknown>, intervalMs: number) {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let stopping = new AbortController();
  let stopped = true;

  function schedule(delay: number): void {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = null;
      running = run(stopping.signal)
        .then(
          () => undefined,
          () => undefined, // Each package's failure is already in its result; a crash here must not stop the next run.
        )
        .finally(() => {
          running = null;
          schedule(intervalMs);
        });
    }, delay);
    timer.unref();
  }

  return {
    start(): void {
      if (!stopped || intervalMs <= 0) return;
      stopped = false;
      stopping = new AbortController();
      schedule(0);
    },
    async stop(): Promise<void> {
      stopped = true;
      stopping.abort();
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}
