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
import type { CspConfig, OutageMode } from '../scenario/types.js';
import { OutageWindows, Station } from './station.js';

export const HELD = -1;
export const DROPPED = -2;

export class Csp {
  readonly station: Station;
  private readonly processingMs: Sampler;
  private readonly toDspMs: Sampler;
  private readonly ad1DelayMs: Sampler;
  /** Messages lost to outages in drop mode. */
  dropped = 0;
  /** Messages held during outages in hold mode. */
  held = 0;

  constructor(
    readonly name: 'cspNorth' | 'cspCentral' | 'cspSouth',
    readonly config: CspConfig,
    streams: RandomStreams,
    readonly outages: OutageWindows,
    private readonly outageModes: (t: number) => OutageMode,
  ) {
    this.station = new Station(config.capacityPerSecond);
    this.processingMs = compile(config.processing, streams.stream(`${name}/processing`));
    this.toDspMs = compile(config.toDsp, streams.stream(`${name}/toDsp`));
    this.ad1DelayMs = compile(config.ad1Delay, streams.stream(`${name}/ad1`));
  }

  /**
   * When a message reaching the CSP at `t` is actually received: `t`, the end
   * of the outage it ran into (hold), or DROPPED.
   */
  receive(t: number): number {
    const up = this.outages.downUntil(t);
    if (up < 0) return t;
    if (this.outageModes(t) === 'drop') {
      this.dropped++;
      return DROPPED;
    }
    this.held++;
    return up;
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
