/**
 * A reload that events can ask for many times a second (a catch-up publishing a release per
 * tag): calls made while one runs become a single run after it, which sees all of them.
 */
export function coalesce(run: () => Promise<void>): () => Promise<void> {
  let current: Promise<void> | null = null;
  let again = false;
  return () => {
    if (current) {
      again = true;
      return current;
    }
    current = (async () => {
      do {
        again = false;
        await run();
      } while (again);
    })().finally(() => {
      current = null;
    });
    return current;
  };
}
