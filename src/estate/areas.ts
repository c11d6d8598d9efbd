/**
 * The one place the estate learns about network-operator areas. The builder
 * takes the area table as a parameter of this shape, so the estate does not
 * depend on the scenario module; the scenario's NETWORK_OPERATOR_AREAS rows
 * carry these fields (and more).
 */
import { CSP_REGIONS, REGION_COUNT, SMETS1, type CspRegion } from '../dcc/regions.js';

export interface EstateArea {
  /** MPAN distributor id (10..23 in GB). */
  id: number;
  /** The CSP region the area lies in. */
  region: CspRegion;
  /** Relative number of premises in the area (any positive scale). */
  weight: number;
}

/** Area ids fit a Uint8 per hub; GB uses 10..23. */
export const MAX_AREA_ID = 255;


/**
 * Cumulative weights for drawing an area: one table per CSP region (areas of
 * that region) and one over all areas (SMETS1 hubs sit anywhere in GB).
 */
export interface AreaTables {
  /** Area ids per region index 0..3 (3 = SMETS1: every area). */
  ids: Uint8Array[];
  /** Matching cumulative shares per region index (see cumulative()). */
  cum: Float64Array[];
}

/** Problems with the area table, one message each. */
export function checkAreas(areas: readonly EstateArea[]): string[] {
  const bad: string[] = [];
  const seen = new Set<number>();
  areas.forEach((a, i) => {
    const at = `areas[${i}]`;
    if (!Number.isInteger(a.id) || a.id < 0 || a.id > MAX_AREA_ID) bad.push(`${at}.id: must be an integer in 0..${MAX_AREA_ID} (got ${JSON.stringify(a.id)})`);
    else if (seen.has(a.id)) bad.push(`${at}.id: area ${a.id} is listed twice`);
    seen.add(a.id);
    if (!CSP_REGIONS.includes(a.region)) bad.push(`${at}.region: must be ${CSP_REGIONS.slice(0, -1).join(', ')} or ${CSP_REGIONS[CSP_REGIONS.length - 1]} (got ${JSON.stringify(a.region)})`);
    if (typeof a.weight !== 'number' || !Number.isFinite(a.weight) || a.weight < 0) bad.push(`${at}.weight: must be a number >= 0 (got ${JSON.stringify(a.weight)})`);
  });
  return bad;
}

/**
 * Running shares for drawing an index with one uniform u in [0, 1): the
 * drawn index is the first i with u < cum[i]. Zero-weight entries can never
 * be drawn, and the last positive entry is set to Infinity so that rounding
 * in the running sum cannot push a draw past it. Returns null if no weight
 * is positive.
 */
export function cumulative(weights: ArrayLike<number>): Float64Array | null {
  const n = weights.length;
  const cum = new Float64Array(n);
  let total = 0;
  let last = -1;
  for (let i = 0; i < n; i++) {
    total += weights[i];
    if (weights[i] > 0) last = i;
  }
  if (last < 0) return null;
  let run = 0;
  for (let i = 0; i < n; i++) {
    run += weights[i];
    cum[i] = i >= last ? Infinity : run / total;
  }
  return cum;
}

/** The index drawn by uniform u from a cumulative() table. */
export function pick(cum: Float64Array, u: number): number {
  let i = 0;
  while (u >= cum[i]) i++;
  return i;
}

export function areaTables(areas: readonly EstateArea[]): AreaTables {
  const ids: Uint8Array[] = [];
  const cum: Float64Array[] = [];
  for (let r = 0; r < REGION_COUNT; r++) {
    const rows = r === SMETS1 ? areas : areas.filter((a) => CSP_REGIONS.indexOf(a.region) === r);
    ids.push(Uint8Array.from(rows.map((a) => a.id)));
    cum.push(cumulative(rows.map((a) => a.weight)) ?? new Float64Array(0));
  }
  return { ids, cum };
}
