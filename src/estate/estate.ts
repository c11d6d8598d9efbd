/**
 * The estate: every Comms Hub and the HAN devices behind it, held as parallel
 * typed arrays (one entry per hub, one per device), never as an object each.
 * A hub's devices are contiguous (CSR layout): hub h owns devices
 * hubFirstDevice[h] .. hubFirstDevice[h + 1] - 1, in the order ESME, GSME,
 * GPF, PPMID, IHD, so its ESME is always the first. Built by buildEstate
 * (build.ts).
 */
import { REGION_COUNT } from '../dcc/regions.js';
import { MAX_AREA_ID, type EstateArea } from './areas.js';

export const ESME = 0;
export const GSME = 1;
export const GPF = 2;
export const PPMID = 3;
export const IHD = 4;
export const DEVICE_TYPES = ['ESME', 'GSME', 'GPF', 'PPMID', 'IHD'] as const;
export type DeviceTypeName = (typeof DEVICE_TYPES)[number];

/** hubFlags bits. */
export const HUB_POWERED = 1;
/** Installed with SMWAN and commissioned (SRV 8.14.1); clear: installed and left (8.14.2). */
export const HUB_COMMISSIONED = 2;
export const HUB_GAS = 4;
export const HUB_PPMID = 8;
export const HUB_IHD = 16;
/** The premises' meters are in prepayment mode (they raise the prepayment alerts 810D, 8F0F). */
export const HUB_PREPAYMENT = 32;

/** deviceFlags bits. */
export const DEVICE_COMMISSIONED = 1;

/** Firmware index of a device whose firmware the DCC does not manage (IHDs). */
export const FIRMWARE_NONE = 255;

/** The version tables: hub (also the GPF, which lives in the hub), esme, gsme, ppmid. */
export type FirmwareKind = 'hub' | 'esme' | 'gsme' | 'ppmid';

/** 10-digit REP IDs are the integers 1_000_000_000 .. 4_294_967_295 (32 bits). */
export const REP_ID_MIN = 1_000_000_000;
/**
 * The largest prime below the number of 10-digit 32-bit integers
 * (4_294_967_296 - 1_000_000_000). REP IDs are REP_ID_MIN + (a*k + b) mod
 * REP_ID_PRIME for the k-th North hub: a bijection of 0..p-1, so no two hubs
 * share one while the sequence still looks scattered.
 */
export const REP_ID_PRIME = 3_294_967_271;

/** The whole of GB is about 32 million meters; this leaves room and keeps device offsets in 32 bits. */
export const MAX_HUBS = 100_000_000;

export class EstateError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid estate:\n  ${problems.join('\n  ')}`);
    this.name = 'EstateError';
  }
}

export class Estate {
  readonly hubCount: number;
  readonly deviceCount: number;
  /** Per hub: NORTH, CENTRAL, SOUTH or SMETS1. */
  readonly hubRegion: Uint8Array;
  /** Per hub: index of its S1SP (SMETS1 hubs; 0 for others). */
  readonly hubS1sp: Uint8Array;
  /** Per hub: network-operator area (MPAN distributor id). */
  readonly hubArea: Uint8Array;
  /** Per hub: REP ID (CSP North hubs; 0 for others). */
  readonly hubRepId: Uint32Array;
  /** Per hub: index into firmwareVersions.hub. */
  readonly hubFirmware: Uint8Array;
  /** Per hub: HUB_* bits. */
  readonly hubFlags: Uint8Array;
  /** Per hub: index of the supplier serving the premises. */
  readonly hubSupplier: Uint8Array;
  /** hubCount + 1 offsets: hub h owns devices hubFirstDevice[h] .. hubFirstDevice[h + 1] - 1. */
  readonly hubFirstDevice: Uint32Array;
  /** Per device: ESME, GSME, GPF, PPMID or IHD. */
  readonly deviceType: Uint8Array;
  readonly deviceHub: Uint32Array;
  /** Per device: index into the version table of its kind (deviceFirmwareKind), or FIRMWARE_NONE. */
  readonly deviceFirmware: Uint8Array;
  /** Per device: DEVICE_* bits. */
  readonly deviceFlags: Uint8Array;
  /** Version labels per firmware kind; indices are what the arrays store. */
  readonly firmwareVersions: Record<FirmwareKind, string[]>;
  readonly areas: readonly EstateArea[];
  /** Number of S1SPs and of suppliers the hubs were shared among. */
  readonly s1spCount: number;
  readonly supplierCount: number;
  /** Hubs per region index, at build time. */
  readonly regionHubCounts: Uint32Array;
  /** Hubs per area id (256 entries), at build time. */
  readonly areaHubCounts: Uint32Array;

  constructor(parts: {
    hubCount: number;
    deviceCount: number;
    hubRegion: Uint8Array;
    hubS1sp: Uint8Array;
    hubArea: Uint8Array;
    hubRepId: Uint32Array;
    hubFirmware: Uint8Array;
    hubFlags: Uint8Array;
    hubSupplier: Uint8Array;
    hubFirstDevice: Uint32Array;
    deviceType: Uint8Array;
    deviceHub: Uint32Array;
    deviceFirmware: Uint8Array;
    deviceFlags: Uint8Array;
    firmwareVersions: Record<FirmwareKind, string[]>;
    areas: readonly EstateArea[];
    s1spCount: number;
    supplierCount: number;
    regionHubCounts: Uint32Array;
    areaHubCounts: Uint32Array;
  }) {
    this.hubCount = parts.hubCount;
    this.deviceCount = parts.deviceCount;
    this.hubRegion = parts.hubRegion;
    this.hubS1sp = parts.hubS1sp;
    this.hubArea = parts.hubArea;
    this.hubRepId = parts.hubRepId;
    this.hubFirmware = parts.hubFirmware;
    this.hubFlags = parts.hubFlags;
    this.hubSupplier = parts.hubSupplier;
    this.hubFirstDevice = parts.hubFirstDevice;
    this.deviceType = parts.deviceType;
    this.deviceHub = parts.deviceHub;
    this.deviceFirmware = parts.deviceFirmware;
    this.deviceFlags = parts.deviceFlags;
    this.firmwareVersions = parts.firmwareVersions;
    this.areas = parts.areas;
    this.s1spCount = parts.s1spCount;
    this.supplierCount = parts.supplierCount;
    this.regionHubCounts = parts.regionHubCounts;
    this.areaHubCounts = parts.areaHubCounts;
  }

  isPowered(hub: number): boolean {
    return (this.hubFlags[hub] & HUB_POWERED) !== 0;
  }

  setPowered(hub: number, on: boolean): void {
    if (on) this.hubFlags[hub] |= HUB_POWERED;
    else this.hubFlags[hub] &= ~HUB_POWERED;
  }

  isCommissioned(hub: number): boolean {
    return (this.hubFlags[hub] & HUB_COMMISSIONED) !== 0;
  }

  /** Are the premises' meters in prepayment mode? */
  isPrepayment(hub: number): boolean {
    return (this.hubFlags[hub] & HUB_PREPAYMENT) !== 0;
  }

  /** The premises' ESME (every premises has one, first in its range). */
  esmeOf(hub: number): number {
    return this.hubFirstDevice[hub];
  }

  /** The hub's device of `type` (ESME .. IHD), or -1 if the premises has none. */
  deviceOf(hub: number, type: number): number {
    const end = this.hubFirstDevice[hub + 1];
    for (let d = this.hubFirstDevice[hub]; d < end; d++) if (this.deviceType[d] === type) return d;
    return -1;
  }

  devicesOf(hub: number): number {
    return this.hubFirstDevice[hub + 1] - this.hubFirstDevice[hub];
  }

  /** Which version table a device's firmware index refers to (null: IHD, not managed). */
  deviceFirmwareKind(device: number): FirmwareKind | null {
    return FIRMWARE_KIND_OF_TYPE[this.deviceType[device]];
  }

  /** Index of `label` in the version table of `kind`, adding it if new (a firmware campaign's target). */
  firmwareIndex(kind: FirmwareKind, label: string): number {
    const table = this.firmwareVersions[kind];
    let i = table.indexOf(label);
    if (i < 0) {
      if (table.length >= FIRMWARE_NONE) throw new EstateError([`firmware.${kind}: more than ${FIRMWARE_NONE} versions`]);
      i = table.push(label) - 1;
    }
    return i;
  }

  /** Hub indices of one region (NORTH .. SMETS1), ascending. A new array on each call. */
  hubsOfRegion(region: number): Uint32Array {
    const out = new Uint32Array(this.regionHubCounts[region] ?? 0);
    const reg = this.hubRegion;
    let k = 0;
    for (let h = 0, n = this.hubCount; h < n; h++) if (reg[h] === region) out[k++] = h;
    return out;
  }

  /** Hub indices in any of the given regions, ascending. */
  hubsOfRegions(regions: readonly number[]): Uint32Array {
    const want = new Uint8Array(REGION_COUNT);
    let count = 0;
    for (const r of regions) {
      if (want[r] === 0) count += this.regionHubCounts[r] ?? 0;
      want[r] = 1;
    }
    const out = new Uint32Array(count);
    const reg = this.hubRegion;
    let k = 0;
    for (let h = 0, n = this.hubCount; h < n; h++) if (want[reg[h]] === 1) out[k++] = h;
    return out;
  }

  /** Hub indices in any of the given network-operator areas (MPAN distributor ids), ascending. */
  hubsOfAreas(areas: readonly number[]): Uint32Array {
    const want = new Uint8Array(MAX_AREA_ID + 1);
    let count = 0;
    for (const a of areas) {
      if (a >= 0 && a <= MAX_AREA_ID && want[a] === 0) {
        want[a] = 1;
        count += this.areaHubCounts[a];
      }
    }
    const out = new Uint32Array(count);
    const area = this.hubArea;
    let k = 0;
    for (let h = 0, n = this.hubCount; h < n; h++) if (want[area[h]] === 1) out[k++] = h;
    return out;
  }
}

const FIRMWARE_KIND_OF_TYPE: readonly (FirmwareKind | null)[] = [
  'esme',
  'gsme',
  // The GPF lives in the Comms Hub and takes the hub's firmware image.
  'hub',
  'ppmid',
  null,
];
