// UI bench (not a test): the Deliveries page over 100,000 stored deliveries, in Chromium.
//
//   npx electron-vite build && node bench/ui.js
//
// 1. Writes a Hookbench bundle of N deliveries and imports it with `hookbench import` into a
//    fresh data dir (ids 1..N in file order).
// 2. Starts `hookbench serve` on it and drives Chromium (playwright-core) at the UI.
// 3. First list paint: a fresh browser context per repetition (cold cache), from navigation
//    start to the first frame painted after the first delivery rows are in the DOM.
// 4. Filter change: from the input event (Enter in the Event filter, or a change of the Time
//    range select) to the first frame painted after the list shows the rows that match —
//    checked by the id of the newest matching delivery, known from the generated data.
// 5. Deep jump: the list scrolled at once to a point deep down (50–99 % of its height), from the
//    scroll to the first frame painted with real rows (no placeholders) there.
// 6. Search clear: a text search applied, then cleared (Enter on an empty box), from the input
//    event to the first frame painted with the newest delivery back on top.
// 7. Count settled: from the first rows painted to the list header showing the engine's count (no
//    "counting…", no estimate), as the page saw it; 0 when the count came with the rows.
// Prints median and p90 against the 200 ms target and writes bench/results/ui-<timestamp>.json.
//
//   UI_BENCH_N=1000000 node bench/ui.js     # the million-row run
//
// Environment: UI_BENCH_DATA_DIR (a data dir to reuse: an empty or missing one is filled straight into SQLite
// and reused by later runs with the same N; one imported without that stamp only within the hour), UI_BENCH_N (100000), UI_BENCH_REPS (10), HOOKBENCH_CHROMIUM (/usr/bin/chromium).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { onExit, run, startServer } from './procs.js';
import { median, percentile, round } from './stats.js';
import { INIT_SCRIPT } from './ui-page.js';
import { makeDeliveries, writeBundle, writeDatabase } from './ui-data.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin/hookbench.js');
const N = Number(process.env.UI_BENCH_N ?? 100_000);
const REPS = Number(process.env.UI_BENCH_REPS ?? 10);
const TARGET_MS = 200;
const CHROMIUM = process.env.HOOKBENCH_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const VIEWPORT = { width: 1280, height: 800 };

const out = (s = '') => process.stdout.write(s + '\n');
const ms = (x) => (x === null ? '-' : `${x.toFixed(1)} ms`);

function summarize(values) {
  return { n: values.length, median: round(median(values), 1), p90: round(percentile(values, 90), 1), min: round(Math.min(...values), 1), max: round(Math.max(...values), 1) };
}

async function prepare(dataDir) {
  const data = makeDeliveries(N, Date.now());
  const file = join(dataDir, '..', 'ui-bench.hookbench.jsonl');
  const t = performance.now();
  await writeBundle(createWriteStream(file), data.records);
  const written = performance.now() - t;
  const t2 = performance.now();
  await run([BIN, 'import', file, '--data-dir', dataDir]);
  const imported = performance.now() - t2;
  const bytes = statSync(file).size;
  rmSync(file, { force: true });
  return { data, bytes, writtenMs: written, importMs: imported };
}

async function reuseDataDir(dir) {
  const stamp = join(dir, 'ui-bench.json');
  if (existsSync(stamp)) {
    const { n, now } = JSON.parse(readFileSync(stamp, 'utf8'));
    if (n !== N) throw new Error(`${dir} holds ${n} deliveries; UI_BENCH_N is ${N}.`);
    return { data: makeDeliveries(N, now), bytes: 0, writtenMs: 0, importMs: 0 };
  }
  if (existsSync(join(dir, 'hookbench.sqlite'))) return { data: makeDeliveries(N, Date.now()), bytes: 0, writtenMs: 0, importMs: 0 };
  mkdirSync(dir, { recursive: true });
  const now = Date.now();
  const data = makeDeliveries(N, now);
  const t = performance.now();
  await writeDatabase(dir, data.records);
  writeFileSync(stamp, JSON.stringify({ n: N, now }) + '\n');
  return { data, bytes: 0, writtenMs: performance.now() - t, importMs: 0 };
}

/**
 * Waits until the app is running (its live channel connected: the prerendered first screen is
 * markup only, and the app starts after it is painted) and the count in the list header is
 * settled (no count or page still loading).
 */
async function settled(page) {
  await page.waitForFunction(() => {
    const t = document.querySelector('[data-testid="delivery-count"]')?.textContent ?? '';
    return document.querySelector('.live.live-live') !== null && t !== '' && !t.includes('counting') && !t.includes('loading');
  });
}

async function firstPaint(browser, ui, expectedFirst) {
  const context = await browser.newContext({ viewport: VIEWPORT });
  await context.addInitScript(INIT_SCRIPT);
  const page = await context.newPage();
  await page.goto(`${ui}#deliveries`);
  const t = await page.evaluate(() => window.__hb.firstRowsDone);
  const first = await page.evaluate(() => window.__hb.firstId());
  if (first !== expectedFirst) throw new Error(`first row is #${first}, expected #${expectedFirst}`);
  const counted = await page.evaluate(() => window.__hb.countDone);
  const nav = await page.evaluate(() => {
    const n = performance.getEntriesByType('navigation')[0];
    return { responseEnd: n.responseEnd, domContentLoaded: n.domContentLoadedEventEnd };
  });
  await context.close();
  return { ms: t, counted, ...nav };
}

/** The same, reloading in one context: the HTTP cache and V8's code cache are warm, as for a returning user. */
async function warmPaints(browser, ui, expectedFirst) {
  const context = await browser.newContext({ viewport: VIEWPORT });
  await context.addInitScript(INIT_SCRIPT);
  const page = await context.newPage();
  await page.goto(`${ui}#deliveries`);
  await page.evaluate(() => window.__hb.firstRowsDone);
  const times = [];
  for (let i = 0; i < REPS; i++) {
    // Reloaded from a running window, as a returning user would: not while the last load's app is still starting.
    await settled(page);
    await page.reload();
    times.push(await page.evaluate(() => window.__hb.firstRowsDone));
    const first = await page.evaluate(() => window.__hb.firstId());
    if (first !== expectedFirst) throw new Error(`first row is #${first}, expected #${expectedFirst}`);
  }
  await context.close();
  return times;
}

const STEPS = [
  { kind: 'event', label: 'Event = release (Enter)', apply: (p) => typeEvent(p, 'release'), expect: (d) => d.newest.event.release },
  { kind: 'event', label: 'Event cleared (Enter)', apply: (p) => typeEvent(p, ''), expect: (d) => d.newest.all },
  { kind: 'time', label: 'Time range = Last 24 h', apply: (p) => p.getByLabel('Time range').selectOption('24h'), expect: (d) => d.newest.last24h },
  { kind: 'time', label: 'Time range = Any time', apply: (p) => p.getByLabel('Time range').selectOption('any'), expect: (d) => d.newest.all },
  { kind: 'event', label: 'Event = issues (Enter)', apply: (p) => typeEvent(p, 'issues'), expect: (d) => d.newest.event.issues },
  { kind: 'event', label: 'Event cleared (Enter)', apply: (p) => typeEvent(p, ''), expect: (d) => d.newest.all },
];

async function typeEvent(page, value) {
  const input = page.getByLabel('Event', { exact: true });
  await input.fill(value);
  await input.press('Enter');
}

async function filterChanges(browser, ui, data) {
  const context = await browser.newContext({ viewport: VIEWPORT });
  await context.addInitScript(INIT_SCRIPT);
  const page = await context.newPage();
  await page.goto(`${ui}#deliveries`);
  await page.evaluate(() => window.__hb.firstRowsDone);
  await settled(page);
  const samples = [];
  for (let rep = 0; rep < REPS + 1; rep++) {
    for (const step of STEPS) {
      const expected = step.expect(data);
      await page.evaluate((id) => {
        window.__hb.t0 = null;
        window.__hb.done = window.__hb.waitFirst(id);
      }, expected);
      await step.apply(page);
      const { t0, t1 } = await page.evaluate(async () => ({ t1: await window.__hb.done, t0: window.__hb.t0 }));
      if (t0 === null) throw new Error(`${step.label}: the input event was not seen`);
      // The first round warms the engine's and the browser's caches; it is not counted.
      if (rep > 0) samples.push({ kind: step.kind, label: step.label, ms: t1 - t0 });
      await settled(page);
    }
  }
  await context.close();
  return samples;
}

async function settledPage(browser, ui) {
  const context = await browser.newContext({ viewport: VIEWPORT });
  await context.addInitScript(INIT_SCRIPT);
  const page = await context.newPage();
  await page.goto(`${ui}#deliveries`);
  await page.evaluate(() => window.__hb.firstRowsDone);
  await settled(page);
  return { context, page };
}

const DEPTHS = [0.5, 0.97, 0.73, 0.99, 0.61, 0.88, 0.55, 0.92, 0.79, 0.66, 0.95, 0.7];

/** Scrolls to a point deep in the list, then waits for real rows there; back to the top between jumps. */
async function deepJumps(browser, ui, data) {
  const { context, page } = await settledPage(browser, ui);
  const samples = [];
  for (let rep = 0; rep < REPS + 1; rep++) {
    const fraction = DEPTHS[rep % DEPTHS.length];
    const index = await page.evaluate((f) => window.__hb.jump(f), fraction);
    const t1 = await page.evaluate((from) => window.__hb.waitFilled(from), index + 2);
    const t0 = await page.evaluate(() => window.__hb.t0);
    if (rep > 0) samples.push({ label: `jump to ${Math.round(fraction * 100)} %`, row: index, ms: t1 - t0 });
    await page.evaluate((id) => {
      window.__hb.done = window.__hb.waitFirst(id);
      document.querySelector('[role="table"][aria-label="Deliveries"]').scrollTop = 0;
    }, data.newest.all);
    await page.evaluate(() => window.__hb.done);
  }
  await context.close();
  return samples;
}

/** A text search, then the box cleared with Enter: timed from that Enter to the full list painted again. */
async function searchClears(browser, ui, data) {
  const { context, page } = await settledPage(browser, ui);
  const box = page.getByLabel('Search deliveries');
  const samples = [];
  for (let rep = 0; rep < REPS + 1; rep++) {
    await box.fill(`Change number ${N - 7 - rep}`);
    await box.press('Enter');
    await page.waitForFunction((id) => window.__hb.firstId() !== null && window.__hb.firstId() !== id, data.newest.all);
    await settled(page);
    await page.evaluate((id) => {
      window.__hb.t0 = null;
      window.__hb.done = window.__hb.waitFirst(id);
    }, data.newest.all);
    await box.fill('');
    await box.press('Enter');
    const { t0, t1 } = await page.evaluate(async () => ({ t1: await window.__hb.done, t0: window.__hb.t0 }));
    if (rep > 0) samples.push({ label: 'search cleared (Enter)', ms: t1 - t0 });
    await settled(page);
  }
  await context.close();
  return samples;
}

async function main() {
  if (!existsSync(join(ROOT, 'out/renderer/index.html'))) throw new Error('Build the renderer first: npx electron-vite build');
  const work = mkdtempSync(join(tmpdir(), 'hookbench-ui-bench-'));
  onExit(() => rmSync(work, { recursive: true, force: true }));
  const dataDir = join(work, 'data');
  mkdirSync(dataDir);

  out(`UI bench — ${N.toLocaleString('en-US')} stored deliveries, ${REPS} repetitions, Chromium ${CHROMIUM}, viewport ${VIEWPORT.width}×${VIEWPORT.height}`);
  // A data dir of an earlier run (a million rows take a long while to import) can be reused; an
  // empty or missing one is filled straight into its SQLite file, and remembers when, so the
  // filters' expected rows still hold when it is reused later.
  const reuse = process.env.UI_BENCH_DATA_DIR;
  const prep = reuse ? await reuseDataDir(reuse) : await prepare(dataDir);
  out(`data: bundle ${(prep.bytes / 1048576).toFixed(1)} MiB written in ${(prep.writtenMs / 1000).toFixed(1)} s, imported in ${(prep.importMs / 1000).toFixed(1)} s`);

  const serve = await startServer([BIN, 'serve', '--data-dir', reuse ?? dataDir, '--port', '0', '--receiver-port', '0', '--json'], { timeoutMs: 60_000 });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  try {
    const ui = serve.info.ui;
    // Warm-up navigation (not counted): the server's first queries, the browser's first start.
    await firstPaint(browser, ui, prep.data.newest.all);
    const paints = [];
    for (let i = 0; i < REPS; i++) paints.push(await firstPaint(browser, ui, prep.data.newest.all));
    const warm = summarize(await warmPaints(browser, ui, prep.data.newest.all));
    const changes = await filterChanges(browser, ui, prep.data);
    const jumps = await deepJumps(browser, ui, prep.data);
    const clears = await searchClears(browser, ui, prep.data);
    const jump = summarize(jumps.map((j) => j.ms));
    const clear = summarize(clears.map((c) => c.ms));
    // A count shown with the first rows counts as no wait.
    const counted = summarize(paints.map((p) => Math.max(0, p.counted - p.ms)));

    const paint = summarize(paints.map((p) => p.ms));
    const change = summarize(changes.map((c) => c.ms));
    const byKind = Object.fromEntries(['event', 'time'].map((k) => [k, summarize(changes.filter((c) => c.kind === k).map((c) => c.ms))]));
    const html = summarize(paints.map((p) => p.responseEnd));
    const dcl = summarize(paints.map((p) => p.domContentLoaded));

    out();
    out(`first list paint (navigation → first rows painted), cold cache, n=${paint.n}: median ${ms(paint.median)}, p90 ${ms(paint.p90)} (min ${ms(paint.min)}, max ${ms(paint.max)})`);
    out(`  of which: HTML received at median ${ms(html.median)}, DOMContentLoaded at median ${ms(dcl.median)}`);
    out(`first list paint, reload with a warm cache, n=${warm.n}: median ${ms(warm.median)}, p90 ${ms(warm.p90)} (min ${ms(warm.min)}, max ${ms(warm.max)})`);
    out(`filter change (input → matching rows painted), n=${change.n}: median ${ms(change.median)}, p90 ${ms(change.p90)} (min ${ms(change.min)}, max ${ms(change.max)})`);
    out(`  event filter (Enter): median ${ms(byKind.event.median)}, p90 ${ms(byKind.event.p90)} · time range: median ${ms(byKind.time.median)}, p90 ${ms(byKind.time.p90)}`);
    out(`deep jump (scroll → real rows painted there), n=${jump.n}: median ${ms(jump.median)}, p90 ${ms(jump.p90)} (min ${ms(jump.min)}, max ${ms(jump.max)})`);
    out(`search clear (Enter on an empty box → full list painted), n=${clear.n}: median ${ms(clear.median)}, p90 ${ms(clear.p90)} (min ${ms(clear.min)}, max ${ms(clear.max)})`);
    out(`count settled after the first rows, n=${counted.n}: median ${ms(counted.median)}, p90 ${ms(counted.p90)} (max ${ms(counted.max)})`);
    const met = (s) => (s.p90 !== null && s.p90 < TARGET_MS ? 'met' : 'NOT met');
    out(
      `target < ${TARGET_MS} ms (at p90): first paint cold ${met(paint)}, warm ${met(warm)}; filter change ${met(change)}; deep jump ${met(jump)}; search clear ${met(clear)}; count ${met(counted)}`,
    );

    mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
    const file = join(ROOT, 'bench/results', `ui-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(
      file,
      JSON.stringify(
        {
          bench: 'ui',
          at: new Date().toISOString(),
          settings: { deliveries: N, repetitions: REPS, chromium: CHROMIUM, viewport: VIEWPORT, targetMs: TARGET_MS },
          data: { bundleBytes: prep.bytes, importMs: round(prep.importMs, 0) },
          firstPaint: { ...paint, met: met(paint) === 'met', htmlResponseEnd: html, domContentLoaded: dcl, samples: paints.map((p) => round(p.ms, 1)) },
          firstPaintWarm: { ...warm, met: met(warm) === 'met' },
          filterChange: { ...change, met: met(change) === 'met', byKind, samples: changes.map((c) => ({ label: c.label, ms: round(c.ms, 1) })) },
          deepJump: { ...jump, met: met(jump) === 'met', samples: jumps.map((j) => ({ label: j.label, row: j.row, ms: round(j.ms, 1) })) },
          searchClear: { ...clear, met: met(clear) === 'met', samples: clears.map((c) => round(c.ms, 1)) },
          countSettledAfterRows: { ...counted, met: met(counted) === 'met' },
        },
        null,
        2,
      ) + '\n',
    );
    out(`results: ${file}`);
  } finally {
    await browser.close();
    await serve.stop();
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
