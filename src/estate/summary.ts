/** Counts over the estate, as plain data for the run summary and tests. */
import { REGION_COUNT, REGIONS, SMETS1, type Region } from '../dcc/regions.js';
import { DEVICE_TYPES, HUB_COMMISSIONED, HUB_POWERED, HUB_PREPAYMENT, type DeviceTypeName, type Estate } from './estate.js';

export interface EstateSummary {
  hubs: number;
  devices: number;
  byRegion: Record<Region, number>;
  /** Hubs per network-operator area id, for every area in the estate's table. */
  byArea: Record<string, number>;
  byDeviceType: Record<DeviceTypeName, number>;
  /** SMETS1 hubs per S1SP index. */
  byS1sp: number[];
  /** Hubs per supplier index (one entry, all hubs, when there are no suppliers). */
  bySupplier: number[];
  commissioning: { commissioned: number; installedAndLeft: number };
  /** Premises whose meters are in prepayment mode. */
  prepayment: number;
  poweredOff: number;
}

export function estateSummary(estate: Estate): EstateSummary {
  const byRegion = {} as Record<Region, number>;
  const regionCounts = new Float64Array(REGION_COUNT);
  const areaCounts = new Float64Array(256);
  const byS1sp = new Array<number>(estate.s1spCount).fill(0);
  const bySupplier = new Array<number>(Math.max(1, estate.supplierCount)).fill(0);
  let commissioned = 0;
  let poweredOff = 0;
  let prepayment = 0;
  const { hubRegion, hubArea, hubFlags, hubS1sp, hubSupplier } = estate;
  for (let h = 0; h < estate.hubCount; h++) {
    const r = hubRegion[h];
    regionCounts[r]++;
    areaCounts[hubArea[h]]++;
    if (r === SMETS1) byS1sp[hubS1sp[h]]++;
    bySupplier[hubSupplier[h]]++;
    const f = hubFlags[h];
    if (f & HUB_COMMISSIONED) commissioned++;
    if ((f & HUB_POWERED) === 0) poweredOff++;
    if (f & HUB_PREPAYMENT) prepayment++;
  }
  REGIONS.forEach((r, i) => (byRegion[r] = regionCounts[i]));
  const byArea: Record<string, number> = {};
  for (const a of [...estate.areas].sort((x, y) => x.id - y.id)) byArea[String(a.id)] = areaCounts[a.id];
  const typeCounts = new Float64Array(DEVICE_TYPES.length);
  const { deviceType } = estate;
  for (let d = 0; d < estate.deviceCount; d++) typeCounts[deviceType[d]]++;
  const byDeviceType = {} as Record<DeviceTypeName, number>;
  DEVICE_TYPES.forEach((t, i) => (byDeviceType[t] = typeCounts[i]));
  return {
    hubs: estate.hubCount,
    devices: estate.deviceCount,
    byRegion,
    byArea,
    byDeviceType,
    byS1sp,
    bySupplier,
    commissioning: { commissioned, installedAndLeft: estate.hubCount - commissioned },
    prepayment,
    poweredOff,
  };
}
