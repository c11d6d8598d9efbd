/**
 * A Communications Service Provider (CSP North, Central or South): arrival,
 * processing, departure towards the DSP, with a throughput cap and outage
 * windows. CSP North's feed stamps the DEPARTURE (seed 001, section 4.2:
 * "The CSP N timestamp measures when the Alert leaves CSP N rather than when
 * it arrives", about 350 ms later); Central and South report arrival too.
 * A CSP also confirms power outages from hubs' last gasps and raises AD1
 * for outages of 3 minutes or more (seed 001, section 5.2).
 */
import { compile, type Sampler } from '../engine/distributions.js';
import type { RandomStreams } from '../engine/random.js';
import type { CspConfig } from '../scenario/types.js';
import { type OutageGate, Station } from './station.js';

export class Csp {
  readonly station: Station;
  private readonly processingMs: Sampler;
  private readonly toDspMs: Sampler;
  private readonly ad1DelayMs: Sampler;

  constructor(
    readonly name: 'cspNorth' | 'cspCentral' | 'cspSouth',
    readonly config: CspConfig,
    streams: RandomStreams,
    readonly gate: OutageGate,
  ) {
    this.station = new Station(config.capacityPerSecond);
    this.processingMs = compile(config.processing, streams.stream(`${name}/processing`));
    this.toDspMs = compile(config.toDsp, streams.stream(`${name}/toDsp`));
    this.ad1DelayMs = compile(config.ad1Delay, streams.stream(`${name}/ad1`));
  }


  /** Departure towards the DSP of a message received at `t`. */
  depart(t: number): number {
    return this.station.admit(t) + Math.round(this.processingMs());
  }

  toDsp(): number {
    return Math.round(this.toDspMs());
  }

  ad1Delay(): number {
    return Math.round(this.ad1DelayMs());
  }
}
