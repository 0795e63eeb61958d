// Runs in the page before its own scripts (addInitScript): timing hooks for the UI bench.
export const INIT_SCRIPT = `(() => {
  const hb = (window.__hb = { t0: null, done: null });
  /** The first frame after the current DOM is painted: a task queued from the next animation frame. */
  hb.afterPaint = () =>
    new Promise((resolve) =>
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => resolve(performance.now());
        channel.port2.postMessage(0);
      }),
    );
  hb.firstId = () => {
    const row = document.querySelector('[role="table"][aria-label="Deliveries"] .drow[data-id]');
    return row ? Number(row.getAttribute('data-id')) : null;
  };
  /** Resolves with the paint time once the list's first row is delivery #expected. */
  hb.waitFirst = (expected) =>
    new Promise((resolve) => {
      const check = () => {
        if (hb.firstId() !== expected) return;
        observer.disconnect();
        hb.afterPaint().then(resolve);
      };
      const observer = new MutationObserver(check);
      observer.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-id'] });
      check();
    });
  // When the input happened, as the browser stamped the event.
  addEventListener('keydown', (e) => { if (e.key === 'Enter') hb.t0 = e.timeStamp; }, true);
  addEventListener('change', (e) => { hb.t0 = e.timeStamp; }, true);
  // From navigation start (performance.now()'s origin) to the first rows painted.
  hb.firstRowsDone = new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (hb.firstId() === null) return;
      observer.disconnect();
      hb.afterPaint().then(resolve);
    });
    observer.observe(document, { subtree: true, childList: true });
  });
})();`;
