-- Install and Commission versus Install and Leave, with the hubs still inside
-- the 90-day investigation window as their own category. Sources: seed 004,
-- 2.4.1 IC1 (indicator: "the number of Install and Commission versus Install
-- and Leave"); seed 000, CR1429 (daily volumes, "a category for any Comms Hubs
-- awaiting a decision that are still within the 90 Day investigation period";
-- the DCC matches the 8.14.2 responses it saw with the CSPs' No-SMWAN
-- incidents). Feeds only: 8.14.1 and 8.14.2 successful responses sent in the
-- period (dsp-service-audit.jsonl), each 8.14.2 matched by its hub's GUID to
-- the latest No-SMWAN incident (no-smwan-incidents.jsonl) as it stood at the
-- end of the feed:
--   withinWindow      incident open: the hub awaits a decision
--   smwanEstablished  closed, SMWAN established within the window
--   noSmwanConfirmed  closed at 90 days without SMWAN
--   noIncidentYet     no CSP incident for the hub (yet)
CREATE OR REPLACE MACRO install_and_leave() AS TABLE
WITH installs AS (
  SELECT strftime(a.responseSentTimestamp, '%Y-%m-%d') AS day, a.srv, a.deviceId
  FROM dsp_service_audit a, report_period p
  WHERE a.srv IN ('8.14.1', '8.14.2') AND a.responseCode = 'I0'
    AND a.responseSentTimestamp >= p.periodStart AND a.responseSentTimestamp < p.periodEnd
),
nsw AS (
  SELECT GUID, arg_max(status, submitDate) AS status, arg_max(outcome, submitDate) AS outcome FROM no_smwan_incidents GROUP BY GUID
),
il AS (
  SELECT i.day, i.srv,
         CASE WHEN i.srv = '8.14.1' THEN 'installAndCommission'
              WHEN n.GUID IS NULL THEN 'noIncidentYet'
              WHEN n.status = 'open' THEN 'withinWindow'
              ELSE n.outcome END AS category
  FROM installs i LEFT JOIN nsw n ON i.srv = '8.14.2' AND n.GUID = i.deviceId
)
SELECT coalesce(day, 'All') AS day,
       count(*) FILTER (WHERE category = 'installAndCommission') AS installAndCommission,
       count(*) FILTER (WHERE srv = '8.14.2') AS installAndLeave,
       count(*) FILTER (WHERE category = 'withinWindow') AS withinWindow,
       count(*) FILTER (WHERE category = 'smwanEstablished') AS smwanEstablished,
       count(*) FILTER (WHERE category = 'noSmwanConfirmed') AS noSmwanConfirmed,
       count(*) FILTER (WHERE category = 'noIncidentYet') AS noIncidentYet
FROM il
GROUP BY GROUPING SETS ((day), ())
ORDER BY day IS NULL, day;
