/**
 * The DCC Services whose availability the PMR reports, and the vocabulary of
 * incidents, defined once for the flows, the feeds and the metrics.
 *
 * Services: seed 004, Requirement 3 (the DCC User Interface, the Registration
 * Data Interface, the SMKI Repository Interface, the SMKI Services Interfaces,
 * the Self-Service Interface), each "an interface and multiple supporting
 * sub-systems". Incidents: seed 000, CR1420 [A] (Remedy incidents by category,
 * with the Target Initial Response and Resolution Times, by Resolver Group:
 * DCC, DSP, CSP, S1SP, DCO or other); seed 004, Requirement 5 (CPM5,
 * categories 3, 4 and 5); DOMAIN.md "Availability and incidents".
 */

export const DCC_SERVICES = [
  'DCC User Interface',
  'Registration Data Interface',
  'SMKI Repository Interface',
  'SMKI Services Interfaces',
  'Self-Service Interface',
] as const;
export type DccService = (typeof DCC_SERVICES)[number];

/** Scenario keys of the services (camelCase of the names above, in the same order). */
export const SERVICE_KEYS = ['dccUserInterface', 'registrationDataInterface', 'smkiRepositoryInterface', 'smkiServicesInterfaces', 'selfServiceInterface'] as const;
export type ServiceKey = (typeof SERVICE_KEYS)[number];

export function serviceName(key: ServiceKey): DccService {
  return DCC_SERVICES[SERVICE_KEYS.indexOf(key)];
}

/**
 * How a feed lists the services a sub-system supports: their names joined by
 * this separator (a feed column holds one value; no service name contains it).
 */
export const SERVICE_SEPARATOR = ';';

/** Resolver groups (seed 000, CR1420 [A]). */
export const RESOLVER_GROUPS = ['DCC', 'DSP', 'CSP', 'S1SP', 'DCO', 'other'] as const;
export type ResolverGroup = (typeof RESOLVER_GROUPS)[number];

/** Incident categories 1 (most severe) to 5 (SEC Appendix AG, as seed 004 Requirement 5 numbers them). */
export const INCIDENT_CATEGORIES = [1, 2, 3, 4, 5] as const;
export type IncidentCategory = (typeof INCIDENT_CATEGORIES)[number];

/** PMR split of incidents by meter generation (DOMAIN.md: "split SMETS1/SMETS2"). */
export const SMETS_GENERATIONS = ['SMETS1', 'SMETS2'] as const;
export type SmetsGeneration = (typeof SMETS_GENERATIONS)[number];

/** Install and Leave's investigation window (seed 000, CR1429: "90 Day No SMWAN Incidents"). */
export const INSTALL_AND_LEAVE_WINDOW_MS = 90 * 86_400_000;

/**
 * Seed 004, Requirement 3, "Reporting Service availability by time of day":
 * Monday to Friday 08:00-20:00 (installations) and 20:00-08:00 (other
 * processes, e.g. CoS); Saturday 08:00-12:00 and 12:00-08:00; Sunday. A band
 * is decided by the day and hour of a moment; the hours after midnight belong
 * to the day they fall in (src/metrics/sql/availability.sql, time_of_day_band).
 */
export const TIME_OF_DAY_BANDS = ['Mon-Fri 08:00-20:00', 'Mon-Fri 20:00-08:00', 'Sat 08:00-12:00', 'Sat 12:00-08:00', 'Sunday'] as const;

/** SEC Section H8 (seed 004, Requirement 3): Planned Maintenance of at most six hours in any month. */
export const PLANNED_MAINTENANCE_LIMIT_MS = 6 * 3_600_000;
