/**
 * The Data Service Provider: receipt, validation (with a rejection share),
 * access control and routing, and per-Service-User throttling during storms.
 *
 * The throttle is a per-User pacing server: a User gets at most
 * throttlePerUserPerSecond alerts; an alert that would exceed it waits, and
 * is marked throttled. Within one throttling episode (from the moment a
 * User's queue forms until it drains) throttled alerts are numbered 1, 2, ...
 * (ThrottledAlertSequenceId), and ThrottledAlertCount is the number of alerts
 * held for that User when this one was throttled (DOMAIN.md, DUIS section).
 */
import { compile, type Sampler } from '../engine/distributions.js';
import type { RandomStreams } from '../engine/random.js';
import type { DspConfig } from '../scenario/types.js';
import type { OutageGate } from './station.js';

export class Dsp {
  private readonly validationMs: Sampler;
  private readonly routingMs: Sampler;
  private readonly rng: () => number;
  private readonly spacing: number;
  private readonly nextSlot: Float64Array;
  private readonly episodeSeq: Int32Array;
  private readonly throttledTotal: Int32Array;
  /** Set by throttle(): was the last alert held, its sequence id and count. */
  lastThrottled = false;
  lastSequenceId = 0;
  lastCount = 0;
  rejected = 0;
  maxThrottleWait = 0;

  constructor(
    readonly config: DspConfig,
    streams: RandomStreams,
    userCount: number,
    readonly gate: OutageGate,
  ) {
    this.validationMs = compile(config.validation, streams.stream('dsp/validation'));
    this.routingMs = compile(config.routing, streams.stream('dsp/routing'));
    this.rng = streams.stream('dsp/rejection');
    this.spacing = config.throttlePerUserPerSecond > 0 ? 1000 / config.throttlePerUserPerSecond : 0;
    this.nextSlot = new Float64Array(userCount);
    this.episodeSeq = new Int32Array(userCount);
    this.throttledTotal = new Int32Array(userCount);
  }


  /** Validation time, ms. */
  validation(): number {
    return Math.round(this.validationMs());
  }

  /** Does validation reject this message? */
  rejects(): boolean {
    if (this.rng() < this.config.rejectionShare) {
      this.rejected++;
      return true;
    }
    return false;
  }

  /** Access control and routing time, ms. */
  routing(): number {
    return Math.round(this.routingMs());
  }

  /**
   * When an alert for `user`, ready at `t`, may be passed to the User.
   * Sets lastThrottled / lastSequenceId / lastCount.
   */
  throttle(user: number, t: number): number {
    if (this.spacing === 0) {
      this.lastThrottled = false;
      return t;
    }
    const slot = this.nextSlot[user];
    if (t >= slot) {
      this.nextSlot[user] = t + this.spacing;
      this.episodeSeq[user] = 0;
      this.lastThrottled = false;
      return t;
    }
    // Pass times are kept on whole milliseconds so the clock stays integral.
    const pass = Math.ceil(slot);
    this.nextSlot[user] = slot + this.spacing;
    this.lastThrottled = true;
    this.lastSequenceId = ++this.episodeSeq[user];
    // Held for this User right now, this one included.
    this.lastCount = Math.ceil((slot - t) / this.spacing);
    this.throttledTotal[user]++;
    if (pass - t > this.maxThrottleWait) this.maxThrottleWait = pass - t;
    return pass;
  }

  throttledFor(user: number): number {
    return this.throttledTotal[user];
  }
}
