-- The outcome measures of the key business processes: seed 004 (SECMP0122
-- PIA), Requirement 2, sections 2.4.1 to 2.4.4 (IC1, CoS1, B1, B2, PP1), in
-- their own words below; and SECMP0053's Target Response Times side by side
-- (seed 002, Requirements 1 and 2). Every macro reads a source of
-- requests.sql's shape (audit_requests, truth_requests) through
-- request_journeys, so the same SQL gives the feed figure and the true one.
-- Excludable requests (seed 003 section 4) are left out of every figure and
-- counted apart, as in RSVP.

-- The PMR's orders: SRVs and business processes as src/dcc/srvs.ts lists them
-- (request_groups, from src/metrics/request-catalogue.ts), then 'All'.
CREATE OR REPLACE MACRO group_rank(k, n) AS
  coalesce((SELECT rank FROM request_groups WHERE kind = k AND name = n), 1000);

-- IC1 (2.4.1, Measure): "Measure the Response Times of the common Service
-- Requests and report the percentage that failed to meet the Target Response
-- Times." The Install and Commission SRVs (Table 1), per SRV and region.
CREATE OR REPLACE MACRO ic1_measure(src) AS TABLE
SELECT coalesce(srv, 'All') AS srv, coalesce(region, 'All') AS region,
       count(*) FILTER (WHERE counted)                      AS volume,
       count(*) FILTER (WHERE counted AND NOT withinTarget) AS missedTarget,
       100.0 * count(*) FILTER (WHERE counted AND NOT withinTarget) / nullif(count(*) FILTER (WHERE counted), 0) AS pctMissedTarget,
       count(*) FILTER (WHERE exclusionReason = 'validFailure') AS excludedValidFailure,
       count(*) FILTER (WHERE exclusionReason = 'notWaited')    AS excludedNotWaited
FROM request_journeys(src)
WHERE businessProcess = 'Install and Commission'
GROUP BY GROUPING SETS ((srv, region), (srv), (region), ())
ORDER BY group_rank('srv', coalesce(srv, 'All')), region_rank(coalesce(region, 'All'));

-- IC1 (Indicator): "daily total volume of successful and failed meter
-- installations broken down by Comms Hub (CH)/ESME/GSME and Region." An
-- installation is one device of one process instance: a CH by its 8.14.1
-- ('Communications Hub Status Update Install Success'), an ESME or GSME by
-- its 8.1.1 ('Commission Device'). Successful: one of its attempts succeeded
-- (on the day of that attempt); failed: none did (on the day of the last).
CREATE OR REPLACE MACRO ic1_installs_daily(src) AS TABLE
WITH installs AS (
  SELECT coalesce(processId, requestId) AS instance, deviceId, region,
         CASE WHEN srv = '8.14.1' THEN 'CH' ELSE deviceType END AS device,
         bool_or(succeeded) AS installed,
         coalesce(min(day) FILTER (WHERE succeeded), max(day)) AS day
  FROM request_journeys(src)
  WHERE srv = '8.14.1' OR (srv = '8.1.1' AND deviceType IN ('ESME', 'GSME'))
  GROUP BY ALL)
SELECT day, device, coalesce(region, 'All') AS region,
       count(*) FILTER (WHERE installed)     AS successful,
       count(*) FILTER (WHERE NOT installed) AS failed
FROM installs
GROUP BY GROUPING SETS ((day, device, region), (day, device))
ORDER BY day, list_position(['CH', 'ESME', 'GSME'], device), region_rank(coalesce(region, 'All'));

-- IC1 (Indicator): "the number of Install and Commission versus Install and
-- Leave": process instances whose hub was installed with SMWAN (8.14.1
-- succeeded) against those left without (8.14.2, 'Install No SMWAN'), from
-- the Service Requests alone.
CREATE OR REPLACE MACRO ic1_install_leave(src) AS TABLE
SELECT coalesce(region, 'All') AS region,
       count(DISTINCT coalesce(processId, requestId)) FILTER (WHERE srv = '8.14.1' AND succeeded) AS installAndCommission,
       count(DISTINCT coalesce(processId, requestId)) FILTER (WHERE srv = '8.14.2' AND succeeded) AS installAndLeave,
       100.0 * count(DISTINCT coalesce(processId, requestId)) FILTER (WHERE srv = '8.14.2' AND succeeded)
         / nullif(count(DISTINCT coalesce(processId, requestId)) FILTER (WHERE srv IN ('8.14.1', '8.14.2') AND succeeded), 0) AS pctInstallAndLeave
FROM request_journeys(src)
WHERE srv IN ('8.14.1', '8.14.2')
GROUP BY GROUPING SETS ((region), ())
ORDER BY region_rank(coalesce(region, 'All'));

-- The PMR's breakdown "by device type and region" (CoS1, PP1): each pair,
-- each device type over all regions, each region over all device types, all
-- ('unknown': a request lost before the DSP, whose device the truth alone
-- cannot name).
-- CoS1 (2.4.2, Measure): "Measure the percentage of successful SRV6.23 SRVs
-- delivered. Where the response erroneously reports a failure, the presence
-- of subsequent critical and non-critical SRs sent by the gaining supplier
-- will be used as an indicator of success." A reported failure is proved
-- wrong by a later successful SRV (other than 6.23) from the same User to the
-- same device, sent after the 6.23's response. Reported and corrected
-- figures side by side; the failures that stand by their reason
-- (Indicator: "the reason for failure").
CREATE OR REPLACE MACRO cos1_measure(src) AS TABLE
WITH j AS (SELECT * FROM request_journeys(src)),
later AS (SELECT serviceUser, deviceId, sentTimestamp FROM j WHERE srv <> '6.23' AND succeeded),
cos AS (
  SELECT c.*, c.counted AND NOT c.succeeded AND EXISTS (
           SELECT 1 FROM later l
           WHERE l.serviceUser = c.serviceUser AND l.deviceId = c.deviceId AND l.sentTimestamp > c.responseSentTimestamp) AS proved
  FROM j c WHERE c.srv = '6.23')
SELECT CASE WHEN grouping(deviceType) = 1 THEN 'All' ELSE coalesce(deviceType, 'unknown') END AS deviceType, coalesce(region, 'All') AS region,
       count(*) FILTER (WHERE counted)               AS requests,
       count(*) FILTER (WHERE counted AND succeeded) AS reportedSuccessful,
       100.0 * count(*) FILTER (WHERE counted AND succeeded) / nullif(count(*) FILTER (WHERE counted), 0) AS pctReportedSuccessful,
       count(*) FILTER (WHERE proved)                AS provedSuccessful,
       count(*) FILTER (WHERE counted AND (succeeded OR proved)) AS correctedSuccessful,
       100.0 * count(*) FILTER (WHERE counted AND (succeeded OR proved)) / nullif(count(*) FILTER (WHERE counted), 0) AS pctCorrectedSuccessful,
       count(*) FILTER (WHERE counted AND NOT succeeded AND NOT proved AND responseCode = 'E201') AS failedE201,
       count(*) FILTER (WHERE counted AND NOT succeeded AND NOT proved AND responseCode = 'E212') AS failedE212,
       count(*) FILTER (WHERE counted AND NOT succeeded AND NOT proved AND coalesce(responseCode NOT IN ('E201', 'E212'), true)) AS failedOther,
       count(*) FILTER (WHERE NOT counted)           AS excluded
FROM cos
GROUP BY GROUPING SETS ((deviceType, region), (deviceType), (region), ())
ORDER BY grouping(deviceType), group_rank('device', deviceType), region_rank(coalesce(region, 'All'));

-- B1 (2.4.3, Measures): "the percentage of successful SRV5.1 SRVs
-- successfully delivered" and "success of DSP to deliver read (or failure
-- response) within 24hrs of start of execution time" (5.1's TRT, 24 h: the
-- within-target share). B2: "the percentage of successful SRV4.6.1 SRVs
-- successfully delivered". By region and SMETS1; daily in billing_daily.
CREATE OR REPLACE MACRO billing_success(src) AS TABLE
SELECT srv, coalesce(region, 'All') AS region,
       count(*) FILTER (WHERE counted)               AS requests,
       count(*) FILTER (WHERE counted AND succeeded) AS successful,
       100.0 * count(*) FILTER (WHERE counted AND succeeded) / nullif(count(*) FILTER (WHERE counted), 0) AS pctSuccessful,
       100.0 * count(*) FILTER (WHERE counted AND withinTarget) / nullif(count(*) FILTER (WHERE counted), 0) AS pctWithinTarget,
       count(*) FILTER (WHERE NOT counted)           AS excluded
FROM request_journeys(src)
WHERE srv IN ('5.1', '4.6.1')
GROUP BY GROUPING SETS ((srv, region), (srv))
ORDER BY group_rank('srv', srv) DESC, region_rank(coalesce(region, 'All'));

CREATE OR REPLACE MACRO billing_daily(src) AS TABLE
SELECT srv, day, coalesce(region, 'All') AS region,
       count(*) FILTER (WHERE counted)               AS requests,
       count(*) FILTER (WHERE counted AND succeeded) AS successful,
       100.0 * count(*) FILTER (WHERE counted AND succeeded) / nullif(count(*) FILTER (WHERE counted), 0) AS pctSuccessful
FROM request_journeys(src)
WHERE srv IN ('5.1', '4.6.1')
GROUP BY GROUPING SETS ((srv, day, region), (srv, day))
ORDER BY group_rank('srv', srv) DESC, day, region_rank(coalesce(region, 'All'));

-- PP1 (2.4.4, Measure): "the percentage of successful SRV2.2 SRVs
-- successfully delivered to the devices. Include a measure by device type
-- and region." Indicator: "the volumes of success and failures".
CREATE OR REPLACE MACRO pp1_measure(src) AS TABLE
SELECT CASE WHEN grouping(deviceType) = 1 THEN 'All' ELSE coalesce(deviceType, 'unknown') END AS deviceType, coalesce(region, 'All') AS region,
       count(*) FILTER (WHERE counted)                   AS requests,
       count(*) FILTER (WHERE counted AND succeeded)     AS successful,
       count(*) FILTER (WHERE counted AND NOT succeeded) AS failed,
       100.0 * count(*) FILTER (WHERE counted AND succeeded) / nullif(count(*) FILTER (WHERE counted), 0) AS pctSuccessful,
       count(*) FILTER (WHERE NOT counted)               AS excluded
FROM request_journeys(src)
WHERE srv = '2.2'
GROUP BY GROUPING SETS ((deviceType, region), (deviceType), (region), ())
ORDER BY grouping(deviceType), group_rank('device', deviceType), region_rank(coalesce(region, 'All'));

-- PP1 (Indicator): "a table showing the percentage attempts to top up before
-- success. Provide metric for the first and second attempts and the
-- percentage of failures." Per top-up (processId: a top-up and all the
-- User's resends of it), the userAttempt that first succeeded: 1, 2, 3, 4+,
-- or never.
CREATE OR REPLACE MACRO pp1_attempts(src) AS TABLE
WITH topups AS (
  SELECT processId, min(userAttempt) FILTER (WHERE succeeded) AS first
  FROM request_journeys(src) WHERE srv = '2.2' AND processId IS NOT NULL GROUP BY processId),
bands AS (SELECT * FROM (VALUES ('1', 1), ('2', 2), ('3', 3), ('4+', 4), ('never', 5)) b(attempts, rank))
SELECT b.attempts, count(t.processId) AS topUps,
       100.0 * count(t.processId) / nullif((SELECT count(*) FROM topups), 0) AS pctTopUps
FROM bands b
LEFT JOIN topups t ON b.attempts = CASE WHEN t.first IS NULL THEN 'never' WHEN t.first >= 4 THEN '4+' ELSE CAST(t.first AS VARCHAR) END
GROUP BY b.attempts, b.rank
ORDER BY b.rank;

-- PP1 (Indicator): "Where failure is above 5%, provide further details on the
-- reason for the failure": every failed 2.2 response by its reason (the
-- response code; a failure alert after an I0; lost: truth only), excludable
-- ones included (they are reasons too), with its share of the failures. The
-- report lists those above 5%.
CREATE OR REPLACE MACRO pp1_failure_reasons(src) AS TABLE
SELECT reason, count(*) AS failures, 100.0 * count(*) / sum(count(*)) OVER () AS pctOfFailures
FROM (SELECT coalesce(CASE WHEN responseCode = 'I0' THEN failureAlertCode END, responseCode, outcome) AS reason
      FROM request_journeys(src) WHERE srv = '2.2' AND NOT succeeded)
GROUP BY reason
ORDER BY failures DESC, reason;

-- SECMP0053 (seed 002): Requirement 1, 6.14.1, 6.14.2 and 7.9 from 24 hours to
-- 30 seconds; Requirement 2, 4.8.1 from 30 seconds to 5600 seconds. The same
-- round trips against both TRTs (srv_catalogue, from src/dcc/srvs.ts; a
-- SMETS1 TRT of its own where the catalogue has one), whichever the run used.
CREATE OR REPLACE MACRO secmp0053_trt(src) AS TABLE
SELECT srv, coalesce(region, 'All') AS region,
       count(*)                                         AS volume,
       max(trtBefore)                                   AS trtBeforeMs,
       max(trtAfter)                                    AS trtAfterMs,
       count(*) FILTER (WHERE rttMs <= trtBefore)       AS withinBefore,
       100.0 * count(*) FILTER (WHERE rttMs <= trtBefore) / count(*) AS pctWithinBefore,
       count(*) FILTER (WHERE rttMs <= trtAfter)        AS withinAfter,
       100.0 * count(*) FILTER (WHERE rttMs <= trtAfter) / count(*) AS pctWithinAfter
FROM (SELECT j.srv, j.region, j.rttMs,
             CASE WHEN j.region = 'SMETS1' AND c.trtSmets1Ms IS NOT NULL THEN c.trtSmets1Ms ELSE c.trtMs END AS trtBefore,
             CASE WHEN j.region = 'SMETS1' AND c.trtSmets1Ms IS NOT NULL THEN c.trtSmets1Ms ELSE coalesce(c.trtSecmp0053Ms, c.trtMs) END AS trtAfter
      FROM request_journeys(src) j JOIN srv_catalogue c ON c.srv = j.srv
      WHERE j.counted AND c.trtSecmp0053Ms IS NOT NULL)
GROUP BY GROUPING SETS ((srv, region), (srv))
ORDER BY group_rank('srv', srv), region_rank(coalesce(region, 'All'));
