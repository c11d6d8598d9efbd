/**
 * The devices (or hubs) a run's firmware campaigns target, one row each, as
 * parallel typed arrays: who, and the true time of every step of its firmware
 * journey (NaN: not reached). A campaign's rows are chosen when it starts, by
 * scanning the estate as it is then (a device activated by an earlier
 * campaign is on its new version); a million-device campaign is a few tens of
 * megabytes.
 */
import { REGIONS, SMETS1, regionIndex } from '../../dcc/regions.js';
import { MAKES, makeIndex, makeOf } from '../../dcc/makes.js';
import type { Rng } from '../../engine/random.js';
import type { Estate, FirmwareKind } from '../../estate/estate.js';
import type { FirmwareCampaignEvent } from '../../scenario/types.js';

export const KINDS: readonly FirmwareKind[] = ['hub', 'esme', 'gsme', 'ppmid'];

/** Distribution to the CHF (SMETS1: the S1SP's upload). */
export const DIST_NONE = 0;
export const DIST_OK = 1;
export const DIST_FAILED = 2;

/** The device's verification (DF2). */
export const VERIFY_NONE = 0;
export const VERIFY_OK = 1;
export const VERIFY_FAILED = 2;
export const VERIFY_SILENT = 3;
/** A make that never acknowledges (seed 003: IOC/MDS PPMIDs): only distribution is reported. */
export const VERIFY_NOT_EXPECTED = 4;
/** SMETS1: the S1SP reports the upload; there is no HAN verification alert. */
export const VERIFY_S1SP = 5;
export const VERIFY_NAMES = ['', 'verified', 'failed', 'silent', 'noAcknowledgement', 's1spUpload'] as const;

/** Activation (SRV 11.3; a hub: the CSP's). */
export const ACT_NONE = 0;
export const ACT_OK = 1;
export const ACT_FAILED = 2;
export const ACT_LOST = 3;
export const ACT_NAMES = ['', 'success', 'failure', 'lost'] as const;

export interface Campaign {
  event: FirmwareCampaignEvent;
  /** Index of the event in the scenario (its cause number is this + 1). */
  index: number;
  kind: FirmwareKind;
  /** Index of toVersion in the estate's version table of the kind. */
  toIndex: number;
  /** First row and row count. */
  first: number;
  count: number;
  blocks: number;
  imageBytes: number;
}

export class Targets {
  size = 0;
  campaign: Uint16Array;
  /** The device, or -1 for a hub campaign. */
  device: Int32Array;
  hub: Int32Array;
  region: Uint8Array;
  kind: Uint8Array;
  make: Uint8Array;
  fromIndex: Uint8Array;
  dist: Uint8Array;
  verify: Uint8Array;
  act: Uint8Array;
  tRequested: Float64Array;
  tDspPassed: Float64Array;
  tChf: Float64Array;
  tHan: Float64Array;
  tVerified: Float64Array;
  tActSent: Float64Array;
  tActDone: Float64Array;
  lostBlocks: Int32Array;

  constructor(capacity: number) {
    const n = Math.max(1, capacity);
    this.campaign = new Uint16Array(n);
    this.device = new Int32Array(n);
    this.hub = new Int32Array(n);
    this.region = new Uint8Array(n);
    this.kind = new Uint8Array(n);
    this.make = new Uint8Array(n);
    this.fromIndex = new Uint8Array(n);
    this.dist = new Uint8Array(n);
    this.verify = new Uint8Array(n);
    this.act = new Uint8Array(n);
    const times = () => new Float64Array(n).fill(NaN);
    this.tRequested = times();
    this.tDspPassed = times();
    this.tChf = times();
    this.tHan = times();
    this.tVerified = times();
    this.tActSent = times();
    this.tActDone = times();
    this.lostBlocks = new Int32Array(n);
  }

  /** Room for `n` rows in all (a campaign's rows are added when it starts). */
  ensure(n: number): void {
    if (n <= this.campaign.length) return;
    const next = new Targets(Math.max(n, this.campaign.length * 2));
    for (const k of Object.keys(this) as Array<keyof Targets>) {
      const a = this[k];
      if (ArrayBuffer.isView(a)) (next[k] as typeof a).set(a as never);
    }
    Object.assign(this, next, { size: this.size });
  }
}

/**
 * The rows a campaign targets, in estate order: devices (or hubs) of its
 * kind, in its regions, of its make, on its fromVersion (default: any other
 * than toVersion), each kept with chance `share`, at most `count`.
 */
export function selectTargets(estate: Estate, e: FirmwareCampaignEvent, seed: number, rng: Rng): Int32Array {
  const kind = e.deviceType;
  const table = estate.firmwareVersions[kind];
  const from = e.fromVersion === undefined ? -1 : table.indexOf(e.fromVersion);
  const to = table.indexOf(e.toVersion);
  const make = e.make === undefined ? -1 : makeIndex(kind, e.make);
  const regions = new Uint8Array(REGIONS.length);
  for (const r of e.regions) regions[regionIndex(r)] = 1;
  const limit = e.count > 0 ? e.count : Infinity;
  const out: number[] = [];
  const eligible = (version: number, index: number) =>
    (from >= 0 ? version === from : version !== to) && (make < 0 || makeOf(kind, index, seed) === make);
  if (kind === 'hub') {
    for (let h = 0; h < estate.hubCount && out.length < limit; h++) {
      if (regions[estate.hubRegion[h]] === 1 && eligible(estate.hubFirmware[h], h) && rng() < e.share) out.push(h);
    }
  } else {
    for (let d = 0; d < estate.deviceCount && out.length < limit; d++) {
      if (estate.deviceFirmwareKind(d) !== kind) continue;
      if (regions[estate.hubRegion[estate.deviceHub[d]]] === 1 && eligible(estate.deviceFirmware[d], d) && rng() < e.share) out.push(d);
    }
  }
  return Int32Array.from(out);
}

/** Does a make of `kind` acknowledge images (8F72/8F1C)? */
export function acknowledges(kind: FirmwareKind, make: number): boolean {
  return MAKES[kind][make].acknowledges;
}

export const isSmets1 = (region: number): boolean => region === SMETS1;
