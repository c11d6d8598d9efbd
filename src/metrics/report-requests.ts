/**
 * The report's section on Service Requests: seed 004 Table 2 (RSVP) per SRV,
 * from the rsvp_requests metric (src/metrics/sql/requests.sql), each cell
 * feed (truth). Apart from sections.ts so that each family of figures renders
 * in its own module.
 */
import type { Value } from './compute.js';
import { REGIONS, metric, num, rsvpTable, type ReportData, type Section } from './sections.js';

/** RSVP of Service Requests: one Table 2 per SRV present, in seconds as Table 2 gives them. */
export function requestsSection(data: ReportData): Section {
  const m = metric(data, 'rsvp_requests');
  const srvs = [...new Set(m.rows.map((r) => String(r.key.srv)))];
  const regions = [...REGIONS, 'All'];
  const s = (v: Value | undefined): string => (typeof v === 'number' ? num(v / 1000, 1) : num(v));
  const tables = srvs.map((srv) => ({
    caption: `SRV ${srv}`,
    table: rsvpTable(m, { srv }, regions, { unit: 's', fmt: s }, {
      speed: 'RTT',
      within: 'Percentage of Service Responses delivered within the Target Response Time',
      failed: 'Percentage of Service Requests that failed to be delivered',
    }, [['Excluded (DCC Exclusion List)', 'excluded', num]]),
  }));
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
