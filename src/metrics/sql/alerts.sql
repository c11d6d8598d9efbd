-- Alert metrics. Source: seed 004 (SECMP0122 Operational Metrics PIA),
-- Requirement 2, section 2.4.7 Alerts, ID A1 (Measure); Requirement 1, section
-- 2.3.1 RSVP and its Table 2 ("Prepayment - Top Up Device Remotely") for the
-- shape of the summary; Figure 1 "Alerts Management" (AD1, 8F35, 8F36) for the
-- business process. Timing points: seed 000, CR1418 requirement [A].
--
-- Every macro takes `src`, the name of a view or table shaped like ast_alerts
-- (sources.sql): 'ast_alerts' for the feed figures, 'truth_alerts' for the
-- ground truth. Example, in any DuckDB client on metrics.duckdb:
--   SELECT * FROM a1_measure('ast_alerts');
--   SELECT * FROM a1_measure('ast_alerts', sla_ms := 30000);
--   SELECT * FROM a1_measure('ast_alerts', a1_start := 'power-loss');

-- Where A1's clock starts: the earliest point the feeds know of the event the
-- alert reports (docs/metrics.md, "Where A1's clock starts", is this table):
--   AD1, a DCC Alert raised by a CSP (seed 001, 5.2: "CSP notification of power
--     outage greater than or equal to three minutes"): cspPassedTimestamp, the
--     moment the CSP raised it, else dspReceivedTimestamp. The power loss is
--     3 minutes earlier by definition; A1 measures delivery, so its clock starts
--     when the alert exists. a1_start = 'power-loss' starts it at the power loss
--     instead, for comparison (chfReceivedTimestamp, else the last gasp's
--     arrival cspReceivedTimestamp, else as for 'raised').
--   Every other alert: conditionTimestamp (SMETS1: T1 from the S1SP audit
--     trail), else chfReceivedTimestamp, else cspReceivedTimestamp (SMETS1: T2;
--     CSP North without HubTimestamp: its departure stamp), else
--     dspReceivedTimestamp. DCC Alerts the DSP raises from a Device Alert (N39,
--     N53, N54, N62) carry that Device Alert's points and start with it.
CREATE OR REPLACE MACRO alert_start(alertCode, conditionTimestamp, chfReceivedTimestamp, cspReceivedTimestamp,
                                    cspPassedTimestamp, dspReceivedTimestamp, a1_start) AS
  CASE WHEN alertCode <> 'AD1' THEN coalesce(conditionTimestamp, chfReceivedTimestamp, cspReceivedTimestamp, dspReceivedTimestamp)
       WHEN a1_start = 'power-loss' THEN coalesce(chfReceivedTimestamp, cspReceivedTimestamp, cspPassedTimestamp, dspReceivedTimestamp)
       ELSE coalesce(cspPassedTimestamp, dspReceivedTimestamp)
  END;

-- One row per alert with its derived times, in whole milliseconds.
--   startTimestamp: where A1's clock starts (alert_start above).
--   endToEndMs: serviceUserHandshakeTimestamp - startTimestamp (NULL: no handshake).
--   The four hops of CR1418 [A], NULL where either point is missing:
--   hubToCspMs, cspToDspMs, dspToServiceUserMs, serviceUserHandshakeMs.
--   (For AD1 the CSP point is the last gasp's arrival, so cspToDsp holds the
--   CSP's 3-minute confirmation.) Drifted hub clocks can make a hop or the
--   whole journey negative: kept as reported, counted by caveat_hop_quality.
--   An alert belongs to the day and the 15-minute window in which the DSP
--   received it, as in alert-throughput-15min.csv (CR1418 [B]).
CREATE OR REPLACE MACRO alert_journeys(src, a1_start) AS TABLE
SELECT *,
       epoch_ms(serviceUserHandshakeTimestamp) - epoch_ms(startTimestamp)               AS endToEndMs,
       epoch_ms(cspReceivedTimestamp) - epoch_ms(chfReceivedTimestamp)                  AS hubToCspMs,
       epoch_ms(dspReceivedTimestamp) - epoch_ms(cspReceivedTimestamp)                  AS cspToDspMs,
       epoch_ms(passedToServiceUserTimestamp) - epoch_ms(dspReceivedTimestamp)          AS dspToServiceUserMs,
       epoch_ms(serviceUserHandshakeTimestamp) - epoch_ms(passedToServiceUserTimestamp) AS serviceUserHandshakeMs
FROM (
  SELECT *, alert_start(alertCode, conditionTimestamp, chfReceivedTimestamp, cspReceivedTimestamp,
                        cspPassedTimestamp, dspReceivedTimestamp, a1_start) AS startTimestamp
  FROM query_table(src)
);

-- A1 (seed 004, 2.4.7, Measure): "the percentage of alerts successfully
-- delivered within required SLA time (60 seconds). For alerts impacted by
-- throttling, i.e. during an alert storm, this will measure all alerts sent to
-- the User."
-- The clock, precisely:
--   within target  <=>  outcome = 'delivered'
--                       AND serviceUserHandshakeTimestamp - startTimestamp <= sla_ms
--   (inclusive: with the default 60000 ms, 60.000 s is within, 60.001 s is not).
--   Counted (alerts): every alert for a User, throttled ones included.
--   Failed alerts (failed queue, no handshake) count as missed.
--   Rejected alerts are excluded (they were never to be sent) and counted apart.
-- sla_ms and a1_start are parameters so that a Working Group can try other
-- targets and AD1's power-loss start.
CREATE OR REPLACE MACRO a1_journeys(src, sla_ms, a1_start) AS TABLE
SELECT *,
       outcome <> 'rejected' AS counted,
       coalesce(outcome = 'delivered' AND endToEndMs <= sla_ms, false) AS withinTarget
FROM alert_journeys(src, a1_start);

CREATE OR REPLACE MACRO a1_measure(src, sla_ms := 60000, a1_start := 'raised') AS TABLE
SELECT coalesce(region, 'All')                            AS region,
       count(*) FILTER (WHERE counted)                    AS alerts,
       count(*) FILTER (WHERE withinTarget)               AS withinTarget,
       count(*) FILTER (WHERE counted AND NOT withinTarget) AS missed,
       count(*) FILTER (WHERE outcome = 'failed')         AS failed,
       count(*) FILTER (WHERE counted AND throttled)      AS throttled,
       count(*) FILTER (WHERE outcome = 'rejected')       AS rejected,
       100.0 * count(*) FILTER (WHERE withinTarget) / nullif(count(*) FILTER (WHERE counted), 0) AS pctWithinTarget
FROM a1_journeys(src, sla_ms, a1_start)
GROUP BY ROLLUP (region)
HAVING count(*) > 0
ORDER BY region_rank(coalesce(region, 'All'));

-- A1 by day, for the PMR's daily line graph (seed 004, 2.3.1: "plotted using a
-- line graph representation with daily data points").
CREATE OR REPLACE MACRO a1_daily(src, sla_ms := 60000, a1_start := 'raised') AS TABLE
SELECT time_bucket(INTERVAL 1 DAY, dspReceivedTimestamp) AS day,
       coalesce(region, 'All')                            AS region,
       count(*) FILTER (WHERE counted)                    AS alerts,
       count(*) FILTER (WHERE withinTarget)               AS withinTarget,
       100.0 * count(*) FILTER (WHERE withinTarget) / nullif(count(*) FILTER (WHERE counted), 0) AS pctWithinTarget
FROM a1_journeys(src, sla_ms, a1_start)
GROUP BY GROUPING SETS ((day, region), (day))
ORDER BY day, region_rank(coalesce(region, 'All'));

-- A1 indicator: the alert types that missed the target (DOMAIN: "the indicator
-- lists the alert types that missed 60 s"), with how they missed it: late
-- (delivered after the target) or failed. One row per alert code with at least
-- one counted alert, most missed first.
CREATE OR REPLACE MACRO a1_indicator(src, sla_ms := 60000, a1_start := 'raised') AS TABLE
SELECT alertCode,
       count(*) FILTER (WHERE counted)                              AS alerts,
       count(*) FILTER (WHERE counted AND NOT withinTarget)         AS missed,
       count(*) FILTER (WHERE outcome = 'delivered' AND NOT withinTarget) AS late,
       count(*) FILTER (WHERE outcome = 'failed')                   AS failed,
       100.0 * count(*) FILTER (WHERE counted AND NOT withinTarget) / count(*) FILTER (WHERE counted) AS pctMissed
FROM a1_journeys(src, sla_ms, a1_start)
GROUP BY alertCode
HAVING count(*) FILTER (WHERE counted) > 0
ORDER BY missed DESC, alertCode;

-- AD1 from the power loss, beside A1 (whose clock starts when the CSP raises
-- AD1): how long a network operator waits to learn of a power loss. The power
-- loss is the hub's own stamp carried by its last gasp, which the AD1 record
-- gives as chfReceivedTimestamp (docs/feeds.md); without it, the last gasp's
-- arrival at the CSP (cspReceivedTimestamp). The last gasp has no record of its
-- own in any feed. Per region and all: AD1 alerts for a User (rejected ones
-- excluded), those delivered, and over the delivered ones mean, median, 95th
-- percentile and max of power loss -> handshake; the medians of its two parts,
-- power loss -> raised (the CSP's confirmation, 3 minutes by definition) and
-- raised -> handshake (A1's clock).
CREATE OR REPLACE MACRO ad1_power_loss(src) AS TABLE
WITH j AS (
  SELECT region, outcome,
         epoch_ms(serviceUserHandshakeTimestamp) - epoch_ms(powerLoss) AS fromPowerLossMs,
         epoch_ms(cspPassedTimestamp) - epoch_ms(powerLoss)            AS confirmationMs,
         epoch_ms(serviceUserHandshakeTimestamp) - epoch_ms(cspPassedTimestamp) AS fromRaisedMs
  FROM (SELECT *, coalesce(chfReceivedTimestamp, cspReceivedTimestamp) AS powerLoss FROM query_table(src))
  WHERE alertCode = 'AD1' AND outcome <> 'rejected'
)
SELECT coalesce(region, 'All') AS region,
       count(*)                                                        AS alerts,
       count(*) FILTER (WHERE outcome = 'delivered')                   AS delivered,
       avg(fromPowerLossMs) FILTER (WHERE outcome = 'delivered')       AS meanMs,
       quantile_cont(fromPowerLossMs, 0.5) FILTER (WHERE outcome = 'delivered')  AS medianMs,
       quantile_cont(fromPowerLossMs, 0.95) FILTER (WHERE outcome = 'delivered') AS p95Ms,
       max(fromPowerLossMs) FILTER (WHERE outcome = 'delivered')       AS maxMs,
       quantile_cont(confirmationMs, 0.5)                              AS medianConfirmationMs,
       quantile_cont(fromRaisedMs, 0.5) FILTER (WHERE outcome = 'delivered') AS medianFromRaisedMs
FROM j
GROUP BY ROLLUP (region)
HAVING count(*) > 0
ORDER BY region_rank(coalesce(region, 'All'));

-- Hop latencies (CR1418 [A] timing points; seed 004, 2.3.1 Speed: "measured as
-- an average (mean) as well as a median"): count, mean, median, 95th and 99th
-- percentile, min and max of each hop, per period (`bucket`: INTERVAL 1 DAY or
-- INTERVAL 15 MINUTE, aligned to UTC midnight and quarter hours), by region and
-- alert code, with 'All' rows for all codes of a region and for all regions.
-- Hops: hubToCsp, cspToDsp, dspToServiceUser, serviceUserHandshake, and
-- endToEnd (A1's clock). Percentiles interpolate linearly between the two
-- nearest values (quantile_cont; the median of an even count is the mean of
-- the middle two). An alert counts in a hop only when both its points are known.
CREATE OR REPLACE MACRO alert_hop_latency(src, bucket := INTERVAL 1 DAY, a1_start := 'raised') AS TABLE
WITH j AS (
  SELECT time_bucket(bucket, dspReceivedTimestamp) AS periodStart, region, alertCode,
         hubToCspMs AS hubToCsp, cspToDspMs AS cspToDsp, dspToServiceUserMs AS dspToServiceUser,
         serviceUserHandshakeMs AS serviceUserHandshake, endToEndMs AS endToEnd
  FROM alert_journeys(src, a1_start)
), h AS (
  UNPIVOT j ON hubToCsp, cspToDsp, dspToServiceUser, serviceUserHandshake, endToEnd INTO NAME hop VALUE ms
)
SELECT periodStart, region, alertCode, hop, alerts, meanMs,
       q[1] AS medianMs, q[2] AS p95Ms, q[3] AS p99Ms, minMs, maxMs
FROM (
  SELECT periodStart,
         coalesce(region, 'All')     AS region,
         coalesce(alertCode, 'All')  AS alertCode,
         hop,
         count(*)                    AS alerts,
         avg(ms)                     AS meanMs,
         -- median, 95th and 99th percentile from one sort of the group
         quantile_cont(ms, [0.5, 0.95, 0.99]) AS q,
         min(ms)                     AS minMs,
         max(ms)                     AS maxMs
  FROM h
  GROUP BY GROUPING SETS ((periodStart, hop, region, alertCode), (periodStart, hop, region), (periodStart, hop))
)
ORDER BY periodStart,
         list_position(['hubToCsp', 'cspToDsp', 'dspToServiceUser', 'serviceUserHandshake', 'endToEnd'], hop),
         region_rank(coalesce(region, 'All')), alertCode IS NULL, alertCode;

-- RSVP (seed 004, Requirement 1, 2.3.1, shaped as its Table 2) for alerts, one
-- row per business process and region (North, Central, South, SMETS1):
--   Speed: average (mean), median and range (shortest, longest) of endToEndMs
--     over delivered alerts (A1's clock; for alerts there is no request, so the
--     journey from the earliest known point to the User's handshake stands in
--     for the round trip time);
--   % within target: A1 for the process;
--   Volume: alerts for a User (rejected ones excluded, as in A1);
--   Payload, % failed: alerts moved to the failed queue, of the volume.
-- Processes: 'Alerts Management' = AD1, 8F35, 8F36 (seed 004, Figure 1), and
-- 'All alerts'. Later metric families add rows for their processes.
CREATE OR REPLACE MACRO rsvp_alerts(src, sla_ms := 60000, a1_start := 'raised') AS TABLE
WITH j AS (
  SELECT 'Alerts Management' AS process, * FROM a1_journeys(src, sla_ms, a1_start) WHERE alertCode IN ('AD1', '8F35', '8F36')
  UNION ALL BY NAME
  SELECT 'All alerts' AS process, * FROM a1_journeys(src, sla_ms, a1_start)
)
SELECT process, region,
       avg(endToEndMs) FILTER (WHERE outcome = 'delivered')                  AS averageMs,
       quantile_cont(endToEndMs, 0.5) FILTER (WHERE outcome = 'delivered')   AS medianMs,
       min(endToEndMs) FILTER (WHERE outcome = 'delivered')                  AS shortestMs,
       max(endToEndMs) FILTER (WHERE outcome = 'delivered')                  AS longestMs,
       100.0 * count(*) FILTER (WHERE withinTarget) / nullif(count(*) FILTER (WHERE counted), 0) AS pctWithinTarget,
       count(*) FILTER (WHERE counted)                                       AS volume,
       100.0 * count(*) FILTER (WHERE outcome = 'failed') / nullif(count(*) FILTER (WHERE counted), 0) AS pctFailed
FROM j
GROUP BY process, region
ORDER BY process = 'All alerts', process, region_rank(region);
