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
  /** Resolves with the paint time once the rows in the DOM are real rows (no placeholders) at or past row index \`from\`. */
  hb.waitFilled = (from) =>
    new Promise((resolve) => {
      const check = () => {
        const list = document.querySelector('[role="table"][aria-label="Deliveries"] .vlist-rows');
        if (!list || list.querySelector('.placeholder')) return;
        const rows = list.querySelectorAll('.drow[data-id]');
        const last = rows[rows.length - 1];
        if (!last || Number(last.getAttribute('aria-rowindex')) < from) return;
        observer.disconnect();
        hb.afterPaint().then(resolve);
      };
      const observer = new MutationObserver(check);
      observer.observe(document, { subtree: true, childList: true, attributes: true });
      check();
    });
  /** Jumps the list to a fraction of its height, stamping when. */
  hb.jump = (fraction) => {
    const el = document.querySelector('[role="table"][aria-label="Deliveries"]');
    hb.t0 = performance.now();
    el.scrollTop = Math.floor((el.scrollHeight - el.clientHeight) * fraction);
    return Math.floor(el.scrollTop / 28);
  };
  // When the input happened, as the browser stamped the event.
  addEventListener('keydown', (e) => { if (e.key === 'Enter') hb.t0 = e.timeStamp; }, true);
  addEventListener('change', (e) => { hb.t0 = e.timeStamp; }, true);
  // When the list header first showed the engine's count (not "counting…" nor an estimate, nothing
  // loading), watched in the page so the figure does not include the bench's own round trips to ask.
  hb.countDone = new Promise((resolve) => {
    const check = () => {
      const t = document.querySelector('[data-testid="delivery-count"]')?.textContent ?? '';
      if (t === '' || t.includes('counting') || t.includes('loading') || t.startsWith('about')) return;
      observer.disconnect();
      resolve(performance.now());
    };
    const observer = new MutationObserver(check);
    observer.observe(document, { subtree: true, childList: true, characterData: true });
  });
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
