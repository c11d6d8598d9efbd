-- The DCC's proposed availability method, seed 004 section 3.2.3: "identify a
-- *lack* of activity across parts of the network, which will denote an outage
-- or a reduction in service availability", computed from the feeds and
-- scored against the true outages (outage-truth.jsonl).
--
-- Activity per region: every alert the DSP received (dsp-ast.jsonl,
-- dspReceivedTimestamp) and every Service Response it received from a CSP or
-- S1SP (dsp-service-audit.jsonl, responseReceivedTimestamp), counted in bins
-- of bin_minutes from the period's start. Expected: the mean count of the
-- bins at the same time of day over the period. A bin is silent when it has
-- none where at least min_expected are expected; consecutive silent bins are
-- one alarm, raised at the end of its first bin (when the silence is known).
--
-- True outages that stop a region's traffic: unplanned outages of a
-- sub-system of the DCC User Interface, in that region or national (every
-- region). An alarm detects an outage it overlaps; an outage no alarm
-- overlaps is missed (one shorter than a bin usually is); an alarm that
-- overlaps none is a false alarm. Delay: alarm raised minus true start;
-- beside it, the delay of the availability events (logged down minus true
-- start). Assumption: the thresholds are the DCC's to tune; 15 minutes and 5
-- expected are the defaults here.
CREATE OR REPLACE MACRO traffic_silence_alarms(bin_minutes := 15, min_expected := 5) AS TABLE
WITH traffic AS (
  SELECT region, dspReceivedTimestamp AS t FROM dsp_ast
  UNION ALL SELECT region, responseReceivedTimestamp FROM dsp_service_audit WHERE responseReceivedTimestamp IS NOT NULL
),
bins AS (
  SELECT r.region, b.binStart
  FROM report_regions r,
       (SELECT unnest(generate_series(periodStart, periodEnd - to_minutes(bin_minutes), to_minutes(bin_minutes))) AS binStart FROM report_period) b
),
counts AS (
  SELECT b.region, b.binStart, count(t.t) AS n
  FROM bins b LEFT JOIN traffic t ON t.region = b.region AND t.t >= b.binStart AND t.t < b.binStart + to_minutes(bin_minutes)
  GROUP BY ALL
),
expected AS (
  SELECT *, avg(n) OVER (PARTITION BY region, strftime(binStart, '%H:%M')) AS expectedN FROM counts
),
silent AS (
  SELECT region, binStart, binStart + to_minutes(bin_minutes) AS binEnd,
         binStart - to_minutes(bin_minutes) * row_number() OVER (PARTITION BY region ORDER BY binStart) AS island
  FROM expected WHERE n = 0 AND expectedN >= min_expected
)
SELECT region, min(binStart) AS alarmStart, max(binEnd) AS alarmEnd, min(binEnd) AS raisedAt
FROM silent GROUP BY region, island;

CREATE OR REPLACE MACRO traffic_detection(bin_minutes := 15, min_expected := 5) AS TABLE
WITH alarms AS (SELECT * FROM traffic_silence_alarms(bin_minutes := bin_minutes, min_expected := min_expected)),
truth AS (
  SELECT o.outageId, r.region, o.trueStartTimestamp AS s, least(o.trueEndTimestamp, p.periodEnd) AS e,
         epoch_ms(o.detectedTimestamp) - epoch_ms(o.trueStartTimestamp) AS loggedDelayMs
  FROM outage_truth o, report_regions r, report_period p
  WHERE NOT o.planned AND list_contains(string_split(o.services, ';'), 'DCC User Interface')
    AND (o.region IS NULL OR o.region = r.region) AND o.trueStartTimestamp < p.periodEnd
),
matched AS (
  SELECT t.outageId, t.region, t.loggedDelayMs, min(a.raisedAt) AS firstRaised,
         epoch_ms(min(a.raisedAt)) - epoch_ms(t.s) AS delayMs
  FROM truth t LEFT JOIN alarms a ON a.region = t.region AND a.alarmStart < t.e AND a.alarmEnd > t.s
  GROUP BY t.outageId, t.region, t.s, t.loggedDelayMs
),
false_alarms AS (
  SELECT a.region, count(*) AS n
  FROM alarms a WHERE NOT EXISTS (SELECT 1 FROM truth t WHERE t.region = a.region AND a.alarmStart < t.e AND a.alarmEnd > t.s)
  GROUP BY a.region
),
per_region AS (
  SELECT r.region,
         count(m.outageId) AS trueOutages,
         count(m.firstRaised) AS detected,
         count(m.outageId) - count(m.firstRaised) AS missed,
         coalesce(any_value(f.n), 0) AS falseAlarms,
         avg(m.delayMs) / 60000.0 AS meanDelayMinutes,
         max(m.delayMs) / 60000.0 AS maxDelayMinutes,
         avg(m.loggedDelayMs) / 60000.0 AS meanLoggedDelayMinutes
  FROM report_regions r LEFT JOIN matched m ON m.region = r.region LEFT JOIN false_alarms f ON f.region = r.region
  GROUP BY r.region
)
SELECT * FROM (
  SELECT * FROM per_region
  UNION ALL
  SELECT 'All', sum(trueOutages), sum(detected), sum(missed), sum(falseAlarms),
         (SELECT avg(delayMs) / 60000.0 FROM matched), (SELECT max(delayMs) / 60000.0 FROM matched), (SELECT avg(loggedDelayMs) / 60000.0 FROM matched)
  FROM per_region
)
ORDER BY region_rank(region);
