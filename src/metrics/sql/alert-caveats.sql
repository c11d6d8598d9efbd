-- The known measurement caveats of the alert timing points, as numbers: each
-- compares a feed's time point with the true one for the same alert
-- (dsp_ast joined to ground_truth on alertId). Source: seed 001 (SECMP0122B
-- CR4445 FIA), section 4.2 and its issues MP122B-DC1 and MP122-DC2; seed 004,
-- 2.3.1 (Speed: mean versus median).

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
CREATE OR REPLACE MACRO caveat_mean_vs_median(src) AS TABLE
SELECT periodStart AS windowStart, alerts, meanMs, medianMs, meanMs - medianMs AS meanMinusMedianMs, p95Ms, maxMs
FROM alert_hop_latency(src, bucket := INTERVAL 15 MINUTE)
WHERE hop = 'endToEnd' AND region = 'All' AND alertCode = 'All'
ORDER BY windowStart;
