-- Service Request metrics: RSVP (Rate, Speed, Volume, Payload) per SRV by
-- region. Source: seed 004 (SECMP0122 PIA), Requirement 1, section 2.3.1 and
-- Table 2 ("Prepayment - Top Up Device Remotely") for the shape: average and
-- median RTT, range, % of Service Responses within the Target Response Time,
-- volume, % failed; reported by region for SMETS2+ and for SMETS1 apart
-- (2.3.2). Exclusions: seed 003 section 4 (the DCC Exclusion List, "User
-- action/error") and seed 004 section 3 ("valid failures for the DCC, such
-- as authentication errors").
--
-- Two sources of the same shape, as for alerts (sources.sql): the DSP service
-- audit trail as reported, and request-truth.jsonl as it happened. Columns:
--   requestId, srv, timing, serviceUser, region, targetResponseTimeMs,
--   clockStartTimestamp   receipt from the User; future-dated and scheduled
--                         requests: their execution time (DOMAIN.md)
--   responseSentTimestamp the response sent to the User (NULL: never answered)
--   responseCode          I0, E201, E212, E1, E3 (NULL: never answered)
--   outcome               success | failure | lost (lost: truth only, the DSP never saw it)
--   excludable            a failure the DCC does not count against itself
CREATE OR REPLACE VIEW audit_requests AS
SELECT requestId, srv, timing, serviceUser, region, targetResponseTimeMs,
       coalesce(executionTimestamp, receivedFromUserTimestamp) AS clockStartTimestamp,
       responseSentTimestamp, responseCode, outcome, excludable
FROM dsp_service_audit;

-- Requests lost before the DSP are in the truth only: the feeds cannot count them.
CREATE OR REPLACE VIEW truth_requests AS
SELECT requestId, srv, timing, serviceUser, region, targetResponseTimeMs,
       trueClockStartTimestamp AS clockStartTimestamp,
       trueResponseSentTimestamp AS responseSentTimestamp, responseCode, outcome, excludable
FROM request_truth;

-- One row per request with its RTT (ms) and what it counts as.
--   counted:       not excludable (the DCC Exclusion List takes it out of every figure)
--   failed:        E201 or E212 (seed 004 2.3.1 Payload), or lost (truth only)
--   withinTarget:  a response sent within its TRT, inclusive (rttMs <= targetResponseTimeMs)
CREATE OR REPLACE MACRO request_journeys(src) AS TABLE
SELECT *,
       epoch_ms(responseSentTimestamp) - epoch_ms(clockStartTimestamp) AS rttMs,
       NOT excludable AS counted,
       coalesce(responseCode IN ('E201', 'E212'), false) OR outcome = 'lost' AS failed,
       coalesce(epoch_ms(responseSentTimestamp) - epoch_ms(clockStartTimestamp) <= targetResponseTimeMs, false) AS withinTarget
FROM query_table(src);

-- RSVP per SRV and region (with 'All' regions per SRV), in seed 004 Table 2's
-- measures. Speed is over every counted response, failures included (a failure
-- response is still a Service Response); volume is the counted requests;
-- excluded the excludable ones left out.
CREATE OR REPLACE MACRO rsvp_requests(src) AS TABLE
SELECT srv, coalesce(region, 'All') AS region,
       avg(rttMs) FILTER (WHERE counted)                         AS averageMs,
       quantile_cont(rttMs, 0.5) FILTER (WHERE counted)          AS medianMs,
       min(rttMs) FILTER (WHERE counted)                         AS shortestMs,
       max(rttMs) FILTER (WHERE counted)                         AS longestMs,
       100.0 * count(*) FILTER (WHERE counted AND withinTarget) / nullif(count(*) FILTER (WHERE counted), 0) AS pctWithinTarget,
       count(*) FILTER (WHERE counted)                           AS volume,
       100.0 * count(*) FILTER (WHERE counted AND failed) / nullif(count(*) FILTER (WHERE counted), 0) AS pctFailed,
       count(*) FILTER (WHERE NOT counted)                       AS excluded
FROM request_journeys(src)
GROUP BY GROUPING SETS ((srv, region), (srv))
ORDER BY string_split(srv, '.')::INTEGER[], region_rank(coalesce(region, 'All'));
