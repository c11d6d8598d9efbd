/**
 * The report's section on Service Requests: seed 004 Table 2 (RSVP) per SRV,
 * from the rsvp_requests metric (src/metrics/sql/requests.sql), each cell
 * feed (truth). Apart from sections.ts so that each family of figures renders
 * in its own module.
 */
import type { Value } from './compute.js';
import { REGIONS, both, find, metric, num, pct, type ReportData, type Section } from './sections.js';

/** RSVP of Service Requests: one Table 2 per SRV present, in seconds as Table 2 gives them. */
export function requestsSection(data: ReportData): Section {
  const m = metric(data, 'rsvp_requests');
  const srvs = [...new Set(m.rows.map((r) => String(r.key.srv)))];
  const regions = [...REGIONS, 'All'];
  const s = (v: Value | undefined): string => (typeof v === 'number' ? num(v / 1000, 1) : num(v));
  const tables = srvs.map((srv) => {
    const cell = (reg: string, field: string, fmt: (v: Value | undefined) => string): string => both(find(m, { srv, region: reg }), field, fmt);
    const range = (reg: string): string => {
      const r = find(m, { srv, region: reg });
      if (r === undefined) return '–';
      const f = `(${s(r.feed?.shortestMs)})(${s(r.feed?.longestMs)})`;
      return r.truth ? `${f} [truth (${s(r.truth.shortestMs)})(${s(r.truth.longestMs)})]` : f;
    };
    return {
      caption: `SRV ${srv}`,
      table: {
        headers: ['Monthly Performance Measure', ...regions],
        rows: [
          ['Average RTT (s)', ...regions.map((r) => cell(r, 'averageMs', s))],
          ['Median RTT (s)', ...regions.map((r) => cell(r, 'medianMs', s))],
          ['Range (Shortest)(Longest) (s)', ...regions.map(range)],
          ['Percentage of Service Responses delivered within the Target Response Time', ...regions.map((r) => cell(r, 'pctWithinTarget', pct))],
          ['Volumes', ...regions.map((r) => cell(r, 'volume', num))],
          ['Percentage of Service Requests that failed to be delivered', ...regions.map((r) => cell(r, 'pctFailed', pct))],
          ['Excluded (DCC Exclusion List)', ...regions.map((r) => cell(r, 'excluded', num))],
        ],
      },
    };
  });
  return {
    title: 'RSVP: Service Requests',
    notes: [
      'Shaped as seed 004, 2.3.1, Table 2, one table per SRV. Each cell: feed (truth). RTT from receipt of the request from the User (future-dated and scheduled: from the execution time) to the response sent to the User. Failed: E201 or E212 (and, in the truth only, requests lost before the DSP). Excluded: authentication failures and User errors (seed 003, 4), left out of every other figure.',
      ...(tables.length === 0 ? ['No Service Requests in this run.'] : []),
    ],
    tables,
    charts: [],
  };
}
