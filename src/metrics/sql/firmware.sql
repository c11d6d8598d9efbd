-- Firmware metrics: DF1-DF3 (seed 004, 2.4.5 Update Device Firmware) and
-- CH1-CH2 (2.4.6 Update Comms Hub Firmware), by region with SMETS1 apart
-- (2.3.2), per day for the line graph (2.3.1) and per campaign.
--
-- Two sources of one shape, as for alerts: the daily firmware throughput the
-- Service Providers send (firmware_daily, CR1421/CR1440; firmware_comms_hub_daily,
-- CR1423) and the same counts rebuilt from firmware-truth.jsonl. The truth
-- counts what happened: an image that reached a device that never said so is
-- "transferred" there, where the feed can only count the devices' alerts.
--
-- Seed 003 ("Devices where the SRV 11.1 reporting wouldn't be available";
-- section 4, the DCC Exclusion List): devices of makes that never acknowledge
-- (IOC/MDS PPMIDs) are left out of DF2 and shown in rows of their own.

-- SR11.1's target (seed 004 Figure 1): the image at every relevant CHF within 5 days.
CREATE OR REPLACE MACRO df1_target_ms() AS 5 * 86400000;

CREATE OR REPLACE VIEW firmware_truth_events AS
SELECT campaignId, region, deviceType, CAST(t AS DATE) AS day, what
FROM (
  SELECT *, unnest([
    {'t': trueRequestedTimestamp, 'what': 'targeted'},
    {'t': trueChfReceivedTimestamp, 'what': 'distributedToChf'},
    {'t': CASE WHEN epoch_ms(trueChfReceivedTimestamp) - epoch_ms(trueRequestedTimestamp) <= df1_target_ms() THEN trueChfReceivedTimestamp END, 'what': 'distributedWithinTarget'},
    {'t': trueTargetMissedTimestamp, 'what': 'missedTarget'},
    {'t': trueDistributionFailedTimestamp, 'what': 'distributionFailed'},
    {'t': trueDeviceReceivedTimestamp, 'what': 'transferredToDevice'},
    {'t': CASE WHEN verification = 'verified' THEN trueVerificationTimestamp END, 'what': 'verified'},
    {'t': CASE WHEN verification = 'failed' THEN trueVerificationTimestamp END, 'what': 'verificationFailed'},
    {'t': trueSilentTimestamp, 'what': 'silent'},
    {'t': CASE WHEN verification = 'noAcknowledgement' THEN trueChfReceivedTimestamp END, 'what': 'noAcknowledgement'},
    {'t': CASE WHEN activation = 'success' THEN trueActivationResponseTimestamp END, 'what': 'activationSuccess'},
    {'t': CASE WHEN activation = 'failure' THEN trueActivationResponseTimestamp END, 'what': 'activationFailure'}
  ], recursive := true)
  FROM firmware_truth
)
WHERE t IS NOT NULL;

-- The truth in the daily feed's shape (device firmware; CH rows for the hub file below).
CREATE OR REPLACE VIEW firmware_daily_truth AS
SELECT day, campaignId, region, deviceType,
       count(*) FILTER (WHERE what = 'targeted')                AS targeted,
       count(*) FILTER (WHERE what = 'distributedToChf')        AS distributedToChf,
       count(*) FILTER (WHERE what = 'distributedWithinTarget') AS distributedWithinTarget,
       count(*) FILTER (WHERE what = 'missedTarget')            AS missedTarget,
       count(*) FILTER (WHERE what = 'distributionFailed')      AS distributionFailed,
       count(*) FILTER (WHERE what = 'transferredToDevice')     AS transferredToDevice,
       count(*) FILTER (WHERE what = 'verified')                AS verified,
       count(*) FILTER (WHERE what = 'verificationFailed')      AS verificationFailed,
       count(*) FILTER (WHERE what = 'silent')                  AS silent,
       count(*) FILTER (WHERE what = 'noAcknowledgement')       AS noAcknowledgement,
       count(*) FILTER (WHERE what = 'activationSuccess')       AS activationSuccess,
       count(*) FILTER (WHERE what = 'activationFailure')       AS activationFailure
FROM firmware_truth_events
WHERE deviceType <> 'CH'
GROUP BY ALL;

CREATE OR REPLACE VIEW firmware_comms_hub_truth AS
SELECT day, campaignId, region,
       count(*) FILTER (WHERE what = 'targeted')           AS attempts,
       count(*) FILTER (WHERE what = 'distributedToChf')   AS successes,
       count(*) FILTER (WHERE what = 'distributionFailed') AS failures,
       count(*) FILTER (WHERE what = 'activationSuccess')  AS activations,
       count(*) FILTER (WHERE what = 'activationFailure')  AS activationFailures
FROM firmware_truth_events
WHERE deviceType = 'CH'
GROUP BY ALL;

-- DF1 (Measure): % of SRV 11.1 images at the CHF (SMETS1: uploaded by the S1SP)
-- within 5 days, over the devices whose 5 days have passed or whose image arrived
-- in them (a device still inside its 5 days, image not yet there, is undecided).
CREATE OR REPLACE MACRO df1(src) AS TABLE
SELECT coalesce(region, 'All') AS region,
       sum(targeted)::BIGINT AS targeted,
       sum(distributedToChf)::BIGINT AS distributed,
       sum(distributedWithinTarget)::BIGINT AS withinTarget,
       sum(missedTarget)::BIGINT AS missedTarget,
       sum(distributionFailed)::BIGINT AS failed,
       100.0 * sum(distributedWithinTarget) / nullif(sum(distributedWithinTarget) + sum(missedTarget), 0) AS pctWithinTarget
FROM query_table(src)
GROUP BY GROUPING SETS ((region), ())
ORDER BY region_rank(coalesce(region, 'All'));

-- DF2 (Indicator): device verification 8F72 (verified), 8F1C (failed), and
-- devices silent past the deadline (failure to transfer), as shares of the
-- devices expected to say; then the devices left out, in rows of their own:
-- makes that never acknowledge (seed 003) and SMETS1, whose S1SP reports the
-- upload instead of a HAN alert (CR1440).
CREATE OR REPLACE MACRO df2(src) AS TABLE
WITH t AS (
  SELECT coalesce(region, 'All') AS region,
         sum(verified)::BIGINT AS verified, sum(verificationFailed)::BIGINT AS failed, sum(silent)::BIGINT AS silent,
         sum(noAcknowledgement)::BIGINT AS noAck,
         sum(transferredToDevice) FILTER (WHERE region = 'SMETS1')::BIGINT AS s1spUploads
  FROM query_table(src)
  GROUP BY GROUPING SETS ((region), ())
)
SELECT * EXCLUDE (rank) FROM (
  SELECT region, 'counted' AS population, verified + failed + silent AS devices, verified, failed, silent,
         100.0 * verified / nullif(verified + failed + silent, 0) AS pctVerified,
         100.0 * failed / nullif(verified + failed + silent, 0) AS pctFailed,
         100.0 * silent / nullif(verified + failed + silent, 0) AS pctSilent, 0 AS rank
  FROM t WHERE region <> 'SMETS1'
  UNION ALL
  SELECT region, 'excluded: never acknowledges (seed 003)', noAck, NULL, NULL, NULL, NULL, NULL, NULL, 1 FROM t WHERE noAck > 0
  UNION ALL
  SELECT 'SMETS1', 'excluded: SMETS1, S1SP upload report (CR1440)', coalesce(s1spUploads, 0), NULL, NULL, NULL, NULL, NULL, NULL, 2
  FROM t WHERE region = 'SMETS1'
)
ORDER BY rank, region_rank(region);

-- DF3 (Indicator): success and failure responses to SRV 11.3.
CREATE OR REPLACE MACRO df3(src) AS TABLE
SELECT coalesce(region, 'All') AS region,
       sum(activationSuccess)::BIGINT AS success, sum(activationFailure)::BIGINT AS failure,
       100.0 * sum(activationSuccess) / nullif(sum(activationSuccess) + sum(activationFailure), 0) AS pctSuccess,
       100.0 * sum(activationFailure) / nullif(sum(activationSuccess) + sum(activationFailure), 0) AS pctFailure
FROM query_table(src)
GROUP BY GROUPING SETS ((region), ())
ORDER BY region_rank(coalesce(region, 'All'));

-- CH1 (Indicator): % of Comms Hub images downloaded to the hub, of the downloads that ended.
CREATE OR REPLACE MACRO ch1(src) AS TABLE
SELECT coalesce(region, 'All') AS region,
       sum(attempts)::BIGINT AS attempts, sum(successes)::BIGINT AS successes, sum(failures)::BIGINT AS failures,
       100.0 * sum(successes) / nullif(sum(successes) + sum(failures), 0) AS pctSuccess
FROM query_table(src)
GROUP BY GROUPING SETS ((region), ())
ORDER BY region_rank(coalesce(region, 'All'));

-- CH2 (Indicator): % of Comms Hub image activations that succeeded.
CREATE OR REPLACE MACRO ch2(src) AS TABLE
SELECT coalesce(region, 'All') AS region,
       sum(activations)::BIGINT AS activations, sum(activationFailures)::BIGINT AS activationFailures,
       100.0 * sum(activations) / nullif(sum(activations) + sum(activationFailures), 0) AS pctActivated
FROM query_table(src)
GROUP BY GROUPING SETS ((region), ())
ORDER BY region_rank(coalesce(region, 'All'));

-- DF1-DF3 per day, all regions (the line graph: seed 004 2.3.1, daily data points).
CREATE OR REPLACE MACRO firmware_daily_figures(src) AS TABLE
SELECT CAST(day AS VARCHAR) AS day,
       100.0 * sum(distributedWithinTarget) / nullif(sum(distributedWithinTarget) + sum(missedTarget), 0) AS pctDf1,
       100.0 * sum(verified) / nullif(sum(verified) + sum(verificationFailed) + sum(silent), 0) AS pctDf2,
       100.0 * sum(activationSuccess) / nullif(sum(activationSuccess) + sum(activationFailure), 0) AS pctDf3,
       sum(distributedToChf)::BIGINT AS distributed, sum(activationSuccess)::BIGINT AS activated
FROM query_table(src)
GROUP BY day
ORDER BY day;

-- Campaign totals.
CREATE OR REPLACE MACRO firmware_campaigns(src) AS TABLE
SELECT campaignId, deviceType,
       sum(targeted)::BIGINT AS targeted, sum(distributedToChf)::BIGINT AS distributed,
       100.0 * sum(distributedWithinTarget) / nullif(sum(distributedWithinTarget) + sum(missedTarget), 0) AS pctDf1,
       sum(verified)::BIGINT AS verified, sum(verificationFailed)::BIGINT AS failed, sum(silent)::BIGINT AS silent,
       sum(noAcknowledgement)::BIGINT AS noAcknowledgement,
       sum(activationSuccess)::BIGINT AS activated, sum(activationFailure)::BIGINT AS activationFailed
FROM query_table(src)
GROUP BY ALL
ORDER BY campaignId, deviceType;
