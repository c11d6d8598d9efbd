-- Service Request metrics: RSVP (Rate, Speed, Volume, Payload) per SRV and per
-- business process, by region. Source: seed 004 (SECMP0122 PIA), Requirement
-- 1, section 2.3.1 and Table 2 ("Prepayment - Top Up Device Remotely") for the
-- shape: average and median RTT, range, % of Service Responses within the
-- Target Response Time, volume, % failed; reported by region for SMETS2+ and
-- for SMETS1 apart (2.3.2), monthly and daily ("plotted using a line graph
-- representation with daily data points. The SRVs shall also be reported at a
-- monthly level"); business processes as Table 1 names them. Exclusions: seed
-- 003 section 4 (the DCC Exclusion List, "User action/error") and seed 004
-- section 3 ("valid failures for the DCC, such as authentication errors").
--
-- Two sources of the same shape, as for alerts (sources.sql): the DSP service
-- audit trail as reported, and request-truth.jsonl as it happened; tables, so
-- that their joins are made once and not by every figure. Columns:
--   requestId, srv, timing, serviceUser, region, targetResponseTimeMs,
--   clockStartTimestamp   receipt from the User; future-dated and scheduled
--                         requests: their execution time (DOMAIN.md)
--   sentTimestamp         when the User sent it: the DSP's receipt (scheduled:
--                         the execution time); the truth's lost requests: the User's send
--   responseSentTimestamp the response sent to the User (NULL: never answered)
--   responseCode          I0, E201, E212, E1, E3 (NULL: never answered)
--   outcome               success | failure | lost (lost: truth only, the DSP never saw it)
--   excludable            a failure the DCC does not count against itself
--   exclusionReason       validFailure (E1, E3) | notWaited (sent before the previous step succeeded)
--   deviceId, deviceType, businessProcess, processId, step, userAttempt
--   failureAlertCode      N12 or N13 the DSP raised after it (seed 004 2.3.1 Payload)
--
-- The feed's N12/N13: dsp-ast.jsonl's DCC Alert to the same User about the
-- same device, raised as the DSP sent the failed response (docs/feeds.md).
CREATE OR REPLACE TABLE audit_requests AS
SELECT a.requestId, a.srv, a.timing, a.serviceUser, a.region, a.targetResponseTimeMs,
       coalesce(a.executionTimestamp, a.receivedFromUserTimestamp) AS clockStartTimestamp,
       coalesce(a.receivedFromUserTimestamp, a.executionTimestamp) AS sentTimestamp,
       a.responseSentTimestamp, a.responseCode, a.outcome, a.excludable, a.exclusionReason,
       a.deviceId, a.deviceType, a.businessProcess, a.processId, a.step, a.userAttempt,
       f.alertCode AS failureAlertCode
FROM dsp_service_audit a
LEFT JOIN (SELECT targetUser, deviceId, dspReceivedTimestamp, min(alertCode) AS alertCode
           FROM dsp_ast WHERE alertCode IN ('N12', 'N13') GROUP BY ALL) f
  ON f.targetUser = a.serviceUser AND f.deviceId = a.deviceId AND f.dspReceivedTimestamp = a.responseSentTimestamp;

-- Requests lost before the DSP are in the truth only: the feeds cannot count them.
-- Device and process come from the truth when it has them (request_truth_attrs),
-- else from the DSP's record of the same request; a lost request without them
-- belongs to its SRV's business process when the SRV has only one.
CREATE OR REPLACE TABLE truth_requests AS
SELECT t.requestId, t.srv, t.timing, t.serviceUser, t.region, t.targetResponseTimeMs,
       t.trueClockStartTimestamp AS clockStartTimestamp,
       coalesce(t.trueDspReceivedTimestamp, t.trueClockStartTimestamp, t.trueSentByUserTimestamp) AS sentTimestamp,
       t.trueResponseSentTimestamp AS responseSentTimestamp, t.responseCode, t.outcome, t.excludable,
       coalesce(x.exclusionReason, a.exclusionReason) AS exclusionReason,
       coalesce(x.deviceId, a.deviceId) AS deviceId,
       coalesce(x.deviceType, a.deviceType) AS deviceType,
       coalesce(x.businessProcess, a.businessProcess, c.process) AS businessProcess,
       coalesce(x.processId, a.processId) AS processId,
       coalesce(x.step, a.step) AS step,
       coalesce(x.userAttempt, a.userAttempt) AS userAttempt,
       t.failureAlertCode
FROM request_truth t
LEFT JOIN request_truth_attrs x ON x.requestId = t.requestId
LEFT JOIN dsp_service_audit a ON a.requestId = t.requestId
LEFT JOIN srv_catalogue c ON c.srv = t.srv;

-- One row per request with its RTT (ms) and what it counts as.
--   counted:       not excludable (the DCC Exclusion List takes it out of every figure)
--   failed:        E201 or E212, or a failure alert N12/N13 after it (seed 004 2.3.1
--                  Payload), or lost (truth only)
--   succeeded:     I0 and no failure alert after it
--   withinTarget:  a response sent within its TRT, inclusive (rttMs <= targetResponseTimeMs)
--   month, day:    of the clock's start (a lost request: of the User's send)
CREATE OR REPLACE MACRO request_journeys(src) AS TABLE
SELECT *,
       epoch_ms(responseSentTimestamp) - epoch_ms(clockStartTimestamp) AS rttMs,
       NOT excludable AS counted,
       coalesce(responseCode IN ('E201', 'E212'), false) OR failureAlertCode IS NOT NULL OR outcome = 'lost' AS failed,
       coalesce(responseCode = 'I0', false) AND failureAlertCode IS NULL AS succeeded,
       coalesce(epoch_ms(responseSentTimestamp) - epoch_ms(clockStartTimestamp) <= targetResponseTimeMs, false) AS withinTarget,
       strftime(coalesce(clockStartTimestamp, sentTimestamp), '%Y-%m') AS month,
       strftime(coalesce(clockStartTimestamp, sentTimestamp), '%Y-%m-%d') AS day
FROM query_table(src);

-- RSVP in seed 004 Table 2's measures, per `per` ('month' or 'day') and
-- per group `grp` ('srv' or 'process'), each region and 'All'. Speed is over
-- every counted response, failures included (a failure response is still a
-- Service Response); volume is the counted requests; the excludable ones are
-- left out of every figure and shown in their own columns, by reason.
CREATE OR REPLACE MACRO rsvp_measures(src, grp, per) AS TABLE
SELECT j.period, j.name, coalesce(j.region, 'All') AS region,
       avg(rttMs) FILTER (WHERE counted)                         AS averageMs,
       quantile_cont(rttMs, 0.5) FILTER (WHERE counted)          AS medianMs,
       min(rttMs) FILTER (WHERE counted)                         AS shortestMs,
       max(rttMs) FILTER (WHERE counted)                         AS longestMs,
       100.0 * count(*) FILTER (WHERE counted AND withinTarget) / nullif(count(*) FILTER (WHERE counted), 0) AS pctWithinTarget,
       count(*) FILTER (WHERE counted)                           AS volume,
       100.0 * count(*) FILTER (WHERE counted AND failed) / nullif(count(*) FILTER (WHERE counted), 0) AS pctFailed,
       count(*) FILTER (WHERE NOT counted)                       AS excluded,
       count(*) FILTER (WHERE exclusionReason = 'validFailure')  AS excludedValidFailure,
       count(*) FILTER (WHERE exclusionReason = 'notWaited')     AS excludedNotWaited
FROM (SELECT *, CASE WHEN per = 'day' THEN day ELSE month END AS period,
             coalesce(CASE WHEN grp = 'srv' THEN srv ELSE businessProcess END, 'unknown') AS name
      FROM request_journeys(src)) j
LEFT JOIN request_groups g ON g.kind = grp AND g.name = j.name
GROUP BY GROUPING SETS ((j.period, j.name, j.region), (j.period, j.name))
ORDER BY j.period, any_value(g.rank), j.name, region_rank(coalesce(j.region, 'All'));

-- Seed 004 Table 2 per SRV and per business process, monthly and daily.
CREATE OR REPLACE MACRO rsvp_requests(src) AS TABLE
SELECT period AS month, name AS srv, * EXCLUDE (period, name) FROM rsvp_measures(src, 'srv', 'month');
CREATE OR REPLACE MACRO rsvp_requests_daily(src) AS TABLE
SELECT period AS day, name AS srv, * EXCLUDE (period, name) FROM rsvp_measures(src, 'srv', 'day');
CREATE OR REPLACE MACRO rsvp_processes(src) AS TABLE
SELECT period AS month, name AS process, * EXCLUDE (period, name) FROM rsvp_measures(src, 'process', 'month');
CREATE OR REPLACE MACRO rsvp_processes_daily(src) AS TABLE
SELECT period AS day, name AS process, * EXCLUDE (period, name) FROM rsvp_measures(src, 'process', 'day');
