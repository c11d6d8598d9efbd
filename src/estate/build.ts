/**
 * Building the estate from its configuration and the run seed: the shares
 * checked, then two passes over the hubs (hubs first, so the device arrays
 * are allocated at their exact size, then their devices).
 */
import { RandomStreams } from '../engine/random.js';
import { NORTH, REGION_COUNT, REGIONS, SMETS1, type Region } from '../dcc/regions.js';
import type { EstateConfig, VersionMix } from '../scenario/types.js';
import { areaTables, checkAreas, cumulative, MAX_AREA_ID, type EstateArea } from './areas.js';
import {
  DEVICE_COMMISSIONED,
  ESME,
  Estate,
  EstateError,
  FIRMWARE_NONE,
  GPF,
  GSME,
  HUB_COMMISSIONED,
  HUB_GAS,
  HUB_IHD,
  HUB_PPMID,
  HUB_POWERED,
  HUB_PREPAYMENT,
  IHD,
  MAX_HUBS,
  PPMID,
  REP_ID_MIN,
  REP_ID_PRIME,
} from './estate.js';

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
  share('estate.prepaymentShare', c.prepaymentShare);
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
  const rPaymentMode = streams.stream('estate/paymentMode');
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
  const { gasShare, ppmidShare, ihdShare, commissionedShare, prepaymentShare } = config;

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
    if (rPaymentMode() < prepaymentShare) flags |= HUB_PREPAYMENT;
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
