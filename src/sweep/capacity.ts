/**
 * capacity.html: how big a storm each configuration absorbs. For every
 * configuration (a combination of the varied keys other than the storm's),
 * A1 and the end-to-end percentiles against the storm's size, each point the
 * mean of its replications with its 95 % confidence band; and the largest
 * storm for which A1 stays at or above its target, read off the curve by
 * linear interpolation between the last point that passes and the first that
 * does not, from the mean and from each edge of the band. Self-contained:
 * inline CSS and SVG, as report.html (src/metrics/report.ts).
 */
import { esc, ticks } from '../metrics/charts.js';
import { parseDuration } from '../params/duration.js';
import type { SweepPlan } from './file.js';
import { HEADLINE_WORDS, type Summary, type SweepTable } from './table.js';

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf'];

export interface CurvePoint {
  x: number;
  label: string;
  point: string;
  stats: Summary;
}

export interface Absorbed {
  /** 'between': interpolated; 'all': every point passes (at least the largest); 'none': even the smallest fails. */
  kind: 'between' | 'all' | 'none';
  x: number;
  /** The two storm sizes it lies between (kind 'between'). */
  from?: number;
  to?: number;
}

/** The largest storm whose A1 (y) is at or above `target`, walking up from the smallest. */
export function largestAbsorbed(xs: number[], ys: number[], target: number): Absorbed {
  const firstFail = ys.findIndex((y) => !(y >= target));
  if (firstFail === -1) return { kind: 'all', x: xs[xs.length - 1] };
  if (firstFail === 0) return { kind: 'none', x: xs[0] };
  const [x0, y0, x1, y1] = [xs[firstFail - 1], ys[firstFail - 1], xs[firstFail], ys[firstFail]];
  const x = y0 === y1 ? x0 : x0 + ((target - y0) * (x1 - x0)) / (y1 - y0);
  return { kind: 'between', x, from: x0, to: x1 };
}

/** A storm value as a number: numbers as they are, durations in ms. */
function numeric(v: unknown): number | null {
  if (typeof v === 'number') return v;
  try {
    return parseDuration(v);
  } catch {
    return null;
  }
}

const fmt = (v: number | null, digits = 2): string => (v === null ? '–' : v.toLocaleString('en-GB', { maximumFractionDigits: digits }));

export interface Configuration {
  label: string;
  curve: CurvePoint[];
}

export function configurations(plan: SweepPlan, table: SweepTable, column: string): Configuration[] {
  const s = plan.parameters.indexOf(plan.storm);
  const groups = new Map<string, CurvePoint[]>();
  for (const p of plan.points) {
    const others = plan.parameters.map((k, i) => (i === s ? null : `${k} = ${JSON.stringify(p.values[i])}`)).filter((x) => x !== null);
    const label = others.length ? others.join(', ') : 'every point';
    const x = numeric(p.values[s]) ?? p.index;
    const stats = table.points[p.index].stats.get(column)!;
    if (!groups.has(label)) groups.set(label, []);
    groups.get(label)!.push({ x, label: JSON.stringify(p.values[s]), point: p.id, stats });
  }
  return [...groups].map(([label, curve]) => ({ label, curve: curve.sort((a, b) => a.x - b.x) }));
}

const W = 760;
const H = 300;
const PAD = { left: 64, right: 16, top: 28, bottom: 64 };

/** Lines of means over a numeric x, each with its confidence band; an optional dashed target line. */
export function bandChart(title: string, xLabel: string, yLabel: string, configs: Configuration[], opts: { target?: number; max?: number } = {}): string {
  const { target, max } = opts;
  // A band is drawn within what the figure can be (a percentage stops at 100); the table keeps the interval as computed.
  const clip = (v: number | null): number | null => (v === null ? null : Math.max(0, max === undefined ? v : Math.min(max, v)));
  configs = configs.map((c) => ({ ...c, curve: c.curve.map((p) => ({ ...p, stats: { ...p.stats, ciLow: clip(p.stats.ciLow), ciHigh: clip(p.stats.ciHigh) } })) }));
  const all = configs.flatMap((c) => c.curve.flatMap((p) => [p.stats.mean, p.stats.ciLow, p.stats.ciHigh])).filter((v): v is number => v !== null);
  if (target !== undefined) all.push(target);
  const xsAll = configs.flatMap((c) => c.curve.map((p) => p.x));
  let [lo, hi] = [Math.min(...all, 0), Math.max(...all, 1)];
  const yt = ticks(lo, hi);
  [lo, hi] = [Math.min(lo, yt[0]), Math.max(hi, yt[yt.length - 1])];
  let [xlo, xhi] = [Math.min(...xsAll), Math.max(...xsAll)];
  if (!(xhi > xlo)) [xlo, xhi] = [xlo - 1, xhi + 1];
  const xt = ticks(xlo, xhi).filter((t) => t >= xlo - 1e-9 && t <= xhi + 1e-9);
  const x = (v: number) => PAD.left + ((W - PAD.left - PAD.right) * (v - xlo)) / (xhi - xlo);
  const y = (v: number) => PAD.top + (H - PAD.top - PAD.bottom) * (1 - (v - lo) / (hi - lo));
  const parts: string[] = [`<text x="${PAD.left}" y="18" font-size="13" font-weight="bold">${esc(title)}</text>`];
  for (const t of yt) {
    parts.push(`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#ddd"/>`);
    parts.push(`<text x="${PAD.left - 6}" y="${(y(t) + 4).toFixed(1)}" font-size="10" text-anchor="end">${t.toLocaleString('en-GB')}</text>`);
  }
  for (const t of xt) parts.push(`<text x="${x(t).toFixed(1)}" y="${H - PAD.bottom + 14}" font-size="10" text-anchor="middle">${t.toLocaleString('en-GB')}</text>`);
  parts.push(`<text x="${(PAD.left + W - PAD.right) / 2}" y="${H - PAD.bottom + 30}" font-size="11" text-anchor="middle">${esc(xLabel)}</text>`);
  const my = PAD.top + (H - PAD.top - PAD.bottom) / 2;
  parts.push(`<text x="12" y="${my}" font-size="10" transform="rotate(-90 12 ${my})" text-anchor="middle">${esc(yLabel)}</text>`);
  if (target !== undefined) {
    parts.push(`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(target).toFixed(1)}" y2="${y(target).toFixed(1)}" stroke="#333" stroke-dasharray="6 4"><title>target ${target}</title></line>`);
  }
  configs.forEach((c, i) => {
    const color = COLORS[i % COLORS.length];
    const pts = c.curve.filter((p) => p.stats.mean !== null);
    const banded = pts.filter((p) => p.stats.ciLow !== null);
    if (banded.length > 1) {
      const upper = banded.map((p) => `${x(p.x).toFixed(1)},${y(p.stats.ciHigh!).toFixed(1)}`);
      const lower = banded.map((p) => `${x(p.x).toFixed(1)},${y(p.stats.ciLow!).toFixed(1)}`).reverse();
      parts.push(`<polygon points="${[...upper, ...lower].join(' ')}" fill="${color}" fill-opacity="0.15" stroke="none"/>`);
    }
    for (const p of banded) parts.push(`<line x1="${x(p.x).toFixed(1)}" x2="${x(p.x).toFixed(1)}" y1="${y(p.stats.ciLow!).toFixed(1)}" y2="${y(p.stats.ciHigh!).toFixed(1)}" stroke="${color}" stroke-opacity="0.6"/>`);
    if (pts.length > 1) parts.push(`<path d="${pts.map((p, j) => `${j ? 'L' : 'M'}${x(p.x).toFixed(1)},${y(p.stats.mean!).toFixed(1)}`).join('')}" fill="none" stroke="${color}" stroke-width="2"/>`);
    for (const p of pts) {
      const tip = `${c.label}; ${xLabel} ${p.label}: mean ${fmt(p.stats.mean)}${p.stats.ciLow !== null ? ` (95 % CI ${fmt(p.stats.ciLow)} to ${fmt(p.stats.ciHigh)})` : ''}, n = ${p.stats.n}`;
      parts.push(`<circle cx="${x(p.x).toFixed(1)}" cy="${y(p.stats.mean!).toFixed(1)}" r="3" fill="${color}"><title>${esc(tip)}</title></circle>`);
    }
    const lx = PAD.left + (i % 3) * 230;
    const ly = H - 22 + Math.floor(i / 3) * 14;
    parts.push(`<line x1="${lx}" x2="${lx + 18}" y1="${ly - 4}" y2="${ly - 4}" stroke="${color}" stroke-width="3"/><text x="${lx + 24}" y="${ly}" font-size="10">${esc(c.label.replace(/[\w.[\]]*\.(\w+) =/g, '$1 =').slice(0, 44))}</text>`);
  });
  const h = H + Math.max(0, Math.ceil(configs.length / 3) - 1) * 14;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${h}" width="${W}" height="${h}" role="img" aria-label="${esc(title)}">${parts.join('')}</svg>`;
}

function describe(a: Absorbed, storm: string): string {
  if (a.kind === 'all') return `every point passes: at least ${fmt(a.x, 4)}, the largest tried (try larger ${storm})`;
  if (a.kind === 'none') return `no point passes: below ${fmt(a.x, 4)}, the smallest tried (try smaller ${storm})`;
  return `${fmt(a.x, 4)} (interpolated between ${fmt(a.from!, 4)}, which passes, and ${fmt(a.to!, 4)}, which does not)`;
}

/** One row per configuration: the largest storm absorbed from the mean and from each edge of the band. */
export function absorbedRows(plan: SweepPlan, table: SweepTable): Array<{ label: string; mean: Absorbed; sure: Absorbed; optimistic: Absorbed }> {
  return configurations(plan, table, 'a1.pct').map((c) => {
    const pts = c.curve.filter((p) => p.stats.mean !== null);
    const xs = pts.map((p) => p.x);
    const t = plan.a1TargetPct;
    return {
      label: c.label,
      mean: largestAbsorbed(xs, pts.map((p) => p.stats.mean!), t),
      sure: largestAbsorbed(xs, pts.map((p) => p.stats.ciLow ?? p.stats.mean!), t),
      optimistic: largestAbsorbed(xs, pts.map((p) => p.stats.ciHigh ?? p.stats.mean!), t),
    };
  });
}

export function renderCapacity(plan: SweepPlan, table: SweepTable): string {
  const failed = table.records.filter((r) => r.status === 'failed');
  const body: string[] = [
    `<h1>Capacity: ${esc(plan.name)}</h1>`,
    `<p>Base scenario <code>${esc(plan.base)}</code>; ${plan.points.length} points × ${plan.replications} replication${plan.replications === 1 ? '' : 's'} (seeds derived from sweep seed ${plan.seed}); ` +
      `varied: ${plan.parameters.map((k) => `<code>${esc(k)}</code>`).join(', ')}. The storm is <code>${esc(plan.storm)}</code>. ` +
      `A1: % of alerts delivered within ${fmt(plan.slaMs / 1000, 3)} s (feeds, all regions); a configuration absorbs a storm while A1 stays at or above ${fmt(plan.a1TargetPct)} %. ` +
      `Each point is the mean of its replications; bands and bars are 95 % confidence intervals (Student t).</p>`,
  ];
  if (failed.length) body.push(`<p class="warn">${failed.length} run(s) failed twice and are left out of the means: ${failed.map((r) => `${esc(r.id)} (${esc(r.error ?? '')})`).join('; ')}.</p>`);
  body.push('<h2>The largest storm absorbed</h2>');
  body.push('<table><thead><tr><th>configuration</th><th>from the mean</th><th>with 95 % confidence (lower edge of the band)</th><th>optimistic (upper edge)</th></tr></thead><tbody>');
  for (const r of absorbedRows(plan, table)) {
    body.push(`<tr><td>${esc(r.label)}</td><td>${esc(describe(r.mean, plan.storm))}</td><td>${esc(describe(r.sure, plan.storm))}</td><td>${esc(describe(r.optimistic, plan.storm))}</td></tr>`);
  }
  body.push('</tbody></table>');
  body.push(`<h2>A1 against ${esc(plan.storm)}</h2>`);
  body.push(`<figure>${bandChart(`A1: % within ${fmt(plan.slaMs / 1000, 3)} s, target ${fmt(plan.a1TargetPct)} % (dashed)`, plan.storm, '% within target', configurations(plan, table, 'a1.pct'), { target: plan.a1TargetPct, max: 100 })}</figure>`);
  body.push(`<h2>End to end against ${esc(plan.storm)}</h2>`);
  for (const c of ['e2e.medianMs', 'e2e.p95Ms', 'e2e.p99Ms'] as const) {
    body.push(`<figure>${bandChart(`${HEADLINE_WORDS[c]}, the storm's day`, plan.storm, 'ms', configurations(plan, table, c))}</figure>`);
  }
  body.push('<h2>Every point</h2>');
  const cols = ['a1.pct', 'a1.pctTruth', 'a1.throttled', 'e2e.medianMs', 'e2e.p95Ms', 'e2e.p99Ms'] as const;
  body.push(`<table><thead><tr><th>point</th>${plan.parameters.map((k) => `<th>${esc(k)}</th>`).join('')}<th>runs</th>${cols.map((c) => `<th>${esc(HEADLINE_WORDS[c])}: mean [95 % CI]</th>`).join('')}</tr></thead><tbody>`);
  for (const p of plan.points) {
    const pt = table.points[p.index];
    const cell = (c: string) => {
      const s = pt.stats.get(c)!;
      return s.mean === null ? '–' : `${fmt(s.mean)}${s.ciLow !== null ? ` [${fmt(s.ciLow)}, ${fmt(s.ciHigh)}]` : ''}`;
    };
    const runs = `${pt.stats.get('a1.pct')!.n}${pt.failed ? ` (${pt.failed} failed)` : ''}`;
    body.push(`<tr><td>${p.id}</td>${p.values.map((v) => `<td>${esc(JSON.stringify(v))}</td>`).join('')}<td>${runs}</td>${cols.map((c) => `<td>${cell(c)}</td>`).join('')}</tr>`);
  }
  body.push('</tbody></table>');
  const css =
    'body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1200px}table{border-collapse:collapse;margin:8px 0 20px;font-size:13px}' +
    'th,td{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f0f0f0}td:first-child,th:first-child{text-align:left}' +
    'h2{border-bottom:2px solid #1f77b4;padding-bottom:4px;margin-top:32px}figure{margin:8px 0}p{max-width:900px}.warn{color:#a00}';
  return `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Capacity: ${esc(plan.name)}</title><style>${css}</style></head><body>\n${body.join('\n')}\n</body></html>\n`;
}
