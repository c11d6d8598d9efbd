/**
 * The regions of the DCC estate, defined once: SMETS2+ hubs belong to one of
 * the three CSP regions (North, Central, South); SMETS1 hubs to an S1SP. The
 * estate stores a region as its index, scenario files spell it in lower case,
 * and the PMR and the feeds spell it North, Central, South, SMETS1.
 */

/** Region indices as the estate stores them (one byte per hub). */
export const NORTH = 0;
export const CENTRAL = 1;
export const SOUTH = 2;
export const SMETS1 = 3;
export const REGION_COUNT = 4;

/** As scenario files spell them, in index order. */
export type Region = 'north' | 'central' | 'south' | 'smets1';
export const REGIONS: readonly Region[] = ['north', 'central', 'south', 'smets1'];

/** The regions a CSP serves (the first three indices). */
export const CSP_REGIONS = ['north', 'central', 'south'] as const;
export type CspRegion = (typeof CSP_REGIONS)[number];

/** As the PMR and the feeds spell them, in index order. */
export const REGION_LABELS = ['North', 'Central', 'South', 'SMETS1'] as const;
export type RegionLabel = (typeof REGION_LABELS)[number];

/** The component serving each CSP region, by index. */
export const CSP_NAMES = ['cspNorth', 'cspCentral', 'cspSouth'] as const;
export type CspName = (typeof CSP_NAMES)[number];

export function regionName(index: number): Region {
  return REGIONS[index];
}

export function regionIndex(name: Region): number {
  const i = REGIONS.indexOf(name);
  if (i < 0) throw new RangeError(`unknown region ${name}`);
  return i;
}

/** A table with one entry per region, built from a function of the region's name. */
export function perRegion<T>(f: (region: Region, index: number) => T): Record<Region, T> {
  const out = {} as Record<Region, T>;
  REGIONS.forEach((r, i) => (out[r] = f(r, i)));
  return out;
}
