/**
 * The estate: every Comms Hub and the HAN devices behind it, held as parallel
 * typed arrays (one entry per hub, one per device), never as an object each.
 * A hub's devices are contiguous (CSR layout): hub h owns devices
 * hubFirstDevice[h] .. hubFirstDevice[h + 1] - 1, in the order ESME, GSME,
 * GPF, PPMID, IHD, so its ESME is always the first.
 */
import { RandomStreams } from '../engine/random.js';
import { NORTH, REGION_COUNT, REGIONS, SMETS1, type Region } from '../dcc/regions.js';
import type { EstateConfig, VersionMix } from '../scenario/types.js';
import { areaTables, checkAreas, cumulative, MAX_AREA_ID, type EstateArea } from './areas.js';

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

/** Shares are plain data from scenario files: say what is wrong and where. */
function checkConfig(c: EstateConfig, areas: readonly EstateArea[], supplierShares: readonly number[]): string[] {
  const bad: string[] = [];
  const share = (path: string, v: unknown) => {
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) bad.push(`${path}: must be a number in [0, 1] (got ${JSON.stringify(v)})`);
  };
  if (!Number.isInteger(c.hubs) || c.hubs < 0 || c.hubs > MAX_HUBS) bad.push(`estate.hubs: must be an integer in 0..${MAX_HUBS} (got ${JSON.stringify(c.hubs)})`);
  for (const r of REGIONS) share(`estate.regionShares.${r}`, c.regionShares?.[r]);
  for (const k of Object.keys(c.regionShares ?? {})) if (!REGIONS.includes(k as Region)) bad.push(`estate.regionShares.${k}: unknown region (known: ${REGIONS.join(', ')})`);
  share('estate.gasShare', c.gasShare);
  share('estate.ppmidShare', c.ppmidShare);
  share('estate.ihdShare', c.ihdShare);
  share('estate.commissionedShare', c.commissionedShare);
  if ((c.regionShares?.smets1 ?? 0) > 0 && (!Number.isInteger(c.s1sps) || c.s1sps < 1 || c.s1sps > 256)) {
    bad.push(`estate.s1sps: must be an integer in 1..256 when SMETS1 hubs exist (got ${JSON.stringify(c.s1sps)})`);
  }
  for (const kind of ['hub', 'esme', 'gsme', 'ppmid'] as const) {
    const mix = c.firmware?.[kind] ?? {};
    const labels = Object.keys(mix);
    if (labels.length >= FIRMWARE_NONE) bad.push(`estate.firmware.${kind}: at most ${FIRMWARE_NONE - 1} versions (got ${labels.length})`);
    for (const v of labels) share(`estate.firmware.${kind}.${v}`, mix[v]);
  }
  bad.push(...checkAreas(areas));
  if (bad.length === 0) {
    const tables = areaTables(areas);
    for (let r = 0; r < SMETS1; r++) {
      if (c.regionShares[REGIONS[r]] > 0 && tables.cum[r].length === 0) bad.push(`estate.regionShares.${REGIONS[r]}: region has hubs but no network-operator area with a positive weight`);
    }
    if (c.regionShares.smets1 > 0 && tables.cum[SMETS1].length === 0) bad.push('estate.regionShares.smets1: SMETS1 hubs need at least one area with a positive weight');
    if (cumulative(REGIONS.map((r) => c.regionShares[r])) === null && c.hubs > 0) bad.push('estate.regionShares: at least one share must be positive');
  }
  if (supplierShares.length > 256) bad.push(`suppliers: at most 256 (got ${supplierShares.length})`);
  supplierShares.forEach((s, i) => {
    if (typeof s !== 'number' || !(s >= 0)) bad.push(`suppliers[${i}]: market share must be a number >= 0 (got ${JSON.stringify(s)})`);
  });
  return bad;
}

function versionTable(mix: VersionMix): { labels: string[]; cum: Float64Array | null } {
  const labels = Object.keys(mix);
  return { labels, cum: cumulative(labels.map((l) => mix[l])) };
}

/**
 * Builds the estate from its configuration and the run seed. `areas` is the
 * network-operator area table; `suppliers` is either the suppliers' market
 * shares (in scenario order) or their number (equal shares; 0: no suppliers,
 * every hub gets index 0). Throws EstateError naming every problem.
 *
 * Each attribute draws from its own stream (estate/region, estate/area, ...),
 * so changing one share does not move the draws of the others.
 */
export function buildEstate(
  config: EstateConfig,
  seed: number | string,
  areas: readonly EstateArea[],
  suppliers: number | readonly number[] = 1,
): Estate {
  const supplierShares = typeof suppliers === 'number' ? new Array<number>(Math.max(0, suppliers)).fill(1) : suppliers;
  const problems = checkConfig(config, areas, supplierShares);
  if (problems.length > 0) throw new EstateError(problems);

  const n = config.hubs;
  const streams = new RandomStreams(seed);
  const rRegion = streams.stream('estate/region');
  const rArea = streams.stream('estate/area');
  const rS1sp = streams.stream('estate/s1sp');
  const rSupplier = streams.stream('estate/supplier');
  const rCommissioning = streams.stream('estate/commissioning');
  const rDevices = streams.stream('estate/devices');
  const rRepId = streams.stream('estate/repId');
  const rFwHub = streams.stream('estate/firmware/hub');
  const rFwEsme = streams.stream('estate/firmware/esme');
  const rFwGsme = streams.stream('estate/firmware/gsme');
  const rFwPpmid = streams.stream('estate/firmware/ppmid');

  const regionCum = cumulative(REGIONS.map((r) => config.regionShares[r])) ?? Float64Array.of(Infinity);
  const tables = areaTables(areas);
  const areaIds = tables.ids;
  const areaCum = tables.cum;
  const supplierCum = cumulative(supplierShares);
  const s1sps = Math.max(1, config.s1sps | 0);
  const fwHub = versionTable(config.firmware?.hub ?? {});
  const fwEsme = versionTable(config.firmware?.esme ?? {});
  const fwGsme = versionTable(config.firmware?.gsme ?? {});
  const fwPpmid = versionTable(config.firmware?.ppmid ?? {});
  const { gasShare, ppmidShare, ihdShare, commissionedShare } = config;

  // REP ID affine map a*k + b (mod p), walked by adding a; 32-bit draws keep a, b < p.
  let repStep = 0;
  while (repStep === 0) repStep = Math.floor(rRepId() * REP_ID_PRIME);
  let repNext = Math.floor(rRepId() * REP_ID_PRIME);

  const hubRegion = new Uint8Array(n);
  const hubS1sp = new Uint8Array(n);
  const hubArea = new Uint8Array(n);
  const hubRepId = new Uint32Array(n);
  const hubFirmware = new Uint8Array(n);
  const hubFlags = new Uint8Array(n);
  const hubSupplier = new Uint8Array(n);
  const hubFirstDevice = new Uint32Array(n + 1);
  const regionHubCounts = new Uint32Array(REGION_COUNT);
  const areaHubCounts = new Uint32Array(MAX_AREA_ID + 1);

  // Pass 1: the hubs, and how many devices each premises has, so the device
  // arrays can be allocated at their exact size.
  let devices = 0;
  for (let h = 0; h < n; h++) {
    let u = rRegion();
    let region = 0;
    while (u >= regionCum[region]) region++;
    hubRegion[h] = region;
    regionHubCounts[region]++;

    const ac = areaCum[region];
    u = rArea();
    let a = 0;
    while (u >= ac[a]) a++;
    const area = areaIds[region][a];
    hubArea[h] = area;
    areaHubCounts[area]++;

    if (region === SMETS1) hubS1sp[h] = Math.floor(rS1sp() * s1sps);
    else if (region === NORTH) {
      hubRepId[h] = REP_ID_MIN + repNext;
      repNext += repStep;
      if (repNext >= REP_ID_PRIME) repNext -= REP_ID_PRIME;
    }

    if (supplierCum !== null) {
      u = rSupplier();
      let s = 0;
      while (u >= supplierCum[s]) s++;
      hubSupplier[h] = s;
    }

    if (fwHub.cum !== null) {
      u = rFwHub();
      let v = 0;
      while (u >= fwHub.cum[v]) v++;
      hubFirmware[h] = v;
    } else hubFirmware[h] = FIRMWARE_NONE;

    let flags = HUB_POWERED;
    let count = 1; // ESME
    if (rCommissioning() < commissionedShare) flags |= HUB_COMMISSIONED;
    if (rDevices() < gasShare) {
      flags |= HUB_GAS;
      count += 2; // GSME and GPF
    }
    if (rDevices() < ppmidShare) {
      flags |= HUB_PPMID;
      count++;
    }
    if (rDevices() < ihdShare) {
      flags |= HUB_IHD;
      count++;
    }
    hubFlags[h] = flags;
    hubFirstDevice[h] = devices;
    devices += count;
  }
  hubFirstDevice[n] = devices;

  // Pass 2: the devices, in ESME, GSME, GPF, PPMID, IHD order within each hub.
  const deviceType = new Uint8Array(devices);
  const deviceHub = new Uint32Array(devices);
  const deviceFirmware = new Uint8Array(devices);
  const deviceFlags = new Uint8Array(devices);
  const drawVersion = (cum: Float64Array | null, u: number): number => {
    if (cum === null) return FIRMWARE_NONE;
    let v = 0;
    while (u >= cum[v]) v++;
    return v;
  };
  let d = 0;
  for (let h = 0; h < n; h++) {
    const flags = hubFlags[h];
    const devFlags = flags & HUB_COMMISSIONED ? DEVICE_COMMISSIONED : 0;
    deviceType[d] = ESME;
    deviceHub[d] = h;
    deviceFirmware[d] = drawVersion(fwEsme.cum, rFwEsme());
    deviceFlags[d++] = devFlags;
    if (flags & HUB_GAS) {
      deviceType[d] = GSME;
      deviceHub[d] = h;
      deviceFirmware[d] = drawVersion(fwGsme.cum, rFwGsme());
      deviceFlags[d++] = devFlags;
      deviceType[d] = GPF;
      deviceHub[d] = h;
      deviceFirmware[d] = hubFirmware[h];
      deviceFlags[d++] = devFlags;
    }
    if (flags & HUB_PPMID) {
      deviceType[d] = PPMID;
      deviceHub[d] = h;
      deviceFirmware[d] = drawVersion(fwPpmid.cum, rFwPpmid());
      deviceFlags[d++] = devFlags;
    }
    if (flags & HUB_IHD) {
      deviceType[d] = IHD;
      deviceHub[d] = h;
      deviceFirmware[d] = FIRMWARE_NONE;
      deviceFlags[d++] = devFlags;
    }
  }

  return new Estate({
    hubCount: n,
    deviceCount: devices,
    hubRegion,
    hubS1sp,
    hubArea,
    hubRepId,
    hubFirmware,
    hubFlags,
    hubSupplier,
    hubFirstDevice,
    deviceType,
    deviceHub,
    deviceFirmware,
    deviceFlags,
    firmwareVersions: { hub: fwHub.labels, esme: fwEsme.labels, gsme: fwGsme.labels, ppmid: fwPpmid.labels },
    areas,
    s1spCount: s1sps,
    supplierCount: supplierShares.length,
    regionHubCounts,
    areaHubCounts,
  });
}
