/**
 * The domain reference the Service Request metrics read, as tables in the
 * metrics database: each SRV's Target Response Times before and after
 * SECMP0053 (seed 002) and its business process (seed 004 Table 1), both from
 * src/dcc/srvs.ts, so that the SQL never repeats a number of the catalogue;
 * and the business processes and device types in the PMR's order.
 *
 * Also `request_truth_attrs`: what request-truth.jsonl says of each request's
 * device and business process, when it says it. The truth's timing points are
 * its own; where it lacks the process fields, requests.sql takes them from
 * the DSP's record of the same requestId (they name the request, not a time).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { BUSINESS_PROCESSES, SRV_CATALOGUE } from '../dcc/srvs.js';
import { lit } from './columns.js';

/** Device types as the DSP service audit trail names them, in the order the report lists them. */
export const DEVICE_TYPES = ['CHF', 'ESME', 'GSME', 'GPF', 'PPMID'] as const;

/** The fields the process metrics read that request-truth.jsonl may or may not carry, with their SQL types. */
const TRUTH_ATTRS: ReadonlyArray<readonly [string, string]> = [
  ['deviceId', 'VARCHAR'],
  ['deviceType', 'VARCHAR'],
  ['businessProcess', 'VARCHAR'],
  ['processId', 'VARCHAR'],
  ['step', 'BIGINT'],
  ['userAttempt', 'BIGINT'],
  ['exclusionReason', 'VARCHAR'],
];

const num = (v: number | undefined): string => (v === undefined ? 'NULL' : String(v));

/**
 * Creates srv_catalogue (srv, rank, trtMs, trtSecmp0053Ms, trtSmets1Ms, and
 * process: the SRV's one business process, NULL when it has several),
 * request_groups (kind 'srv' or 'process', name, rank: the report's order)
 * and the view request_truth_attrs.
 */
export async function defineRequestCatalogue(conn: DuckDBConnection): Promise<void> {
  const srvs = SRV_CATALOGUE.map(
    (d, i) => `(${lit(d.srv)}, ${i}, ${d.trt}, ${num(d.trtSecmp0053)}, ${num(d.trtSmets1)}, ${d.processes.length === 1 ? lit(d.processes[0]) : 'NULL'})`,
  );
  await conn.run(
    `CREATE OR REPLACE TABLE srv_catalogue (srv VARCHAR, rank INTEGER, trtMs BIGINT, trtSecmp0053Ms BIGINT, trtSmets1Ms BIGINT, process VARCHAR);
     INSERT INTO srv_catalogue VALUES ${srvs.join(', ')}`,
  );
  const groups = [
    ...SRV_CATALOGUE.map((d, i) => `('srv', ${lit(d.srv)}, ${i})`),
    ...BUSINESS_PROCESSES.map((p, i) => `('process', ${lit(p)}, ${i})`),
    ...DEVICE_TYPES.map((t, i) => `('device', ${lit(t)}, ${i})`),
  ];
  await conn.run(
    `CREATE OR REPLACE TABLE request_groups (kind VARCHAR, name VARCHAR, rank INTEGER);
     INSERT INTO request_groups VALUES ${groups.join(', ')}`,
  );
  const cols = new Set(
    ((await conn.runAndReadAll(`SELECT column_name FROM information_schema.columns WHERE table_name = 'request_truth'`)).getRowObjectsJS() as { column_name: string }[]).map(
      (r) => r.column_name,
    ),
  );
  const attrs = TRUTH_ATTRS.map(([c, type]) => (cols.has(c) ? `"${c}"` : `CAST(NULL AS ${type}) AS "${c}"`));
  await conn.run(`CREATE OR REPLACE VIEW request_truth_attrs AS SELECT requestId, ${attrs.join(', ')} FROM request_truth`);
}
