/**
 * The resolved scenario: what the loader hands to the simulator once a file
 * has been parsed, validated and filled with defaults. Every number here is
 * in the simulator's units: times and durations in integer milliseconds,
 * rates per second unless the name says otherwise.
 */
import type { DistributionSpec } from '../engine/distributions.js';

/** SMETS2+ hubs belong to a CSP region; SMETS1 hubs to an S1SP. */
export type Region = 'north' | 'central' | 'south' | 'smets1';
export const REGIONS: readonly Region[] = ['north', 'central', 'south', 'smets1'];
export const CSP_REGIONS = ['north', 'central', 'south'] as const;
export type CspRegion = (typeof CSP_REGIONS)[number];

/** What a component does with traffic while it is out of service. */
export type OutageMode = 'hold' | 'drop';

export interface EstateConfig {
  /** Number of Comms Hubs (one per premises). */
  hubs: number;
  /** Share of hubs per region; sums to 1. */
  regionShares: Record<Region, number>;
  /** Number of SMETS1 Service Providers sharing the SMETS1 hubs. */
  s1sps: number;
  /** Share of premises with a gas meter (GSME behind the hub's GPF). */
  gasShare: number;
  /** Share of premises with a PPMID. */
  ppmidShare: number;
  /** Share of premises with an IHD. */
  ihdShare: number;
  /** Share of hubs commissioned (the rest installed and left, no SMWAN). */
  commissionedShare: number;
  /** Firmware versions in the estate, with their shares per device type. */
  firmware: { hub: VersionMix; esme: VersionMix; gsme: VersionMix; ppmid: VersionMix };
}

/** Version label -> share (shares sum to 1). */
export type VersionMix = Record<string, number>;

export interface CommsHubConfig {
  /** HAN receipt at the CHF to WAN send (hub processing), per region. */
  processing: DistributionSpec;
  /** WAN transit from hub to CSP, per region (SMETS1: hub to S1SP/SMSO). */
  wanTransit: Record<Region, DistributionSpec>;
  /** Offset of the WAN-side SDK clock from true time (HubTimestamp skew). */
  sdkClockOffset: DistributionSpec;
  /** Share of alerts whose HubTimestamp is missing from CSP North's record. */
  hubTimestampMissingShare: number;
  /** Share of hubs whose last gasp reaches the CSP when power fails. */
  lastGaspSuccessShare: number;
  /** Delay from power restoration to the meter's restoration alert. */
  restorationAlertDelay: DistributionSpec;
}

export interface CspConfig {
  /** Processing from arrival to departure towards the DSP. */
  processing: DistributionSpec;
  /** Messages per second the CSP can pass on (0 = unlimited). */
  capacityPerSecond: number;
  /** Transit from CSP departure to DSP receipt. */
  toDsp: DistributionSpec;
  /** What happens to traffic during an outage of this CSP. */
  outageMode: OutageMode;
  /** Minimum outage length for which the CSP raises AD1 (ms; 3 minutes). */
  ad1Threshold: number;
  /** Delay from confirming an outage to raising AD1. */
  ad1Delay: DistributionSpec;
}

export interface S1spConfig {
  /** T2 (received by SMSO) to T4 (notified to the interface). */
  processing: DistributionSpec;
  /** T4 to T5 (delivered to the DSP). */
  toDsp: DistributionSpec;
  capacityPerSecond: number;
  outageMode: OutageMode;
}

export interface DspConfig {
  /** Receipt to validation done. */
  validation: DistributionSpec;
  /** Share of messages rejected by validation. */
  rejectionShare: number;
  /** Access control and routing, validation done to passed to the User. */
  routing: DistributionSpec;
  /** Per Service User, alerts per second before throttling. */
  throttlePerUserPerSecond: number;
  /** Wait for the User's handshake before retrying (ms). */
  handshakeTimeout: number;
  /** Delay before each retry (ms); the last retry must fall within 300 s. */
  retryDelays: number[];
  /** How long the failed queue holds undelivered alerts (ms; 2 days). */
  failedQueueRetention: number;
  outageMode: OutageMode;
}

export type ServiceUserRole = 'supplier' | 'networkOperator';

export interface ServiceUserConfig {
  /** The User ID as it appears in feeds (e.g. "DNO-NORTH-SCOTLAND"). */
  id: string;
  role: ServiceUserRole;
  /** Network operators: the network-operator areas (MPAN distributor ids) they serve. */
  areas: number[];
  /** Suppliers: market share of premises (shares over all suppliers sum to 1). */
  marketShare: number;
  /** Alerts per second the gateway accepts (0 = unlimited). */
  capacityPerSecond: number;
  /** Receipt to handshake sent back. */
  handshake: DistributionSpec;
  /** Share of deliveries that get no handshake although the gateway is up. */
  handshakeLossShare: number;
}

/** Background alert traffic: per-hub rate of each alert code. */
export interface BackgroundAlertConfig {
  code: string;
  /** Alerts per hub per day. */
  perHubPerDay: number;
  /** Regions it occurs in (default all). */
  regions: Region[];
}

export type ScenarioEvent =
  | PowerOutageEvent
  | ComponentOutageEvent
  | ServiceUserOutageEvent
  | AlertSurgeEvent
  | FirmwareCampaignEvent;

interface EventBase {
  /** Start, ms after the epoch. */
  at: number;
  /** Free-text label carried into the ground truth. */
  label?: string;
}

export interface PowerOutageEvent extends EventBase {
  type: 'powerOutage';
  /** Network-operator areas hit (MPAN distributor ids), or ... */
  areas: number[];
  /** ... regions hit; with areas empty. */
  regions: Region[];
  /** Share of the hubs in those areas/regions that lose power (0..1]. */
  share: number;
  duration: number;
  /** Spread of restoration times after `at + duration` (ms; 0 = all at once). */
  restorationSpread: number;
}

export type ComponentName = 'cspNorth' | 'cspCentral' | 'cspSouth' | 's1sp' | 'dsp';

export interface ComponentOutageEvent extends EventBase {
  type: 'componentOutage';
  component: ComponentName;
  duration: number;
  /** Overrides the component's outageMode for this outage. */
  mode?: OutageMode;
}

export interface ServiceUserOutageEvent extends EventBase {
  type: 'serviceUserOutage';
  user: string;
  duration: number;
}

export interface AlertSurgeEvent extends EventBase {
  type: 'alertSurge';
  code: string;
  regions: Region[];
  /** Extra alerts per hub per day while the surge lasts. */
  perHubPerDay: number;
  duration: number;
}

export interface FirmwareCampaignEvent extends EventBase {
  type: 'firmwareCampaign';
  deviceType: 'hub' | 'esme' | 'gsme' | 'ppmid';
  fromVersion?: string;
  toVersion: string;
  share: number;
}

export interface Scenario {
  /** Where it was loaded from (for messages and the manifest). */
  source: string;
  name: string;
  description: string;
  seed: number;
  /** Scenario epoch as Unix ms (UTC). */
  epoch: number;
  /** Simulated duration (ms, > 0). */
  duration: number;
  estate: EstateConfig;
  components: {
    commsHub: CommsHubConfig;
    cspNorth: CspConfig;
    cspCentral: CspConfig;
    cspSouth: CspConfig;
    s1sp: S1spConfig;
    dsp: DspConfig;
  };
  serviceUsers: ServiceUserConfig[];
  background: BackgroundAlertConfig[];
  events: ScenarioEvent[];
  output: {
    /** Write the DUIS XML bodies Service Users receive. */
    duisBodies: boolean;
    /** Sign GBCS payloads with the test key (ECDSA P-256). */
    signPayloads: boolean;
    /** Write the ground-truth file. */
    groundTruth: boolean;
  };
}
