/**
 * Small inline SVG charts for report.html: a line chart and a bar chart, no
 * script and no network at view time.
 */

export interface Series {
  name: string;
  values: (number | null)[];
  color: string;
  dashed?: boolean;
}

const W = 720;
const H = 260;
const PAD = { left: 64, right: 16, top: 28, bottom: 52 };

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** About five round steps covering [lo, hi]. */
export function ticks(lo: number, hi: number): number[] {
  if (!(hi > lo)) hi = lo + 1;
  const raw = (hi - lo) / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.floor(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.round(v * 1e6) / 1e6);
  return out;
}

function frame(title: string, yLabel: string, labels: string[], yTicks: number[], y: (v: number) => number, x: (i: number) => number): string {
  const parts: string[] = [];
  parts.push(`<text x="${PAD.left}" y="18" font-size="13" font-weight="bold">${esc(title)}</text>`);
  for (const t of yTicks) {
    parts.push(`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#ddd"/>`);
    parts.push(`<text x="${PAD.left - 6}" y="${(y(t) + 4).toFixed(1)}" font-size="10" text-anchor="end">${t.toLocaleString('en-GB')}</text>`);
  }
  parts.push(`<text x="12" y="${PAD.top + (H - PAD.top - PAD.bottom) / 2}" font-size="10" transform="rotate(-90 12 ${PAD.top + (H - PAD.top - PAD.bottom) / 2})" text-anchor="middle">${esc(yLabel)}</text>`);
  const every = Math.max(1, Math.ceil(labels.length / 12));
  labels.forEach((l, i) => {
    if (i % every !== 0) return;
    parts.push(`<text x="${x(i).toFixed(1)}" y="${H - PAD.bottom + 14}" font-size="10" text-anchor="middle">${esc(l)}</text>`);
  });
  return parts.join('');
}

function legend(series: { name: string; color: string; dashed?: boolean }[]): string {
  return series
    .map((s, i) => {
      const lx = PAD.left + i * 170;
      const ly = H - 12;
      return `<line x1="${lx}" x2="${lx + 22}" y1="${ly - 4}" y2="${ly - 4}" stroke="${s.color}" stroke-width="3"${s.dashed ? ' stroke-dasharray="5 3"' : ''}/><text x="${lx + 28}" y="${ly}" font-size="11">${esc(s.name)}</text>`;
    })
    .join('');
}

function yScale(all: number[], zeroBased: boolean): { ticks: number[]; y: (v: number) => number } {
  let lo = all.length ? Math.min(...all) : 0;
  let hi = all.length ? Math.max(...all) : 1;
  if (zeroBased) lo = Math.min(0, lo);
  if (hi === lo) hi = lo + 1;
  const t = ticks(lo, hi);
  lo = Math.min(lo, t[0]);
  hi = Math.max(hi, t[t.length - 1]);
  const y = (v: number): number => PAD.top + (H - PAD.top - PAD.bottom) * (1 - (v - lo) / (hi - lo));
  return { ticks: t, y };
}

/** A line chart: one line per series over the labels; a single point is drawn as a dot. */
export function lineChart(title: string, yLabel: string, labels: string[], series: Series[]): string {
  const all = series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const { ticks: yt, y } = yScale(all, true);
  const n = Math.max(labels.length, 1);
  const x = (i: number): number => PAD.left + (n === 1 ? (W - PAD.left - PAD.right) / 2 : ((W - PAD.left - PAD.right) * i) / (n - 1));
  const body: string[] = [frame(title, yLabel, labels, yt, y, x)];
  for (const s of series) {
    let d = '';
    s.values.forEach((v, i) => {
      if (v === null) return;
      d += `${d === '' ? 'M' : 'L'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
      body.push(`<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="2.5" fill="${s.color}"><title>${esc(`${s.name} ${labels[i]}: ${v}`)}</title></circle>`);
    });
    if (d !== '') body.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 3"' : ''}/>`);
  }
  body.push(legend(series));
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(title)}">${body.join('')}</svg>`;
}

/** A bar chart of one series. */
export function barChart(title: string, yLabel: string, labels: string[], s: Series): string {
  const all = s.values.filter((v): v is number => v !== null);
  const { ticks: yt, y } = yScale(all, true);
  const n = Math.max(labels.length, 1);
  const slot = (W - PAD.left - PAD.right) / n;
  const x = (i: number): number => PAD.left + slot * (i + 0.5);
  const body: string[] = [frame(title, yLabel, labels, yt, y, x)];
  s.values.forEach((v, i) => {
    if (v === null) return;
    const top = y(v);
    body.push(
      `<rect x="${(x(i) - slot * 0.4).toFixed(1)}" y="${top.toFixed(1)}" width="${(slot * 0.8).toFixed(1)}" height="${(y(0) - top).toFixed(1)}" fill="${s.color}"><title>${esc(`${labels[i]}: ${v}`)}</title></rect>`,
    );
  });
  body.push(legend([s]));
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(title)}">${body.join('')}</svg>`;
}
