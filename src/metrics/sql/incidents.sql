-- Incidents: reliability by category and CPM5's transparency indicators.
-- Sources: seed 004 (SECMP0122 PIA), Requirement 3 "Measuring Service
-- reliability" (incidents of categories 1 to 5 in the period; categories 1
-- and 2 apart) and Requirement 5 (CPM5: per category 3, 4 and 5, resolution
-- times, the incidents raised in the period, those that met the Initial
-- Target Response Time and those that met the Target Resolution Time);
-- section 3.2.5 (the DCC counts incidents CLOSED in the period, "as this
-- ensures that all Incidents raised are reported on"); seed 000, CR1420 [A]
-- (by Resolver Group: DCC, DSP, CSP, S1SP, DCO, other); DOMAIN.md (split
-- SMETS1/SMETS2).
--
-- Two sources of the same shape: feeds/incidents.jsonl as Remedy knew them at
-- the run's end (no stamp it had not reached), and incident-truth.jsonl with
-- every stamp, after the run too. Within target: response (or resolution)
-- minus opening <= the record's target, inclusive; an incident not yet
-- responded to (or resolved) has not met it.
CREATE OR REPLACE MACRO incident_lifecycle(src) AS TABLE
SELECT i.*,
       openedTimestamp >= p.periodStart AND openedTimestamp < p.periodEnd AS raisedInPeriod,
       coalesce(closedTimestamp >= p.periodStart AND closedTimestamp < p.periodEnd, false) AS closedInPeriod,
       openedTimestamp < p.periodEnd AND coalesce(closedTimestamp >= p.periodEnd, true) AS openAtEnd,
       coalesce(epoch_ms(initialResponseTimestamp) - epoch_ms(openedTimestamp) <= targetInitialResponseMs, false) AS metInitialResponse,
       coalesce(epoch_ms(resolvedTimestamp) - epoch_ms(openedTimestamp) <= targetResolutionMs, false) AS metResolution,
       epoch_ms(resolvedTimestamp) - epoch_ms(openedTimestamp) AS resolutionMs
FROM query_table(src) i, report_period p;

-- Reliability: incidents per category (1 to 5, and All) raised, closed and open at the end.
CREATE OR REPLACE MACRO incidents_by_category(src) AS TABLE
SELECT coalesce(CAST(category AS VARCHAR), 'All') AS category,
       count(*) FILTER (WHERE raisedInPeriod) AS raised,
       count(*) FILTER (WHERE closedInPeriod) AS closed,
       count(*) FILTER (WHERE openAtEnd) AS openAtEnd,
       avg(resolutionMs) FILTER (WHERE closedInPeriod) / 3600000.0 AS meanResolutionHours
FROM incident_lifecycle(src)
GROUP BY GROUPING SETS ((category), ())
ORDER BY category IS NULL, category;

-- CPM5 for categories 3, 4 and 5, by resolver group and SMETS generation
-- (with All rows), counted by closure in the period as the DCC does, and the
-- same for the incidents raised in the period beside it.
CREATE OR REPLACE MACRO cpm5(src) AS TABLE
SELECT CAST(category AS VARCHAR) AS category, coalesce(resolverGroup, 'All') AS resolverGroup, coalesce(smets, 'All') AS smets,
       count(*) FILTER (WHERE openAtEnd) AS openAtEnd,
       count(*) FILTER (WHERE raisedInPeriod) AS raised,
       count(*) FILTER (WHERE closedInPeriod) AS closed,
       count(*) FILTER (WHERE closedInPeriod AND metInitialResponse) AS closedMetInitialResponse,
       count(*) FILTER (WHERE closedInPeriod AND metResolution) AS closedMetResolution,
       100.0 * count(*) FILTER (WHERE closedInPeriod AND metResolution) / nullif(count(*) FILTER (WHERE closedInPeriod), 0) AS pctClosedMetResolution,
       quantile_cont(resolutionMs, 0.5) FILTER (WHERE closedInPeriod) / 3600000.0 AS medianResolutionHours,
       count(*) FILTER (WHERE raisedInPeriod AND metInitialResponse) AS raisedMetInitialResponse,
       count(*) FILTER (WHERE raisedInPeriod AND metResolution) AS raisedMetResolution,
       100.0 * count(*) FILTER (WHERE raisedInPeriod AND metResolution) / nullif(count(*) FILTER (WHERE raisedInPeriod), 0) AS pctRaisedMetResolution
FROM incident_lifecycle(src)
WHERE category IN (3, 4, 5)
GROUP BY GROUPING SETS ((category, resolverGroup, smets), (category, resolverGroup), (category, smets), (category))
ORDER BY category, resolverGroup IS NULL, resolver_rank(resolverGroup), smets IS NULL, smets;
