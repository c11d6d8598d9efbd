/**
 * Renders the computed metrics as report.md, report.html (self-contained:
 * inline CSS and SVG) and metrics.json. Every figure appears as the feeds give
 * it with the ground truth and the difference beside it. Nothing here depends
 * on the wall clock, so the same feeds give the same report files.
 */
import { num, sections, type ReportData } from './sections.js';

export type { ReportData } from './sections.js';

function title(data: ReportData): string {
  const r = data.run;
  return `Performance Measurement Report${r.scenario ? ` — ${r.scenario}` : ''}${r.seed !== null ? ` (seed ${r.seed})` : ''}`;
}

/** The line under the title: the run directory as given, A1's target and where AD1's clock starts. */
function runLine(data: ReportData, dir: string): string {
  const ad1 = data.a1Start === 'power-loss' ? 'at the power loss (for comparison; the default is when the CSP raises it)' : 'when the CSP raises it';
  return `Run directory: ${dir}. A1 target: ${num(data.slaMs / 1000, 3)} s; AD1's clock starts ${ad1}.`;
}

const mdCell = (s: string): string => s.replace(/\|/g, '\\|');

export function renderMarkdown(data: ReportData): string {
  const out: string[] = [`# ${title(data)}`, '', runLine(data, `\`${data.run.dir}\``), ''];
  for (const s of sections(data)) {
    out.push(`## ${s.title}`, '');
    for (const n of s.notes) out.push(n, '');
    for (const t of s.tables) {
      if (t.caption) out.push(`**${t.caption}**`, '');
      out.push('| ' + t.table.headers.map(mdCell).join(' | ') + ' |');
      out.push('|' + t.table.headers.map(() => ' --- |').join(''));
      for (const r of t.table.rows) out.push('| ' + r.map(mdCell).join(' | ') + ' |');
      out.push('');
    }
  }
  return out.join('\n');
}

function h(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function renderHtml(data: ReportData): string {
  const body: string[] = [`<h1>${h(title(data))}</h1>`, `<p>${runLine(data, `<code>${h(data.run.dir)}</code>`)}</p>`];
  for (const s of sections(data)) {
    body.push(`<h2>${h(s.title)}</h2>`);
    for (const n of s.notes) body.push(`<p>${h(n)}</p>`);
    for (const c of s.charts) body.push(`<figure>${c}</figure>`);
    for (const t of s.tables) {
      if (t.caption) body.push(`<h3>${h(t.caption)}</h3>`);
      body.push('<table><thead><tr>' + t.table.headers.map((x) => `<th>${h(x)}</th>`).join('') + '</tr></thead><tbody>');
      for (const r of t.table.rows) body.push('<tr>' + r.map((x) => `<td>${h(x)}</td>`).join('') + '</tr>');
      body.push('</tbody></table>');
    }
  }
  const css =
    'body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1200px}table{border-collapse:collapse;margin:8px 0 20px;font-size:13px}' +
    'th,td{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f0f0f0}td:first-child,th:first-child{text-align:left}' +
    'h2{border-bottom:2px solid #1f77b4;padding-bottom:4px;margin-top:32px}h3{font-size:14px}figure{margin:8px 0}p{max-width:900px}';
  return `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>${h(title(data))}</title><style>${css}</style></head><body>\n${body.join('\n')}\n</body></html>\n`;
}

/** metrics.json: every figure, feed and truth and their difference; the load summary. */
export function renderJson(data: ReportData): string {
  const metrics: Record<string, unknown> = {};
  for (const m of data.metrics) metrics[m.id] = { title: m.title, source: m.source, keys: m.keys, values: m.values, rows: m.rows };
  const caveats: Record<string, unknown> = {};
  for (const c of data.caveats) caveats[c.id] = { title: c.title, source: c.source, rows: c.rows };
  for (const q of data.quality) caveats[q.id] = { title: q.title, source: q.source, keys: q.keys, values: q.values, rows: q.rows };
  const load = {
    records: data.load.records,
    badRecords: data.load.badRecords,
    tables: data.load.tables.map((t) => ({ table: t.table, file: t.file, records: t.records, badRecords: t.badRecords })),
    bad: data.load.bad,
    window: data.load.window,
  };
  return JSON.stringify({ run: data.run, slaMs: data.slaMs, a1Start: data.a1Start, load, metrics, caveats }, null, 2) + '\n';
}
