-- The known measurement caveats of the alert timing points, as numbers. The
-- first two compare a feed's time point with the true one for the same alert
-- (dsp_ast joined to ground_truth on alertId); the others are macros over a
-- source, like the metrics, so the feed and the truth are set side by side.
-- Source: seed 001 (SECMP0122B CR4445 FIA), section 4.2 and its issues
-- MP122B-DC1 and MP122-DC2; seed 004, 2.3.1 (Speed: mean versus median);
-- seed 000, CR1438 (SMETS1 time points T1, T2).

-- MP122-DC2: "The CSP N timestamp measures when the Alert leaves CSP N rather
-- than when it arrives ... constant, at about 350ms". Reported
-- cspReceivedTimestamp minus the true arrival, by region and alert type (zero
-- where the CSP stamps arrival; for AD1, a DCC Alert, the CSP point is the last
-- gasp's arrival, so North's offset shows on Device Alerts).
CREATE OR REPLACE MACRO caveat_csp_received() AS TABLE
SELECT a.region, a.alertType,
       count(*)                                                        AS alerts,
       avg(epoch_ms(a.cspReceivedTimestamp) - epoch_ms(g.trueCspArrivalTimestamp))            AS meanOffsetMs,
       quantile_cont(epoch_ms(a.cspReceivedTimestamp) - epoch_ms(g.trueCspArrivalTimestamp), 0.5) AS medianOffsetMs,
       min(epoch_ms(a.cspReceivedTimestamp) - epoch_ms(g.trueCspArrivalTimestamp))            AS minOffsetMs,
       max(epoch_ms(a.cspReceivedTimestamp) - epoch_ms(g.trueCspArrivalTimestamp))            AS maxOffsetMs
FROM dsp_ast a JOIN ground_truth g USING (alertId)
WHERE a.cspReceivedTimestamp IS NOT NULL AND g.trueCspArrivalTimestamp IS NOT NULL
GROUP BY a.region, a.alertType
ORDER BY region_rank(a.region), a.alertType DESC;

-- MP122B-DC1: HubTimestamp "is for the WAN side of the CH, not the HAN side ...
-- in 99.9% of cases it will be practically identical to the HAN side time. It
-- would not identify any delay in the Comms Hub processing of an Alert."
-- Reported chfReceivedTimestamp minus the true HAN-side receipt at the CHF, by
-- region; pctIdentical: share with a difference of at most 1 ms. Also the
-- alerts whose record has no chfReceivedTimestamp at all (A1's clock then
-- starts later, at cspReceivedTimestamp).
CREATE OR REPLACE MACRO caveat_hub_time() AS TABLE
SELECT a.region,
       count(*)                                                              AS alerts,
       count(a.chfReceivedTimestamp)                                         AS withHubTime,
       count(*) - count(a.chfReceivedTimestamp)                              AS withoutHubTime,
       avg(epoch_ms(a.chfReceivedTimestamp) - epoch_ms(g.trueChfReceivedTimestamp))               AS meanOffsetMs,
       quantile_cont(epoch_ms(a.chfReceivedTimestamp) - epoch_ms(g.trueChfReceivedTimestamp), 0.99) AS p99OffsetMs,
       max(epoch_ms(a.chfReceivedTimestamp) - epoch_ms(g.trueChfReceivedTimestamp))               AS maxOffsetMs,
       100.0 * count(*) FILTER (WHERE abs(epoch_ms(a.chfReceivedTimestamp) - epoch_ms(g.trueChfReceivedTimestamp)) <= 1)
         / nullif(count(*) FILTER (WHERE a.chfReceivedTimestamp IS NOT NULL AND g.trueChfReceivedTimestamp IS NOT NULL), 0) AS pctIdentical
FROM dsp_ast a JOIN ground_truth g USING (alertId)
GROUP BY a.region
ORDER BY region_rank(a.region);

-- Seed 004, 2.3.1: "an average can be skewed by extremely large or small
-- values". Mean and median of A1's end-to-end time in every 15-minute window,
-- all regions, as the feeds report them; the gap is largest in a storm.
CREATE OR REPLACE MACRO caveat_mean_vs_median(src, a1_start := 'raised') AS TABLE
SELECT periodStart AS windowStart, alerts, meanMs, medianMs, meanMs - medianMs AS meanMinusMedianMs, p95Ms, maxMs
FROM alert_hop_latency(src, bucket := INTERVAL 15 MINUTE, a1_start := a1_start)
WHERE hop = 'endToEnd' AND region = 'All' AND alertCode = 'All'
ORDER BY windowStart;

-- SMETS1's start point (seed 000, CR1438: T1 "when alert condition was
-- triggered in device", T2 "when alert was sent by CH and received by SMSO").
-- A1's clock starts at T1, found in the S1SP audit trail by the AST record's
-- sourceId; the AST record alone gives only T2, which would show SMETS1 faster
-- than it is by T2 - T1. Both, for the SMETS1 alerts: withT1 is how many
-- records the audit trail gives a T1 for (the rest start at T2 either way),
-- T2 - T1, and A1 and the median end to end from each start point.
CREATE OR REPLACE MACRO caveat_smets1_start(src, sla_ms := 60000) AS TABLE
WITH j AS (
  SELECT counted, outcome, endToEndMs,
         epoch_ms(cspReceivedTimestamp) - epoch_ms(conditionTimestamp) AS t1ToT2Ms,
         epoch_ms(serviceUserHandshakeTimestamp) - epoch_ms(coalesce(cspReceivedTimestamp, dspReceivedTimestamp)) AS fromT2Ms,
         conditionTimestamp
  FROM a1_journeys(src, sla_ms, 'raised')
  WHERE region = 'SMETS1'
)
SELECT 'SMETS1' AS region,
       count(*) FILTER (WHERE counted)                                        AS alerts,
       count(conditionTimestamp) FILTER (WHERE counted)                       AS withT1,
       avg(t1ToT2Ms) FILTER (WHERE counted)                                   AS meanT1ToT2Ms,
       quantile_cont(t1ToT2Ms, 0.5) FILTER (WHERE counted)                    AS medianT1ToT2Ms,
       100.0 * count(*) FILTER (WHERE outcome = 'delivered' AND endToEndMs <= sla_ms)
         / nullif(count(*) FILTER (WHERE counted), 0)                         AS pctWithinTargetFromT1,
       100.0 * count(*) FILTER (WHERE outcome = 'delivered' AND fromT2Ms <= sla_ms)
         / nullif(count(*) FILTER (WHERE counted), 0)                         AS pctWithinTargetFromT2,
       quantile_cont(endToEndMs, 0.5) FILTER (WHERE outcome = 'delivered')    AS medianFromT1Ms,
       quantile_cont(fromT2Ms, 0.5) FILTER (WHERE outcome = 'delivered')      AS medianFromT2Ms
FROM j
HAVING count(*) FILTER (WHERE counted) > 0;

-- Clock skew made visible. A hub whose clock has drifted stamps HubTimestamp
-- (chfReceivedTimestamp) early or late (seed 001, 4.2, MP122B-DC1: the WAN-side
-- time); stamped late, the hop to the CSP, and even the whole journey, comes
-- out negative. The figures keep every record as reported; this counts, per
-- region and all, the records with a negative hop (a later point stamped
-- before an earlier one) and those with an implausible one (longer than
-- max_hop_ms, a day by default: the DSP's retries end within minutes and an
-- alert is failed, not delivered, after them), and gives the most negative
-- hub-to-CSP and end-to-end times. A record counts once however many of its
-- hops are flagged (least and greatest skip the hops it lacks).
CREATE OR REPLACE MACRO caveat_hop_quality(src, a1_start := 'raised', max_hop_ms := 86400000) AS TABLE
WITH j AS (
  SELECT region, hubToCspMs, cspToDspMs, dspToServiceUserMs, serviceUserHandshakeMs, endToEndMs,
         least(hubToCspMs, cspToDspMs, dspToServiceUserMs, serviceUserHandshakeMs, endToEndMs) < 0 AS negative,
         greatest(hubToCspMs, cspToDspMs, dspToServiceUserMs, serviceUserHandshakeMs, endToEndMs) > max_hop_ms AS implausible
  FROM alert_journeys(src, a1_start)
)
SELECT coalesce(region, 'All')                                    AS region,
       count(*)                                                   AS alerts,
       count(*) FILTER (WHERE negative OR implausible)            AS flagged,
       count(*) FILTER (WHERE hubToCspMs < 0)                     AS negativeHubToCsp,
       count(*) FILTER (WHERE cspToDspMs < 0)                     AS negativeCspToDsp,
       count(*) FILTER (WHERE dspToServiceUserMs < 0)             AS negativeDspToServiceUser,
       count(*) FILTER (WHERE serviceUserHandshakeMs < 0)         AS negativeServiceUserHandshake,
       count(*) FILTER (WHERE endToEndMs < 0)                     AS negativeEndToEnd,
       count(*) FILTER (WHERE implausible)                        AS implausible,
       min(hubToCspMs)                                            AS minHubToCspMs,
       min(endToEndMs)                                            AS minEndToEndMs,
       100.0 * count(*) FILTER (WHERE negative OR implausible) / count(*) AS pctFlagged
FROM j
GROUP BY ROLLUP (region)
HAVING count(*) > 0
ORDER BY region_rank(coalesce(region, 'All'));
