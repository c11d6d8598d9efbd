/**
 * The value of every optional top-level scenario field, in simulator units
 * (milliseconds, per second); each component's defaults are declared beside
 * its model in src/network/. Each says where its number comes from: a seed
 * file and section, a public figure, or an assumption named as such.
 *
 * A field a file gives replaces the default whole: a distribution is never
 * merged parameter by parameter with the default one.
 */
import type { BackgroundAlertConfig, EstateConfig, Scenario, ServiceUserConfig } from './types.js';
import { DNO_GROUPS, NETWORK_OPERATOR_AREAS } from '../dcc/areas.js';
import { REGIONS } from '../dcc/regions.js';
import { DEFAULT_GATEWAY } from '../network/index.js';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Used when a file has no `seed`: any fixed value keeps runs reproducible. */
export const DEFAULT_SEED = 1;
/** Assumption: a Thursday in January, a working day in the heating season. */
export const DEFAULT_EPOCH = '2026-01-15T00:00:00Z';
export const DEFAULT_DURATION = DAY;
/** Assumption: small enough that a default run takes well under a second. */
export const DEFAULT_HUBS = 10_000;

export const DEFAULT_ESTATE: Omit<EstateConfig, 'hubs'> = {
  // Public figure: about 32 million meters of which about 20 million SMETS2
  // (DOMAIN.md "Scale"), so roughly 0.3 of hubs are SMETS1; the SMETS2+ rest
  // is split by the premises weights of NETWORK_OPERATOR_AREAS (src/dcc/areas.ts).
  regionShares: { north: 0.22, central: 0.27, south: 0.21, smets1: 0.3 },
  // Assumption: a handful of SMETS1 Service Providers share the SMETS1 estate.
  s1sps: 3,
  // Assumption: about 0.8 of GB homes with electricity also have mains gas.
  gasShare: 0.8,
  // Assumption: prepayment interfaces in roughly one home in seven.
  ppmidShare: 0.15,
  // Assumption: nearly every installation leaves an IHD.
  ihdShare: 0.95,
  // Assumption: a few per cent installed and left without SMWAN (8.14.2; DOMAIN.md "Install and Leave").
  commissionedShare: 0.97,
  // Public figure, approximate: GB has roughly 4 million electricity and 3
  // million gas prepayment customers, about one meter in seven (DOMAIN.md
  // "The alert journey"; Ofgem and DESNZ smart meter statistics put
  // prepayment at roughly 12-15% of domestic meters).
  prepaymentShare: 0.14,
  // Assumption: two firmware generations in the field, most devices on the newer.
  firmware: {
    hub: { '1.0.0': 0.3, '1.1.0': 0.7 },
    esme: { '2.0.0': 0.4, '2.1.0': 0.6 },
    gsme: { '2.0.0': 0.5, '2.1.0': 0.5 },
    ppmid: { '1.0.0': 1 },
  },
};

/**
 * Assumption: the market shares of five suppliers, large to small, loosely
 * shaped like the GB domestic market.
 */
export const DEFAULT_SUPPLIER_SHARES: Readonly<Record<string, number>> = {
  'SUPPLIER-A': 0.3,
  'SUPPLIER-B': 0.25,
  'SUPPLIER-C': 0.2,
  'SUPPLIER-D': 0.15,
  'SUPPLIER-E': 0.1,
};

/** One network operator per DNO group, serving its areas; five suppliers. Fresh objects each call. */
export function defaultServiceUsers(): ServiceUserConfig[] {
  const users: ServiceUserConfig[] = DNO_GROUPS.map((group) => ({
    id: `DNO-${group}`,
    role: 'networkOperator',
    areas: NETWORK_OPERATOR_AREAS.filter((a) => a.dnoGroup === group).map((a) => a.id),
    marketShare: 0,
    ...DEFAULT_GATEWAY,
    handshake: { ...DEFAULT_GATEWAY.handshake },
  }));
  for (const [id, share] of Object.entries(DEFAULT_SUPPLIER_SHARES)) {
    users.push({ id, role: 'supplier', areas: [], marketShare: share, ...DEFAULT_GATEWAY, handshake: { ...DEFAULT_GATEWAY.handshake } });
  }
  return users;
}

/**
 * Assumption: a modest everyday mix of the alerts seed 001 section 5.2 tested
 * with, in every region: a tamper alert (8F3F) a few times per hub per month;
 * the prepayment credit alerts (810D, 8F0F), whose rate is per prepayment
 * meter, every week or so at a prepayment premises.
 */
export function defaultBackground(): BackgroundAlertConfig[] {
  return [
    { code: '8F3F', perHubPerDay: 0.05, regions: [...REGIONS] },
    { code: '810D', perHubPerDay: 0.2, regions: [...REGIONS] },
    { code: '8F0F', perHubPerDay: 0.15, regions: [...REGIONS] },
  ];
}

export const DEFAULT_OUTPUT: Scenario['output'] = {
  duisBodies: true,
  signPayloads: false,
  groundTruth: true,
};

/** Assumption: restorations after a power outage spread over a minute. */
export const DEFAULT_RESTORATION_SPREAD = MINUTE;

/**
 * Assumption: a supplier's firmware campaign sends SRV 11.1 at 20,000 an hour,
 * so 100,000 devices are asked for in five hours and a million in two days,
 * inside the 5-day distribution target (seed 004 Figure 1, SR11.1 note).
 */
export const DEFAULT_FIRMWARE_PER_HOUR = 20_000;
