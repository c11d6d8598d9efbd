/**
 * Device makes, as a firmware campaign targets them (an SRV 11.1 image is for
 * one make and model). The estate does not store a make per device: a
 * device's make is a pure function of its index and the run's seed, drawn by
 * these shares, so it costs no memory and is the same in every run of a seed.
 *
 * Sources: seed 000 (CR1440 design notes) and seed 003 ("Devices where the
 * SRV 11.1 reporting wouldn't be available"): IOC/MDS PPMIDs do not return an
 * acknowledgement on receipt of a firmware image, so for them only the
 * distribution to the Comms Hub is reported. The other make names and every
 * share are assumptions: placeholders shaped like a market of a few makes.
 */
import type { FirmwareKind } from '../estate/estate.js';

export interface Make {
  /** As a scenario names it. */
  readonly name: string;
  /** Share of the kind's devices of this make. */
  readonly share: number;
  /** False: the device never acknowledges a firmware image (no 8F72/8F1C): seed 003, IOC/MDS PPMIDs. */
  readonly acknowledges: boolean;
}

export const MAKES: Readonly<Record<FirmwareKind, readonly Make[]>> = {
  hub: [
    { name: 'CH-A', share: 0.6, acknowledges: true },
    { name: 'CH-B', share: 0.4, acknowledges: true },
  ],
  esme: [
    { name: 'ESME-A', share: 0.5, acknowledges: true },
    { name: 'ESME-B', share: 0.3, acknowledges: true },
    { name: 'ESME-C', share: 0.2, acknowledges: true },
  ],
  gsme: [
    { name: 'GSME-A', share: 0.6, acknowledges: true },
    { name: 'GSME-B', share: 0.4, acknowledges: true },
  ],
  ppmid: [
    { name: 'PPMID-A', share: 0.6, acknowledges: true },
    // seed 003: "IOC/MDS PPMIDs do not support the capability of returning an acknowledgement".
    { name: 'IOC', share: 0.25, acknowledges: false },
    { name: 'MDS', share: 0.15, acknowledges: false },
  ],
};

export const MAKE_NAMES: readonly string[] = Object.values(MAKES).flatMap((ms) => ms.map((m) => m.name));

/** A 32-bit mix of a seed and an index (splitmix-style finaliser): the same pair, the same bits. */
function mix32(seed: number, i: number): number {
  let x = (Math.imul(i ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(seed | 0, 0xc2b2ae35)) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d) >>> 0;
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

/** Index into MAKES[kind] of the device (or hub) `index` in a run of `seed`. */
export function makeOf(kind: FirmwareKind, index: number, seed: number): number {
  const u = mix32(seed, index) / 4294967296;
  const ms = MAKES[kind];
  let acc = 0;
  for (let m = 0; m < ms.length - 1; m++) {
    acc += ms[m].share;
    if (u < acc) return m;
  }
  return ms.length - 1;
}

/** Index of make `name` among the kind's makes, or -1. */
export function makeIndex(kind: FirmwareKind, name: string): number {
  return MAKES[kind].findIndex((m) => m.name === name);
}
