-- Service Availability and reliability of the DCC Services. Source: seed 004
-- (SECMP0122 PIA), Requirement 3:
--   Service Availability = (Uptime - Unplanned Downtime) / Uptime [%],
--   Uptime = Planned Uptime (total time in the month) - Planned Maintenance;
--   a Service is available only while all its supporting sub-systems are;
--   a sub-system supporting several Services takes each of them down;
--   monthly (one figure), daily (line graph), by CSP region where relevant,
--   by time of day (Mon-Fri 08:00-20:00 and 20:00-08:00; Saturday 08:00-12:00
--   and 12:00-08:00; Sunday); downtime in minutes, expressed in hours
--   ("235 minutes ... 3.91 hours": hours are truncated to hundredths);
--   MTTR = downtime / repairs, MTBF = operating hours / failures.
-- Bands and days are UTC (the twin's clock), an assumption: the PMR's are
-- UK local time.
--
-- Two sources of the same shape, as for alerts: the availability events as
-- logged (feeds/availability-events.jsonl) and the outages as they happened
-- (outage-truth.jsonl). Columns: outageId, subsystem, services (names joined
-- by ';'), region (NULL: national), planned, startTs, endTs (NULL: not over
-- by the end of the feed). The period is table report_period (periodStart,
-- periodEnd), set from manifest.json; tables dcc_services (service,
-- regional), report_regions (region) and macros service_rank, band_rank come
-- from the domain reference (src/metrics/period.ts).
CREATE OR REPLACE VIEW availability_feed_intervals AS
WITH starts AS (
  SELECT outageId, subsystem, services, region, event = 'plannedMaintenanceStart' AS planned, "timestamp" AS startTs
  FROM availability_events WHERE event IN ('down', 'plannedMaintenanceStart')
), ends AS (
  SELECT outageId, subsystem, services, region, event = 'plannedMaintenanceEnd' AS planned, "timestamp" AS endTs
  FROM availability_events WHERE event IN ('up', 'plannedMaintenanceEnd')
)
SELECT coalesce(s.outageId, e.outageId) AS outageId, coalesce(s.subsystem, e.subsystem) AS subsystem,
       coalesce(s.services, e.services) AS services, coalesce(s.region, e.region) AS region,
       coalesce(s.planned, e.planned) AS planned, s.startTs, e.endTs
FROM starts s FULL OUTER JOIN ends e ON s.outageId = e.outageId;

CREATE OR REPLACE VIEW availability_truth_intervals AS
SELECT outageId, subsystem, services, region, planned, trueStartTimestamp AS startTs, trueEndTimestamp AS endTs
FROM outage_truth;

-- One row per (outage, service it takes down), clipped to the period.
CREATE OR REPLACE MACRO availability_spans(src) AS TABLE
SELECT outageId, service, region, planned, s, e
FROM (
  SELECT outageId, unnest(string_split(services, ';')) AS service, region, planned,
         greatest(coalesce(startTs, p.periodStart), p.periodStart) AS s,
         least(coalesce(endTs, p.periodEnd), p.periodEnd) AS e
  FROM query_table(src), report_period p
  WHERE services <> ''
)
WHERE s < e;

-- What is reported: every service nationally ('All': outages of national
-- sub-systems only), each service with a regional path (dcc_services.regional)
-- by region, and any other service in a region where a regional outage hit it.
-- A region's figure counts its own outages and the national ones.
CREATE OR REPLACE MACRO availability_scopes(src) AS TABLE
SELECT service, 'All' AS region FROM dcc_services
UNION
SELECT d.service, r.region FROM dcc_services d, report_regions r WHERE d.regional
UNION
SELECT service, region FROM availability_spans(src) WHERE region IS NOT NULL;

-- The period cut at every span's ends and at every whole hour, so that each
-- segment lies in one hour (its day and time-of-day band) and is wholly up,
-- in Planned Maintenance, or down (unplanned). Planned Maintenance wins over
-- an outage during it: that time is out of Uptime altogether.
CREATE OR REPLACE MACRO availability_segments(src) AS TABLE
WITH sc AS (SELECT * FROM availability_scopes(src)),
sp AS (
  SELECT sc.service, sc.region, x.outageId, x.planned, x.s, x.e
  FROM sc JOIN availability_spans(src) x ON x.service = sc.service AND (x.region IS NULL OR x.region = sc.region)
),
hours AS (
  SELECT unnest(generate_series(date_trunc('hour', periodStart), periodEnd, INTERVAL 1 HOUR)) AS t, periodStart, periodEnd FROM report_period
),
points AS (
  SELECT sc.service, sc.region, greatest(least(h.t, h.periodEnd), h.periodStart) AS t FROM sc, hours h
  UNION SELECT service, region, s FROM sp
  UNION SELECT service, region, e FROM sp
),
seg AS (
  SELECT service, region, t AS a, lead(t) OVER (PARTITION BY service, region ORDER BY t) AS b FROM points
)
SELECT seg.service, seg.region, seg.a, seg.b,
       epoch_ms(seg.b) - epoch_ms(seg.a) AS ms,
       coalesce(bool_or(sp.planned), false) AS planned,
       coalesce(bool_or(NOT sp.planned), false) AS down
FROM seg LEFT JOIN sp ON sp.service = seg.service AND sp.region = seg.region AND sp.s <= seg.a AND sp.e >= seg.b
WHERE seg.b IS NOT NULL AND seg.b > seg.a
GROUP BY ALL;

-- The band names are src/dcc/services.ts TIME_OF_DAY_BANDS (band_rank orders them).
CREATE OR REPLACE MACRO time_of_day_band(t) AS
CASE
  WHEN dayofweek(t) = 0 THEN 'Sunday'
  WHEN dayofweek(t) = 6 THEN CASE WHEN hour(t) >= 8 AND hour(t) < 12 THEN 'Sat 08:00-12:00' ELSE 'Sat 12:00-08:00' END
  WHEN hour(t) >= 8 AND hour(t) < 20 THEN 'Mon-Fri 08:00-20:00'
  ELSE 'Mon-Fri 20:00-08:00'
END;

-- The figures of a set of segments, grouped by the caller.
CREATE OR REPLACE MACRO availability_pct(uptime_ms, down_ms) AS
  CASE WHEN uptime_ms > 0 THEN 100.0 * (uptime_ms - down_ms) / uptime_ms END;
CREATE OR REPLACE MACRO hours_of(ms) AS trunc(ms / 36000.0) / 100.0;

-- Failures: unplanned outages starting in the period (and the month), per service and scope.
CREATE OR REPLACE MACRO availability_failures(src) AS TABLE
SELECT sc.service, sc.region, strftime(x.s, '%Y-%m') AS month, count(DISTINCT x.outageId) AS failures
FROM availability_scopes(src) sc
JOIN availability_spans(src) x ON x.service = sc.service AND (x.region IS NULL OR x.region = sc.region)
WHERE NOT x.planned
GROUP BY ALL;

-- Monthly Service Availability with its reliability measures, per service and
-- scope (region or All), ordered as dcc_services and the regions.
CREATE OR REPLACE MACRO availability_monthly(src) AS TABLE
WITH m AS (
  SELECT service, region, strftime(a, '%Y-%m') AS month,
         sum(ms) AS periodMs,
         sum(ms) FILTER (WHERE planned) AS plannedMs,
         sum(ms) FILTER (WHERE down AND NOT planned) AS downMs
  FROM availability_segments(src) GROUP BY ALL
)
SELECT m.month, m.service, m.region,
       round(m.periodMs / 60000.0, 3) AS periodMinutes,
       round(coalesce(m.plannedMs, 0) / 60000.0, 3) AS plannedMaintenanceMinutes,
       round((m.periodMs - coalesce(m.plannedMs, 0)) / 60000.0, 3) AS uptimeMinutes,
       round(coalesce(m.downMs, 0) / 60000.0, 3) AS unplannedDowntimeMinutes,
       hours_of(coalesce(m.downMs, 0)) AS unplannedDowntimeHours,
       availability_pct(m.periodMs - coalesce(m.plannedMs, 0), coalesce(m.downMs, 0)) AS availabilityPct,
       coalesce(f.failures, 0) AS failures,
       CASE WHEN f.failures > 0 THEN coalesce(m.downMs, 0) / 3600000.0 / f.failures END AS mttrHours,
       CASE WHEN f.failures > 0 THEN (m.periodMs - coalesce(m.plannedMs, 0) - coalesce(m.downMs, 0)) / 3600000.0 / f.failures END AS mtbfHours
FROM m LEFT JOIN availability_failures(src) f USING (service, region, month)
ORDER BY m.month, service_rank(m.service), region_rank(m.region);

-- Daily, for the line graph.
CREATE OR REPLACE MACRO availability_daily(src) AS TABLE
WITH d AS (
  SELECT strftime(a, '%Y-%m-%d') AS day, service, region, sum(ms) AS periodMs,
         coalesce(sum(ms) FILTER (WHERE planned), 0) AS plannedMs,
         coalesce(sum(ms) FILTER (WHERE down AND NOT planned), 0) AS downMs
  FROM availability_segments(src)
  GROUP BY 1, 2, 3
)
SELECT day, service, region,
       round(downMs / 60000.0, 3) AS unplannedDowntimeMinutes,
       round(plannedMs / 60000.0, 3) AS plannedMaintenanceMinutes,
       availability_pct(periodMs - plannedMs, downMs) AS availabilityPct
FROM d
ORDER BY day, service_rank(service), region_rank(region);

-- By seed 004's time-of-day bands, over the whole period.
CREATE OR REPLACE MACRO availability_time_of_day(src) AS TABLE
WITH b AS (
  SELECT service, region, time_of_day_band(a) AS band, sum(ms) AS periodMs,
         coalesce(sum(ms) FILTER (WHERE planned), 0) AS plannedMs,
         coalesce(sum(ms) FILTER (WHERE down AND NOT planned), 0) AS downMs
  FROM availability_segments(src)
  GROUP BY 1, 2, 3
)
SELECT service, region, band,
       round((periodMs - plannedMs) / 60000.0, 3) AS uptimeMinutes,
       round(downMs / 60000.0, 3) AS unplannedDowntimeMinutes,
       availability_pct(periodMs - plannedMs, downMs) AS availabilityPct
FROM b
ORDER BY service_rank(service), region_rank(region), band_rank(band);
