/** Runs the upstream check now and then every intervalMs; a run never overlaps the previous one. */
export function createMonitor(run: () => Promise<unknown>, intervalMs: number) {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let stopped = true;

  function schedule(delay: number): void {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = null;
      running = run()
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
      schedule(0);
    },
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}
