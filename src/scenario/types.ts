/**
 * The resolved scenario: what the loader hands to the simulator once a file
 * has been parsed, validated and filled with defaults. Every number here is
 * in the simulator's units: times and durations in integer milliseconds,
 * rates per second unless the name says otherwise. Each component's own
 * parameters are declared beside its model in src/network/.
 */
import type { CspName, Region } from '../dcc/regions.js';
import type { OutageMode } from '../engine/resources/index.js';
import type { CommsHubConfig, CspConfig, DspConfig, S1spConfig, ServiceUserConfig } from '../network/index.js';
import type { RequestsConfig } from './requests.js';
import type { OutagesConfig } from '../flows/outages/params.js';

export type { OutageMode } from '../engine/resources/index.js';
export type { CommsHubConfig, CspConfig, S1spConfig, DspConfig, GatewayConfig, ServiceUserConfig, ServiceUserRole } from '../network/index.js';

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
  /** Share of premises whose meters are in prepayment mode. */
  prepaymentShare: number;
  /** Firmware versions in the estate, with their shares per device type. */
  firmware: { hub: VersionMix; esme: VersionMix; gsme: VersionMix; ppmid: VersionMix };
}

/** Version label -> share (shares sum to 1). */
export type VersionMix = Record<string, number>;

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
  | FirmwareCampaignEvent
  | SubsystemOutageEvent
  | PlannedMaintenanceEvent;

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

/** Components a componentOutage event can take out of service. */
export type ComponentName = CspName | 's1sp' | 'dsp';

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
  /** Share of the eligible devices targeted (1 when `count` is given). */
  share: number;
  /** At most this many devices, in estate order (0: no limit). */
  count: number;
  regions: Region[];
  /** Only devices of this make (src/dcc/makes.ts), or any. */
  make?: string;
  /** SRV 11.1 requests sent per hour. */
  perHour: number;
  /** Image size in bytes (0: the device type's default). */
  imageSize: number;
  /** Future-dated activation time (ms after the epoch), or NaN for on-demand activation. */
  activateAt: number;
}

/** An unplanned outage of a sub-system of the DCC Services (outages.subsystems). */
export interface SubsystemOutageEvent extends EventBase {
  type: 'subsystemOutage';
  subsystem: string;
  duration: number;
}

/** Planned Maintenance of a sub-system (excluded from Uptime). */
export interface PlannedMaintenanceEvent extends EventBase {
  type: 'plannedMaintenance';
  subsystem: string;
  duration: number;
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
  /** Service Request traffic (null: none). */
  requests: RequestsConfig | null;
  /** Sub-systems, random outages, incidents, Install and Leave (defaults when the file has none). */
  outages: OutagesConfig;
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
