/** Region indices as the estate stores them, and their PMR spellings. */
import { REGIONS, type Region } from '../scenario/types.js';

export { NORTH, CENTRAL, SOUTH, SMETS1 } from '../estate/estate.js';
export const REGION_COUNT = 4;

/** As the PMR and the feeds spell them. */
export const REGION_LABELS = ['North', 'Central', 'South', 'SMETS1'] as const;
export type RegionLabel = (typeof REGION_LABELS)[number];

export function regionName(index: number): Region {
  return REGIONS[index];
}

export function regionIndex(name: Region): number {
  const i = REGIONS.indexOf(name);
  if (i < 0) throw new RangeError(`unknown region ${name}`);
  return i;
}
