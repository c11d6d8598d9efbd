/**
 * A SMETS1 Service Provider with its SMSO and the interface to the DSP. Its
 * service audit trail has time points T1 (alert condition in the device), T2
 * (sent by the CH, received by the SMSO), T4 (notified to the interface) and
 * T5 (delivered to the DSP): seed 000, CR1438 notes.
 */
import { compile, type Sampler } from '../engine/distributions.js';
import type { RandomStreams } from '../engine/random.js';
import type { S1spConfig } from '../scenario/types.js';
import { type OutageGate, Station } from './station.js';

export class S1sp {
  readonly station: Station;
  private readonly processingMs: Sampler;
  private readonly toDspMs: Sampler;

  constructor(
    readonly id: string,
    readonly config: S1spConfig,
    streams: RandomStreams,
    readonly gate: OutageGate,
  ) {
    this.station = new Station(config.capacityPerSecond);
    this.processingMs = compile(config.processing, streams.stream(`${id}/processing`));
    this.toDspMs = compile(config.toDsp, streams.stream(`${id}/toDsp`));
  }


  /** T4 for a message received (T2) at `t`. */
  notify(t: number): number {
    return this.station.admit(t) + Math.round(this.processingMs());
  }

  toDsp(): number {
    return Math.round(this.toDspMs());
  }
}
