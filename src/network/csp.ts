/**
 * A Communications Service Provider (CSP North, Central or South): arrival,
 * processing, departure towards the DSP, with a throughput cap and outage
 * windows. CSP North's feed stamps the DEPARTURE (seed 001, section 4.2:
 * "The CSP N timestamp measures when the Alert leaves CSP N rather than when
 * it arrives", about 350 ms later); Central and South report arrival too.
 * A CSP also confirms power outages from hubs' last gasps and raises AD1
 * for outages of 3 minutes or more (seed 001, section 5.2).
 *
 * Its parameters (scenario keys components.cspNorth, cspCentral, cspSouth)
 * are declared here: type, defaults with their sources, schema fragment,
 * reading from the file's units.
 */
import { compile, type DistributionSpec, type Sampler } from '../engine/distributions.js';
import type { RandomStreams } from '../engine/random.js';
import { PacedServer, type OutageGate, type OutageMode } from '../engine/resources/index.js';
import { CSP_NAMES, REGION_LABELS, type CspName } from '../dcc/regions.js';
import { distribution, duration, obj, outageMode, perSecond, type Schema } from '../params/schema.js';
import type { Obj, ParamReader, Path } from '../params/read.js';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;

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
  /** Service requests: how long it waits for the device's answer before reporting a communications failure (ms). */
  requestTimeout: number;
}

const cspBase = {
  outageMode: 'hold',
  // Seed 001 section 5.2: AD1 is the CSP's notice of an outage of three minutes or more.
  ad1Threshold: 3 * MINUTE,
  // Assumption: AD1 follows the confirmed outage within seconds.
  ad1Delay: { dist: 'lognormal', median: 10 * SECOND, sigma: 0.5, max: 2 * MINUTE },
  // Assumption: 25 s, so that a failure response can still reach the User within the 30 s TRT.
  requestTimeout: 25 * SECOND,
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

export const DEFAULT_CSPS: Record<CspName, CspConfig> = {
  cspNorth: DEFAULT_CSP_NORTH,
  cspCentral: DEFAULT_CSP_CENTRAL,
  cspSouth: DEFAULT_CSP_SOUTH,
};

/** "CSP North" for cspNorth. */
export function cspTitle(name: CspName): string {
  return `CSP ${REGION_LABELS[CSP_NAMES.indexOf(name)]}`;
}

export function cspSchema(name: CspName): Schema {
  const title = cspTitle(name);
  return obj(`${title}.`, {
    processing: distribution(`${title}: processing from arrival to departure towards the DSP.`),
    capacityPerSecond: perSecond(`${title}: messages per second it can pass on (0 = unlimited).`),
    toDsp: distribution(`${title}: transit from departure to receipt at the DSP.`),
    outageMode: outageMode(`${title}: what happens to traffic while it is out of service.`),
    ad1Threshold: duration(`${title}: shortest power outage for which it raises AD1 (default 3m, seed 001 section 5.2).`),
    ad1Delay: distribution(`${title}: delay from confirming an outage to raising AD1.`),
    requestTimeout: duration(`${title}: service requests: wait for the device's answer before reporting a communications failure (default 25s).`),
  });
}

export function readCsp(r: ParamReader, path: Path, raw: Obj, d: CspConfig): CspConfig {
  return {
    processing: r.distribution([...path, 'processing'], raw.processing, d.processing),
    capacityPerSecond: r.number(raw.capacityPerSecond, d.capacityPerSecond),
    toDsp: r.distribution([...path, 'toDsp'], raw.toDsp, d.toDsp),
    outageMode: r.outageMode(raw.outageMode, d.outageMode),
    ad1Threshold: r.duration([...path, 'ad1Threshold'], raw.ad1Threshold, d.ad1Threshold),
    ad1Delay: r.distribution([...path, 'ad1Delay'], raw.ad1Delay, d.ad1Delay),
    requestTimeout: r.duration([...path, 'requestTimeout'], raw.requestTimeout, d.requestTimeout, { positive: true }),
  };
}

export class Csp {
  readonly server: PacedServer;
  private readonly processingMs: Sampler;
  private readonly toDspMs: Sampler;
  private readonly ad1DelayMs: Sampler;
  private readonly requestProcessingMs: Sampler;
  private readonly requestLinkMs: Sampler;

  constructor(
    readonly name: CspName,
    readonly config: CspConfig,
    streams: RandomStreams,
    readonly gate: OutageGate,
  ) {
    this.server = new PacedServer(config.capacityPerSecond);
    this.processingMs = compile(config.processing, streams.stream(`${name}/processing`));
    this.toDspMs = compile(config.toDsp, streams.stream(`${name}/toDsp`));
    this.ad1DelayMs = compile(config.ad1Delay, streams.stream(`${name}/ad1`));
    // Service requests take the same processing and link, drawn from streams of their own.
    this.requestProcessingMs = compile(config.processing, streams.stream(`${name}/requests/processing`));
    this.requestLinkMs = compile(config.toDsp, streams.stream(`${name}/requests/link`));
  }

  /** A service request (or its response) received at `t` leaves: through the same capacity as alerts. */
  requestDepart(t: number): number {
    return this.server.admit(t) + Math.round(this.requestProcessingMs());
  }

  /** Transit of a request or response between the CSP and the DSP, ms. */
  requestLink(): number {
    return Math.round(this.requestLinkMs());
  }

  /** Departure towards the DSP of a message received at `t`. */
  depart(t: number): number {
    return this.server.admit(t) + Math.round(this.processingMs());
  }

  toDsp(): number {
    return Math.round(this.toDspMs());
  }

  ad1Delay(): number {
    return Math.round(this.ad1DelayMs());
  }
}
