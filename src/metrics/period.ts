/**
 * What the availability, incident and Install and Leave figures are
 * computed over: the reporting period and the domain's names, put into the
 * database before their SQL runs (src/metrics/sql/availability.sql,
 * incidents.sql, install-leave.sql, detection.sql), so that the SQL lists no
 * service, region or band of its own.
 *
 * The period is the run's (manifest.json: epoch to epoch + durationMs, the
 * month the PMR reports). Feeds without a manifest: from the midnight before
 * the first availability event, incident, alert or request to the midnight
 * after the last.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { DCC_SERVICES, RESOLVER_GROUPS, TIME_OF_DAY_BANDS } from '../dcc/services.js';
import { REGION_LABELS } from '../dcc/regions.js';
import { DRAIN_MS, parseTimestamp } from '../feeds/index.js';
import { lit } from './columns.js';

const list = (xs: readonly string[]): string => `[${xs.map(lit).join(', ')}]`;
const sqlTime = (ms: number): string => `TIMESTAMP '${new Date(ms).toISOString().replace('T', ' ').replace('Z', '')}'`;

/** Services with a regional path (seed 004, Requirement 3, "where relevant"): the User Interface reaches meters through the CSPs and S1SPs. */
const REGIONAL_SERVICES: readonly string[] = ['DCC User Interface'];

export async function definePeriod(conn: DuckDBConnection, window: { from: string; to: string } | null): Promise<void> {
  if (window !== null) {
    const from = parseTimestamp(window.from);
    const to = parseTimestamp(window.to) - DRAIN_MS;
    await conn.run(`CREATE OR REPLACE TABLE report_period AS SELECT ${sqlTime(from)} AS periodStart, ${sqlTime(to)} AS periodEnd`);
  } else {
    await conn.run(`CREATE OR REPLACE TABLE report_period AS
      WITH t AS (
        SELECT "timestamp" AS t FROM availability_events
        UNION ALL SELECT openedTimestamp FROM incidents
        UNION ALL SELECT dspReceivedTimestamp FROM dsp_ast
        UNION ALL SELECT responseSentTimestamp FROM dsp_service_audit
      )
      SELECT coalesce(date_trunc('day', min(t)), TIMESTAMP '1970-01-01') AS periodStart,
             coalesce(date_trunc('day', max(t)) + INTERVAL 1 DAY, TIMESTAMP '1970-01-02') AS periodEnd FROM t`);
  }
  await conn.run(`CREATE OR REPLACE TABLE dcc_services AS
    SELECT unnest(${list(DCC_SERVICES)}) AS service, unnest([${DCC_SERVICES.map((s) => REGIONAL_SERVICES.includes(s)).join(', ')}]) AS regional`);
  await conn.run(`CREATE OR REPLACE TABLE report_regions AS SELECT unnest(${list(REGION_LABELS)}) AS region`);
  await conn.run(`CREATE OR REPLACE MACRO service_rank(s) AS list_position(${list(DCC_SERVICES)}, s)`);
  await conn.run(`CREATE OR REPLACE MACRO band_rank(b) AS list_position(${list(TIME_OF_DAY_BANDS)}, b)`);
  await conn.run(`CREATE OR REPLACE MACRO resolver_rank(g) AS list_position(${list(RESOLVER_GROUPS)}, g)`);
}
