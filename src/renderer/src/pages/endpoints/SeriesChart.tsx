import type { EndpointSeriesPoint } from '../../../../shared/types';
import { useWidth } from '../../hooks/useWidth';
import { millis } from '../../lib/format';

const H = 150;
const PAD = { left: 34, right: 46, top: 10, bottom: 22 };

interface Props {
  points: EndpointSeriesPoint[];
  since: number;
  bucketMs: number;
  spanMs: number;
}

const label = (ms: number, spanMs: number) =>
  new Date(ms).toLocaleString([], spanMs > 86400_000 ? { month: 'short', day: 'numeric', hour: '2-digit' } : { hour: '2-digit', minute: '2-digit', hour12: false });

function niceMax(n: number): number {
  if (n <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(n));
  const m = n / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

/** Attempts per bucket (succeeded and failed stacked) with p50/p99 latency lines; inline SVG, text as text nodes. */
export function SeriesChart({ points, since, bucketMs, spanMs }: Props) {
  // Drawn at the size it is shown, so text stays at its CSS size.
  const [ref, W] = useWidth<HTMLElement>(640);
  const n = Math.max(1, Math.round(spanMs / bucketMs));
  const byT = new Map(points.map((p) => [p.t, p]));
  const buckets = Array.from({ length: n }, (_, i) => {
    const t = since + i * bucketMs;
    return byT.get(t) ?? { t, attempts: 0, succeeded: 0, p50Ms: null, p99Ms: null };
  });
  const maxCount = niceMax(Math.max(...buckets.map((b) => b.attempts)));
  const maxMs = niceMax(Math.max(0, ...buckets.map((b) => b.p99Ms ?? b.p50Ms ?? 0)));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const bw = plotW / n;
  const x = (i: number) => PAD.left + i * bw;
  const yCount = (v: number) => PAD.top + plotH - (v / maxCount) * plotH;
  const yMs = (v: number) => PAD.top + plotH - (v / maxMs) * plotH;
  // One polyline per run of periods with data: a period without attempts has no latency to join across.
  const lines = (pick: (b: EndpointSeriesPoint) => number | null) => {
    const runs: string[][] = [];
    let run: string[] | null = null;
    buckets.forEach((b, i) => {
      const v = pick(b);
      if (v === null) return void (run = null);
      if (!run) runs.push((run = []));
      run.push(`${x(i) + bw / 2},${yMs(v)}`);
    });
    return runs.filter((r) => r.length > 1).map((r) => r.join(' '));
  };
  // Ticks at 0, half and the top; a half that would read like a neighbour (max 1: "0, 1, 1") is left out.
  const countTicks = [0, 0.5, 1].filter((f) => f !== 0.5 || Number.isInteger(maxCount * f));
  const msTicks = [0, 0.5, 1].filter((f) => f !== 0.5 || (Math.round(maxMs * f) !== 0 && Math.round(maxMs * f) !== maxMs));
  const total = buckets.reduce((s, b) => s + b.attempts, 0);

  return (
    <figure ref={ref} className="chart" aria-label="Success and latency over time">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${total} attempts in the period`}>
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line className="grid-line" x1={PAD.left} x2={W - PAD.right} y1={PAD.top + plotH * (1 - f)} y2={PAD.top + plotH * (1 - f)} />
            {countTicks.includes(f) ? (
              <text className="axis axis-count" x={PAD.left - 4} y={PAD.top + plotH * (1 - f) + 3} textAnchor="end">
                {maxCount * f}
              </text>
            ) : null}
            {msTicks.includes(f) ? (
              <text className="axis axis-ms" x={W - PAD.right + 4} y={PAD.top + plotH * (1 - f) + 3}>
                {f === 0 ? '0' : millis(Math.round(maxMs * f))}
              </text>
            ) : null}
          </g>
        ))}
        {buckets.map((b, i) => {
          if (!b.attempts) return null;
          const failed = b.attempts - b.succeeded;
          const w = Math.max(1, bw - (bw > 4 ? 2 : 0));
          return (
            <g key={b.t}>
              <title>{`${label(b.t, spanMs)}: ${b.succeeded}/${b.attempts} succeeded, p50 ${millis(b.p50Ms)}, p99 ${millis(b.p99Ms)}`}</title>
              <rect className="bar-ok" x={x(i) + 1} width={w} y={yCount(b.succeeded)} height={yCount(0) - yCount(b.succeeded)} />
              <rect className="bar-bad" x={x(i) + 1} width={w} y={yCount(b.attempts)} height={yCount(b.succeeded) - yCount(b.attempts)} data-failed={failed} />
            </g>
          );
        })}
        {lines((b) => b.p99Ms).map((points) => (
          <polyline key={`p99-${points}`} className="line-p99" points={points} />
        ))}
        {lines((b) => b.p50Ms).map((points) => (
          <polyline key={`p50-${points}`} className="line-p50" points={points} />
        ))}
        {buckets.map((b, i) =>
          b.p99Ms !== null ? <line key={`p99${b.t}`} className="tick-p99" x1={x(i) + 1} x2={x(i) + bw - 1} y1={yMs(b.p99Ms)} y2={yMs(b.p99Ms)} /> : null,
        )}
        {buckets.map((b, i) => (b.p50Ms !== null ? <circle key={b.t} className="dot-p50" cx={x(i) + bw / 2} cy={yMs(b.p50Ms)} r={3} /> : null))}
        {[0, Math.floor(n / 2), n].map((i) => (
          <text key={i} className="axis" x={Math.min(x(i), W - PAD.right)} y={H - 6} textAnchor={i === 0 ? 'start' : i === n ? 'end' : 'middle'}>
            {i === n ? 'now' : label(since + i * bucketMs, spanMs)}
          </text>
        ))}
        {total === 0 ? (
          <text className="axis empty-note" x={PAD.left + plotW / 2} y={PAD.top + plotH / 2} textAnchor="middle">
            No attempts in this period
          </text>
        ) : null}
      </svg>
      <figcaption className="legend">
        <span className="key key-ok">succeeded</span>
        <span className="key key-bad">failed</span>
        <span className="key key-p50">p50 latency</span>
        <span className="key key-p99">p99 latency</span>
      </figcaption>
    </figure>
  );
}
