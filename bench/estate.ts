/**
 * Builds the estate of Great Britain and reports time and memory against the
 * targets: 20 million hubs and about 60 million devices in under 20 s and
 * under 2 GiB RSS.
 *
 * Device mix (assumption, chosen to land on the public figure of about 60
 * million devices, DOMAIN.md "Scale of the real system"): every premises an
 * ESME (20 M); gasShare 0.75 gives a GSME and a GPF at 15 M premises (30 M);
 * ihdShare 0.45 gives 9 M IHDs; ppmidShare 0.05 gives 1 M PPMIDs. Total
 * about 60 M.
 */
import { pathToFileURL } from 'node:url';
import { buildEstate } from '../src/estate/index.js';
import { NETWORK_OPERATOR_AREAS } from '../src/dcc/areas.js';
import type { EstateConfig } from '../src/scenario/types.js';

const HUBS = 20_000_000;
const TARGET_SECONDS = 20;
const TARGET_RSS = 2 * 1024 ** 3;

export const GB_ESTATE: EstateConfig = {
  hubs: HUBS,
  // Assumption: CSP regions roughly by their areas' premises weights, SMETS1 about a sixth.
  regionShares: { north: 0.26, central: 0.32, south: 0.26, smets1: 0.16 },
  s1sps: 3,
  gasShare: 0.75,
  ppmidShare: 0.05,
  ihdShare: 0.45,
  commissionedShare: 0.97,
  prepaymentShare: 0.14,
  firmware: {
    hub: { '1.0.4': 0.2, '1.1.0': 0.5, '1.2.1': 0.3 },
    esme: { '3.2': 0.4, '3.3': 0.6 },
    gsme: { '2.0': 0.7, '2.1': 0.3 },
    ppmid: { '1.0': 1 },
  },
};

/** Market shares of five suppliers (assumption). */
const SUPPLIER_SHARES = [0.3, 0.25, 0.2, 0.15, 0.1];

export async function benchEstate(): Promise<Record<string, number | string>> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const rssBefore = process.memoryUsage().rss;
  const t0 = process.hrtime.bigint();
  const estate = buildEstate(GB_ESTATE, 1, NETWORK_OPERATOR_AREAS, SUPPLIER_SHARES);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  gc?.();
  const rssAfter = process.memoryUsage().rss;
  const grown = rssAfter - rssBefore;
  const e = estate;
  const hubBytes = [e.hubRegion, e.hubS1sp, e.hubArea, e.hubRepId, e.hubFirmware, e.hubFlags, e.hubSupplier, e.hubFirstDevice].reduce((s, a) => s + a.byteLength, 0);
  const deviceBytes = [e.deviceType, e.deviceHub, e.deviceFirmware, e.deviceFlags].reduce((s, a) => s + a.byteLength, 0);
  const result = {
    hubs: estate.hubCount,
    devices: estate.deviceCount,
    seconds: Number(seconds.toFixed(2)),
    rssBefore,
    rssAfter,
    rssGrown: grown,
    bytesPerHub: Number((hubBytes / estate.hubCount).toFixed(2)),
    bytesPerDevice: Number((deviceBytes / estate.deviceCount).toFixed(2)),
    rssBytesPerHub: Number((grown / estate.hubCount).toFixed(1)),
    rssBytesPerDevice: Number((grown / estate.deviceCount).toFixed(1)),
    time: seconds < TARGET_SECONDS ? 'PASS' : 'FAIL',
    memory: rssAfter < TARGET_RSS ? 'PASS' : 'FAIL',
  };
  // Keep the estate alive until memory is measured.
  void estate.hubRegion[0];
  return result;
}

export function printEstate(r: Record<string, number | string>): void {
  const mib = (b: number | string) => `${(Number(b) / 1024 ** 2).toFixed(0)} MiB`;
  console.log(`estate of GB: ${r.hubs} hubs, ${r.devices} devices`);
  console.log(`  build time     ${r.seconds} s  (target < ${TARGET_SECONDS} s: ${r.time})`);
  console.log(`  RSS            ${mib(r.rssAfter)} after, ${mib(r.rssGrown)} grown  (target < 2 GiB: ${r.memory})`);
  console.log(`  arrays         ${r.bytesPerHub} bytes per hub, ${r.bytesPerDevice} bytes per device`);
  console.log(`  RSS grown      ${r.rssBytesPerHub} bytes per hub (devices included), ${r.rssBytesPerDevice} per device`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  printEstate(await benchEstate());
}
