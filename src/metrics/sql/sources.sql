-- The two sources every metric is computed from, in the same shape: the alert
-- journeys as the DSP Alert Supplementary Timing log reports them, and the same
-- journeys as they truly happened (ground-truth.jsonl). Each metric macro takes
-- the name of one of these views, so that every figure is computed twice by the
-- one definition and the two can be set side by side.
--
-- Columns (all timestamps UTC, millisecond precision):
--   alertId, alertCode, region, targetUser,
--   chfReceivedTimestamp          received by the Comms Hub Function
--   cspReceivedTimestamp          received by the CSP (SMETS1: T2)
--   cspPassedTimestamp            passed to the DSP by the CSP / S1SP (T5)
--   dspReceivedTimestamp          received by the DSP
--   passedToServiceUserTimestamp  first attempt to pass it to the User
--   serviceUserHandshakeTimestamp the User's handshake confirming receipt
--   outcome                       delivered | failed | rejected
--   throttled                     held by the DSP's per-User throttle

-- As reported. For CSP North, chfReceivedTimestamp is the hub's WAN-side SDK time
-- (HubTimestamp) and cspReceivedTimestamp is the moment the alert LEFT CSP North,
-- about 350 ms after it arrived (seed 001, section 4.2, issues MP122B-DC1, MP122-DC2).
CREATE OR REPLACE VIEW ast_alerts AS
SELECT alertId, alertCode, region, targetUser,
       chfReceivedTimestamp, cspReceivedTimestamp, cspPassedTimestamp,
       dspReceivedTimestamp, passedToServiceUserTimestamp, serviceUserHandshakeTimestamp,
       outcome, throttled
FROM dsp_ast;

-- As it happened: the HAN-side receipt at the CHF, the arrival (not departure)
-- at the CSP. The throttle flag is not a time and is taken from the AST record.
-- A table, not a view: every metric reads it, and the join is done once.
-- The same alerts as the feed figures: those the DSP received. Alerts lost
-- before the DSP (outcome 'lost', no DSP receipt) are in ground_truth only.
CREATE OR REPLACE TABLE truth_alerts AS
SELECT g.alertId, g.alertCode, g.region, g.targetUser,
       g.trueChfReceivedTimestamp         AS chfReceivedTimestamp,
       g.trueCspArrivalTimestamp          AS cspReceivedTimestamp,
       g.trueCspDepartureTimestamp        AS cspPassedTimestamp,
       g.trueDspReceivedTimestamp         AS dspReceivedTimestamp,
       g.truePassedToServiceUserTimestamp AS passedToServiceUserTimestamp,
       g.trueHandshakeTimestamp           AS serviceUserHandshakeTimestamp,
       g.outcome,
       coalesce(a.throttled, false)       AS throttled
FROM ground_truth g LEFT JOIN dsp_ast a USING (alertId)
WHERE g.trueDspReceivedTimestamp IS NOT NULL;

-- Report order of the regions: the PMR's three CSP regions, then SMETS1, then all.
CREATE OR REPLACE MACRO region_rank(r) AS list_position(['North', 'Central', 'South', 'SMETS1', 'All'], r);
