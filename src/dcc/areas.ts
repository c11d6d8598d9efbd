/**
 * The fourteen network-operator areas of GB (MPAN distributor ids 10..23),
 * which CSP region serves each, which DNO group operates it, and a relative
 * premises weight the estate builder uses to place hubs.
 */
import type { CspRegion } from './regions.js';

export type DnoGroup = 'UKPN' | 'NGED' | 'SPEN' | 'NPG' | 'ENWL' | 'SSEN';

export interface NetworkOperatorArea {
  /** MPAN distributor id (the first two digits of an MPAN's core). */
  id: number;
  name: string;
  /** CSP region serving the area's SMETS2+ hubs. */
  region: CspRegion;
  /** The group that operates the area's network (its Service User in the default scenario). */
  dnoGroup: DnoGroup;
  /** Relative number of premises (millions of customers, rounded). */
  weight: number;
}

/**
 * Regions: an assumption from the public fact that CSP North covers Scotland
 * and northern England (DOMAIN.md "Scale"); Central takes the Midlands, East
 * Anglia and Wales, South the south of England.
 * Weights: an assumption, rounded from the DNOs' published customer numbers.
 */
export const NETWORK_OPERATOR_AREAS: readonly NetworkOperatorArea[] = [
  { id: 10, name: 'Eastern', region: 'central', dnoGroup: 'UKPN', weight: 3.6 },
  { id: 11, name: 'East Midlands', region: 'central', dnoGroup: 'NGED', weight: 2.6 },
  { id: 12, name: 'London', region: 'south', dnoGroup: 'UKPN', weight: 2.3 },
  { id: 13, name: 'Merseyside & North Wales', region: 'central', dnoGroup: 'SPEN', weight: 1.5 },
  { id: 14, name: 'West Midlands', region: 'central', dnoGroup: 'NGED', weight: 2.5 },
  { id: 15, name: 'North Eastern', region: 'north', dnoGroup: 'NPG', weight: 1.6 },
  { id: 16, name: 'North Western', region: 'north', dnoGroup: 'ENWL', weight: 2.4 },
  { id: 17, name: 'North Scotland', region: 'north', dnoGroup: 'SSEN', weight: 0.8 },
  { id: 18, name: 'South Scotland', region: 'north', dnoGroup: 'SPEN', weight: 2.0 },
  { id: 19, name: 'South Eastern', region: 'south', dnoGroup: 'UKPN', weight: 2.3 },
  { id: 20, name: 'Southern', region: 'south', dnoGroup: 'SSEN', weight: 3.0 },
  { id: 21, name: 'South Wales', region: 'central', dnoGroup: 'NGED', weight: 1.1 },
  { id: 22, name: 'South Western', region: 'south', dnoGroup: 'NGED', weight: 1.5 },
  { id: 23, name: 'Yorkshire', region: 'north', dnoGroup: 'NPG', weight: 2.3 },
];

export const DNO_GROUPS: readonly DnoGroup[] = ['UKPN', 'NGED', 'SPEN', 'NPG', 'ENWL', 'SSEN'];

export const AREA_IDS: readonly number[] = NETWORK_OPERATOR_AREAS.map((a) => a.id);

export function areaById(id: number): NetworkOperatorArea | undefined {
  return NETWORK_OPERATOR_AREAS.find((a) => a.id === id);
}
