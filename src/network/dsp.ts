/**
 * The Data Service Provider: receipt, validation (with a rejection share),
 * access control and routing, and per-Service-User throttling during storms.
 *
 * The throttle paces each User: a User gets at most throttlePerUserPerSecond
 * alerts; an alert that would exceed it waits, and is marked throttled.
 * Within one throttling episode (from the moment a User's queue forms until
 * it drains) throttled alerts are numbered 1, 2, ... (ThrottledAlertSequenceId),
 * and ThrottledAlertCount is the number of alerts held for that User when
 * this one was throttled (DOMAIN.md, DUIS section).
 *
 * Its parameters (scenario key components.dsp) are declared here: type,
 * defaults with their sources, schema fragment, reading from the file's
 * units and the DUIS retry rule a schema cannot express.
 */
import { compile, type DistributionSpec, type Sampler } from '../engine/distributions.js';
import type { RandomStreams } from '../engine/random.js';
import { Throttle, type OutageGate, type OutageMode } from '../engine/resources/index.js';
import { distribution, duration, obj, outageMode, perSecond, share, type Schema } from '../params/schema.js';
import type { Obj, ParamReader, Path } from '../params/read.js';
import { formatDuration } from '../params/duration.js';

const SECOND = 1_000;
const DAY = 86_400 * SECOND;

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

export const dspSchema: Schema = obj('The Data Service Provider.', {
  validation: distribution('Receipt to validation done.'),
  rejectionShare: share('Share of messages rejected by validation.'),
  routing: distribution('Access control and routing: validation done to passed to the User.'),
  throttlePerUserPerSecond: perSecond('Alerts per second per Service User before throttling (0 = never throttle).'),
  handshakeTimeout: duration("How long to wait for the User's handshake before retrying (default 30s)."),
  retryDelays: {
    type: 'array',
    description: 'Delay before each retry, from the previous attempt; the first retry must fall within 300 s (DUIS).',
    minItems: 1,
    items: duration('Delay before this retry.'),
  },
  failedQueueRetention: duration('How long the failed queue holds undelivered alerts (default 2d).'),
  outageMode: outageMode('What happens to traffic while it is out of service.'),
});

export function readDsp(r: ParamReader, path: Path, raw: Obj, d: DspConfig = DEFAULT_DSP): DspConfig {
  const handshakeTimeout = r.duration([...path, 'handshakeTimeout'], raw.handshakeTimeout, d.handshakeTimeout, { positive: true });
  let retryDelays = [...d.retryDelays];
  if (Array.isArray(raw.retryDelays) && raw.retryDelays.length > 0) {
    retryDelays = raw.retryDelays.map((v, i) => r.duration([...path, 'retryDelays', i], v, 0));
    // The journey waits max(delay, handshakeTimeout) before each retry (a retry
    // cannot start before the previous attempt has timed out).
    const first = Math.max(retryDelays[0], handshakeTimeout);
    if (first > FIRST_RETRY_LIMIT) {
      r.report(
        [...path, 'retryDelays', 0],
        `the first retry must fall within 5m of the first attempt (DUIS); it falls at ${formatDuration(first)}`,
      );
    }
  } else if (handshakeTimeout > FIRST_RETRY_LIMIT) {
    r.report([...path, 'handshakeTimeout'], `must be at most 5m so that the first retry falls within 5m (DUIS) (got ${formatDuration(handshakeTimeout)})`);
  }
  return {
    validation: r.distribution([...path, 'validation'], raw.validation, d.validation),
    rejectionShare: r.number(raw.rejectionShare, d.rejectionShare),
    routing: r.distribution([...path, 'routing'], raw.routing, d.routing),
    throttlePerUserPerSecond: r.number(raw.throttlePerUserPerSecond, d.throttlePerUserPerSecond),
    handshakeTimeout,
    retryDelays,
    failedQueueRetention: r.duration([...path, 'failedQueueRetention'], raw.failedQueueRetention, d.failedQueueRetention),
    outageMode: r.outageMode(raw.outageMode, d.outageMode),
  };
}

export class Dsp {
  private readonly validationMs: Sampler;
  private readonly routingMs: Sampler;
  private readonly rng: () => number;
  /** One pacing server per Service User. */
  readonly throttle: Throttle;
  rejected = 0;

  constructor(
    readonly config: DspConfig,
    streams: RandomStreams,
    userCount: number,
    readonly gate: OutageGate,
  ) {
    this.validationMs = compile(config.validation, streams.stream('dsp/validation'));
    this.routingMs = compile(config.routing, streams.stream('dsp/routing'));
    this.rng = streams.stream('dsp/rejection');
    this.throttle = new Throttle(config.throttlePerUserPerSecond, userCount);
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
}
