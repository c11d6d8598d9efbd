import { expect } from 'vitest';
import type { EstateArea } from '../../src/estate/index.js';
import type { EstateConfig } from '../../src/scenario/types.js';

/** The 14 GB areas: CSP North 15,16,17,18,23; Central 10,11,13,14,21; South 12,19,20,22. */
export const AREAS: EstateArea[] = [
  { id: 10, region: 'central', weight: 3.7 },
  { id: 11, region: 'central', weight: 2.6 },
  { id: 12, region: 'south', weight: 2.4 },
  { id: 13, region: 'central', weight: 1.5 },
  { id: 14, region: 'central', weight: 2.5 },
  { id: 15, region: 'north', weight: 1.6 },
  { id: 16, region: 'north', weight: 2.4 },
  { id: 17, region: 'north', weight: 0.8 },
  { id: 18, region: 'north', weight: 2.0 },
  { id: 19, region: 'south', weight: 2.3 },
  { id: 20, region: 'south', weight: 3.0 },
  { id: 21, region: 'central', weight: 1.1 },
  { id: 22, region: 'south', weight: 1.6 },
  { id: 23, region: 'north', weight: 2.3 },
];

export const NORTH_AREAS = [15, 16, 17, 18, 23];
export const CENTRAL_AREAS = [10, 11, 13, 14, 21];
export const SOUTH_AREAS = [12, 19, 20, 22];

export function config(over: Partial<EstateConfig> = {}): EstateConfig {
  return {
    hubs: 200_000,
    regionShares: { north: 0.26, central: 0.32, south: 0.26, smets1: 0.16 },
    s1sps: 3,
    gasShare: 0.75,
    ppmidShare: 0.05,
    ihdShare: 0.45,
    commissionedShare: 0.9,
    prepaymentShare: 0.2,
    firmware: {
      hub: { '1.0': 0.25, '1.1': 0.75 },
      esme: { '3.2': 0.4, '3.3': 0.6 },
      gsme: { '2.0': 1 },
      ppmid: { '1.0': 0.5, '1.1': 0.5 },
    },
    ...over,
  };
}

/** Asserts a count drawn with probability p out of n lies within 5 binomial standard deviations of n p. */
export function expectBinomial(observed: number, n: number, p: number): void {
  expect(Math.abs(observed - n * p)).toBeLessThanOrEqual(5 * Math.sqrt(n * p * (1 - p)));
}
