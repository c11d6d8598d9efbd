/**
 * A SMETS1 Service Provider with its SMSO and the interface to the DSP. Its
 * service audit trail has time points T1 (alert condition in the device), T2
 * (sent by the CH, received by the SMSO), T4 (notified to the interface) and
 * T5 (delivered to the DSP): seed 000, CR1438 notes.
 *
 * Its parameters (scenario key components.s1sp, shared by every S1SP) are
 * declared here: type, defaults with their sources, schema fragment,
 * reading from the file's units.
 */
import { compile, type DistributionSpec, type Sampler } from '../engine/distributions.js';
import type { RandomStreams } from '../engine/random.js';
import { PacedServer, type OutageGate, type OutageMode } from '../engine/resources/index.js';
import { distribution, duration, obj, outageMode, perSecond, type Schema } from '../params/schema.js';
import type { Obj, ParamReader, Path } from '../params/read.js';

export interface S1spConfig {
  /** T2 (received by SMSO) to T4 (notified to the interface). */
  processing: DistributionSpec;
  /** T4 to T5 (delivered to the DSP). */
  toDsp: DistributionSpec;
  capacityPerSecond: number;
  outageMode: OutageMode;
  /** Service requests: how long it waits for the device's answer before reporting a communications failure (ms). */
  requestTimeout: number;
}

export const DEFAULT_S1SP: S1spConfig = {
  // Assumption: T2 to T4 about half a second, T4 to T5 a few hundred ms (seed 000, CR1438 names the points).
  processing: { dist: 'lognormal', median: 500, sigma: 0.4 },
  toDsp: { dist: 'lognormal', median: 200, sigma: 0.3 },
  // Assumption: SMETS1 systems are smaller than the CSPs.
  capacityPerSecond: 1_000,
  outageMode: 'hold',
  // Assumption: as the CSPs, 25 s.
  requestTimeout: 25_000,
};

export const s1spSchema: Schema = obj('Each SMETS1 Service Provider.', {
  processing: distribution('T2 (received by the SMSO) to T4 (notified to the interface).'),
  toDsp: distribution('T4 to T5 (delivered to the DSP).'),
  capacityPerSecond: perSecond('Messages per second (0 = unlimited).'),
  outageMode: outageMode('What happens to traffic while it is out of service.'),
  requestTimeout: duration("Service requests: wait for the device's answer before reporting a communications failure (default 25s)."),
});

export function readS1sp(r: ParamReader, path: Path, raw: Obj, d: S1spConfig = DEFAULT_S1SP): S1spConfig {
  return {
    processing: r.distribution([...path, 'processing'], raw.processing, d.processing),
    toDsp: r.distribution([...path, 'toDsp'], raw.toDsp, d.toDsp),
    capacityPerSecond: r.number(raw.capacityPerSecond, d.capacityPerSecond),
    outageMode: r.outageMode(raw.outageMode, d.outageMode),
    requestTimeout: r.duration([...path, 'requestTimeout'], raw.requestTimeout, d.requestTimeout, { positive: true }),
  };
}

export class S1sp {
  readonly server: PacedServer;
  private readonly processingMs: Sampler;
  private readonly toDspMs: Sampler;
  private readonly requestProcessingMs: Sampler;
  private readonly requestLinkMs: Sampler;

  constructor(
    readonly id: string,
    readonly config: S1spConfig,
    streams: RandomStreams,
    readonly gate: OutageGate,
  ) {
    this.server = new PacedServer(config.capacityPerSecond);
    this.processingMs = compile(config.processing, streams.stream(`${id}/processing`));
    this.toDspMs = compile(config.toDsp, streams.stream(`${id}/toDsp`));
    // Service requests take the same processing and link, drawn from streams of their own.
    this.requestProcessingMs = compile(config.processing, streams.stream(`${id}/requests/processing`));
    this.requestLinkMs = compile(config.toDsp, streams.stream(`${id}/requests/link`));
  }

  /** A service request (or its response) received at `t` leaves: through the same capacity as alerts. */
  requestDepart(t: number): number {
    return this.server.admit(t) + Math.round(this.requestProcessingMs());
  }

  /** Transit of a request or response between the S1SP and the DSP, ms. */
  requestLink(): number {
    return Math.round(this.requestLinkMs());
  }

  /** T4 for a message received (T2) at `t`. */
  notify(t: number): number {
    return this.server.admit(t) + Math.round(this.processingMs());
  }

  toDsp(): number {
    return Math.round(this.toDspMs());
  }
}
