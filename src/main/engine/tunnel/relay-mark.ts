/**
 * The relay time (smee's clock) a gap opens at if reading stops now: the earliest among events
 * still being stored, else the latest stored. `set` is told each time it moves.
 */
export function relayMark(set: (at: number) => void) {
  const inFlight = new Map<number, number>();
  let lastStored: number | null = null;
  let next = 0;
  const mark = () => {
    const at = inFlight.size > 0 ? Math.min(...inFlight.values()) : lastStored;
    if (at !== null) set(at);
  };
  return {
    async storing<T>(relayedAt: number | null, store: () => Promise<T>): Promise<T> {
      if (relayedAt === null) return store();
      const id = next++;
      inFlight.set(id, relayedAt);
      mark();
      try {
        return await store();
      } finally {
        inFlight.delete(id);
        lastStored = Math.max(lastStored ?? relayedAt, relayedAt);
        mark();
      }
    },
  };
}
