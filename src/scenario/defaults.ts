/**
 * The value of every optional scenario field, in simulator units
 * (milliseconds, per second). Each says where its number comes from: a seed
 * file and section, a public figure, or an assumption named as such.
 *
 * A field a file gives replaces the default whole: a distribution is never
 * merged parameter by parameter with the default one.
 */
import type {
  BackgroundAlertConfig,
  CommsHubConfig,
  CspConfig,
  DspConfig,
  EstateConfig,
  S1spConfig,
  Scenario,
  ServiceUserConfig,
} from './types.js';
import { DNO_GROUPS, NETWORK_OPERATOR_AREAS } from './areas.js';

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
  // is split by the premises weights of NETWORK_OPERATOR_AREAS (areas.ts).
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
  // Assumption: two firmware generations in the field, most devices on the newer.
  firmware: {
    hub: { '1.0.0': 0.3, '1.1.0': 0.7 },
    esme: { '2.0.0': 0.4, '2.1.0': 0.6 },
    gsme: { '2.0.0': 0.5, '2.1.0': 0.5 },
    ppmid: { '1.0.0': 1 },
  },
};

export const DEFAULT_COMMS_HUB: CommsHubConfig = {
  // Assumption: the hub takes tens of ms from HAN receipt to WAN send.
  processing: { dist: 'lognormal', median: 40, sigma: 0.3 },
  wanTransit: {
    // Assumption: CSP North's long-range radio takes about 1-3 s.
    north: { dist: 'lognormal', median: 1_500, sigma: 0.35, max: 30 * SECOND },
    // Assumption: cellular (Central) and mesh (South) take hundreds of ms.
    central: { dist: 'lognormal', median: 400, sigma: 0.4, max: 30 * SECOND },
    south: { dist: 'lognormal', median: 600, sigma: 0.5, max: 30 * SECOND },
    // Assumption: SMETS1 hubs reach their SMSO over cellular in about 2 s.
    smets1: { dist: 'lognormal', median: 2_000, sigma: 0.5, max: 60 * SECOND },
  },
  // Seed 001 section 4.2: the WAN-side time is practically identical to the
  // HAN side in 99.9% of cases; the rest drift by up to 2 s (assumption).
  sdkClockOffset: { dist: 'empirical', points: [[0, 0], [5, 0.999], [2_000, 1]] },
  // Seed 001 section 4.2: HubTimestamp is optional in sendMessage; assumption: 1 in 1000 lacks it.
  hubTimestampMissingShare: 0.001,
  // Assumption: 0.95 of last gasps get through when power fails.
  lastGaspSuccessShare: 0.95,
  // Assumption: meters report restoration within a minute or two of power returning.
  restorationAlertDelay: { dist: 'lognormal', median: 30 * SECOND, sigma: 0.6, max: 10 * MINUTE },
};

const cspBase = {
  outageMode: 'hold',
  // Seed 001 section 5.2: AD1 is the CSP's notice of an outage of three minutes or more.
  ad1Threshold: 3 * MINUTE,
  // Assumption: AD1 follows the confirmed outage within seconds.
  ad1Delay: { dist: 'lognormal', median: 10 * SECOND, sigma: 0.5, max: 2 * MINUTE },
} as const;

export const DEFAULT_CSP_NORTH: CspConfig = {
  ...cspBase,
  // Seed 001 section 4.2: CSP North stamps departure about 350 ms after arrival, near-constant.
  processing: { dist: 'normal', mean: 350, sd: 15, min: 300, max: 450 },
  // Assumption: CSP capacities in the thousands per second.
  capacityPerSecond: 3_000,
  // Assumption: tens of ms between a CSP and the DSP.
  toDsp: { dist: 'lognormal', median: 30, sigma: 0.3 },
};

export const DEFAULT_CSP_CENTRAL: CspConfig = {
  ...cspBase,
  // Assumption: hundreds of ms of processing in Central and South.
  processing: { dist: 'lognormal', median: 150, sigma: 0.3 },
  capacityPerSecond: 5_000,
  toDsp: { dist: 'lognormal', median: 30, sigma: 0.3 },
};

export const DEFAULT_CSP_SOUTH: CspConfig = {
  ...cspBase,
  processing: { dist: 'lognormal', median: 200, sigma: 0.3 },
  capacityPerSecond: 5_000,
  toDsp: { dist: 'lognormal', median: 30, sigma: 0.3 },
};

export const DEFAULT_S1SP: S1spConfig = {
  // Assumption: T2 to T4 about half a second, T4 to T5 a few hundred ms (seed 000, CR1438 names the points).
  processing: { dist: 'lognormal', median: 500, sigma: 0.4 },
  toDsp: { dist: 'lognormal', median: 200, sigma: 0.3 },
  // Assumption: SMETS1 systems are smaller than the CSPs.
  capacityPerSecond: 1_000,
  outageMode: 'hold',
};

export const DEFAULT_DSP: DspConfig = {
  // Assumption: validation takes 100-200 ms.
  validation: { dist: 'lognormal', median: 150, sigma: 0.25 },
  // Assumption: 1 in 1000 messages fails validation.
  rejectionShare: 0.001,
  // Assumption: access control and routing take tens of ms.
  routing: { dist: 'lognormal', median: 50, sigma: 0.3 },
  // Assumption: the DSP throttles each User above some hundreds of alerts per second (DOMAIN.md "Alert journey").
  throttlePerUserPerSecond: 500,
  // Assumption: 30 s for the User's handshake, half the A1 target of 60 s (seed 004 section 2.4.7).
  handshakeTimeout: 30 * SECOND,
  // DOMAIN.md "DUIS": the DCC retries at least once within 300 s; each delay runs from the previous attempt.
  retryDelays: [60 * SECOND, 180 * SECOND],
  // DOMAIN.md "DUIS": the failed queue holds alerts for 2 days.
  failedQueueRetention: 2 * DAY,
  outageMode: 'hold',
};

/** Upper bound for the first retry (DOMAIN.md "DUIS": at least once within 300 s). */
export const FIRST_RETRY_LIMIT = 300 * SECOND;

// Assumption: gateways confirm receipt in 100-500 ms, never all lost.
const DEFAULT_HANDSHAKE = { dist: 'lognormal', median: 200, sigma: 0.4, max: 20 * SECOND } as const;
const DEFAULT_HANDSHAKE_LOSS = 0.0005;
/** Assumption: a Service User gateway accepts some thousands of alerts per second. */
const DEFAULT_USER_CAPACITY = 2_000;

/** Defaults for the fields of a Service User the file leaves out. */
export const DEFAULT_SERVICE_USER: Omit<ServiceUserConfig, 'id' | 'role' | 'areas' | 'marketShare'> = {
  capacityPerSecond: DEFAULT_USER_CAPACITY,
  handshake: DEFAULT_HANDSHAKE,
  handshakeLossShare: DEFAULT_HANDSHAKE_LOSS,
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
    ...DEFAULT_SERVICE_USER,
    handshake: { ...DEFAULT_HANDSHAKE },
  }));
  for (const [id, share] of Object.entries(DEFAULT_SUPPLIER_SHARES)) {
    users.push({ id, role: 'supplier', areas: [], marketShare: share, ...DEFAULT_SERVICE_USER, handshake: { ...DEFAULT_HANDSHAKE } });
  }
  return users;
}

/**
 * Assumption: a modest everyday mix of the alerts seed 001 section 5.2 tested
 * with, a few per hub per month, in every region.
 */
export function defaultBackground(): BackgroundAlertConfig[] {
  const all = ['north', 'central', 'south', 'smets1'] as const;
  return [
    { code: '8F3F', perHubPerDay: 0.05, regions: [...all] },
    { code: '810D', perHubPerDay: 0.03, regions: [...all] },
    { code: '8F0F', perHubPerDay: 0.02, regions: [...all] },
  ];
}

export const DEFAULT_OUTPUT: Scenario['output'] = {
  duisBodies: true,
  signPayloads: false,
  groundTruth: true,
};

/** Assumption: restorations after a power outage spread over a minute. */
export const DEFAULT_RESTORATION_SPREAD = MINUTE;
