-- The two sources every metric is computed from, in the same shape: the alert
-- journeys as the DSP Alert Supplementary Timing log reports them, and the same
-- journeys as they truly happened (ground-truth.jsonl). Each metric macro takes
-- the name of one of these two, so that every figure is computed twice by the
-- one definition and the two can be set side by side.
--
-- Columns (all timestamps UTC, millisecond precision):
--   alertId, alertCode, region, targetUser,
--   conditionTimestamp            alert condition in the device (SMETS1: T1; NULL elsewhere)
--   chfReceivedTimestamp          received by the Comms Hub Function (AD1: the power loss)
--   cspReceivedTimestamp          received by the CSP (SMETS1: T2)
--   cspPassedTimestamp            passed to the DSP by the CSP / S1SP (T5); AD1: raised by the CSP
--   dspReceivedTimestamp          received by the DSP
--   passedToServiceUserTimestamp  first attempt to pass it to the User
--   serviceUserHandshakeTimestamp the User's handshake confirming receipt
--   outcome                       delivered | failed | rejected
--   throttled                     held by the DSP's per-User throttle

-- As reported. For CSP North, chfReceivedTimestamp is the hub's WAN-side SDK time
-- (HubTimestamp) and cspReceivedTimestamp is the moment the alert LEFT CSP North,
-- about 350 ms after it arrived (seed 001, section 4.2, issues MP122B-DC1, MP122-DC2).
-- SMETS1: the AST record carries T2 as its CSP point; T1, the alert condition in
-- the device (seed 000, CR1438), is in the S1SP audit trail, whose auditId is the
-- AST record's sourceId. s1sp_t1 holds each audit id's T1 (its earliest, should
-- an id be given twice, so that the join never doubles an alert); only the SMETS1
-- records are joined to it. A view: a table would copy the whole log, which
-- costs more than the SMETS1 join each metric repeats.
CREATE OR REPLACE TABLE s1sp_t1 AS
SELECT auditId, min(T1) AS T1 FROM s1sp_audit_trail GROUP BY auditId;

CREATE OR REPLACE VIEW ast_alerts AS
SELECT alertId, alertCode, region, targetUser, conditionTimestamp,
       chfReceivedTimestamp, cspReceivedTimestamp, cspPassedTimestamp,
       dspReceivedTimestamp, passedToServiceUserTimestamp, serviceUserHandshakeTimestamp,
       outcome, throttled
FROM (
  SELECT *, NULL::TIMESTAMP AS conditionTimestamp FROM dsp_ast WHERE region <> 'SMETS1'
  UNION ALL BY NAME
  SELECT a.*, t.T1 AS conditionTimestamp
  FROM dsp_ast a LEFT JOIN s1sp_t1 t ON t.auditId = a.sourceId
  WHERE a.region = 'SMETS1'
);

-- As it happened: the HAN-side receipt at the CHF, the arrival (not departure)
-- at the CSP; the true condition time where the feeds carry one (SMETS1's T1).
-- The throttle flag is not a time and is taken from the AST record. A table,
-- not a view: every metric reads it, and the join of the two logs is done once.
-- The same alerts as the feed figures: those the DSP received. Alerts lost
-- before the DSP (outcome 'lost', no DSP receipt) are in ground_truth only.
CREATE OR REPLACE TABLE truth_alerts AS
SELECT g.alertId, g.alertCode, g.region, g.targetUser,
       CASE WHEN g.region = 'SMETS1' THEN g.trueConditionTimestamp END AS conditionTimestamp,
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
