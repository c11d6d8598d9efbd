/**
 * The Data Service Provider: receipt, validation (with a rejection share),
 * access control and routing, and per-Service-User throttling during storms.
 *
 * The throttle paces each User: a User gets at most throttlePerUserPerSecond
 * DUIS messages, alerts and Service Responses together (a storm of alerts
 * holds the User's responses too); an alert that would exceed it waits, and
 * is marked throttled; a response waits, and its RTT shows it.
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
import { asObj, type Obj, type ParamReader, type Path } from '../params/read.js';
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
  /** Per Service User, DUIS messages (alerts and Service Responses) per second before throttling. */
  throttlePerUserPerSecond: number;
  /** Wait for the User's handshake before retrying (ms). */
  handshakeTimeout: number;
  /** Delay before each retry (ms); the last retry must fall within 300 s. */
  retryDelays: number[];
  /** How long the failed queue holds undelivered alerts (ms; 2 days). */
  failedQueueRetention: number;
  outageMode: OutageMode;
  /** Service requests at the DSP. */
  requests: DspRequestConfig;
}

/** How the DSP handles a service request (DOMAIN.md "Service requests"; seed 002 section 3.1). */
export interface DspRequestConfig {
  /** The User's request crossing the DCC User Interface to the DSP, and the response back. */
  userLink: DistributionSpec;
  /** Receipt to validation, access control and routing done. */
  validation: DistributionSpec;
  /** Share of requests that fail validation: a User error, excludable (seed 003, section 4). */
  rejectionShare: number;
  /** Share of requests that fail the DSP's authentication (signature) check: excludable (seed 004, section 3). */
  authenticationFailureShare: number;
  /** Requests the DSP answers itself (8.1.1, 8.14.x): receipt to response ready. */
  dspOnlyProcessing: DistributionSpec;
  /** 24-hour SRVs wait this long for deferred processing (seed 002, 3.1). */
  deferral: DistributionSpec;
  /** Answered with E212 (timeout) once no response came for this long, for SRVs without a maximum completion time (ms). */
  responseTimeout: number;
  /** Profile reads without a maximum completion time of their own (4.8.1) are answered E212 after this (ms). */
  longReadTimeout: number;
  /** The response leaving the DSP for the User once received from the CSP. */
  responseProcessing: DistributionSpec;
}

export const DEFAULT_DSP_REQUESTS: DspRequestConfig = {
  // Assumption: tens of ms across the DCC User Interface.
  userLink: { dist: 'lognormal', median: 40, sigma: 0.3 },
  // Assumption: validation, access control and routing of a request take some hundreds of ms (signature checks).
  validation: { dist: 'lognormal', median: 250, sigma: 0.3 },
  // Assumption: 1 request in 200 fails validation (a User error).
  rejectionShare: 0.005,
  // Assumption: 1 request in 1000 fails authentication at the DSP.
  authenticationFailureShare: 0.001,
  // Assumption: a DSP-only request is answered in about half a second.
  dspOnlyProcessing: { dist: 'lognormal', median: 500, sigma: 0.4 },
  // Assumption: deferred (24-hour) requests wait from minutes to a few hours for the DSP's slower processing.
  deferral: { dist: 'lognormal', median: 30 * 60 * SECOND, sigma: 1, max: 20 * 3_600 * SECOND },
  // Assumption: 5 minutes, for SRVs without a maximum completion time of their own (seed 002 gives 4.6.1, 4.8.2, 4.8.3, 4.10 theirs).
  responseTimeout: 300 * SECOND,
  // Seed 002 section 3.4: 13 months of profile data in about 2 hours at low load; assumption: the DSP waits that long.
  longReadTimeout: 2 * 3_600 * SECOND,
  // Assumption: tens of ms, as routing an alert.
  responseProcessing: { dist: 'lognormal', median: 50, sigma: 0.3 },
};

export const DEFAULT_DSP: DspConfig = {
  // Assumption: validation takes 100-200 ms.
  validation: { dist: 'lognormal', median: 150, sigma: 0.25 },
  // Assumption: 1 in 1000 messages fails validation.
  rejectionShare: 0.001,
  // Assumption: access control and routing take tens of ms.
  routing: { dist: 'lognormal', median: 50, sigma: 0.3 },
  // Assumption: the DSP throttles each User above some hundreds of alerts per second (DOMAIN.md "Alert journey").
  // Sized for storms on regional estates: on all of GB the largest supplier receives about 2,000 Service Responses
  // a second in the overnight read burst, which this would hold for hours (bench/requests.ts, NATIONAL_USER_CAPACITY_PER_SECOND).
  throttlePerUserPerSecond: 500,
  // Assumption: 30 s for the User's handshake, half the A1 target of 60 s (seed 004 section 2.4.7).
  handshakeTimeout: 30 * SECOND,
  // DOMAIN.md "DUIS": the DCC retries at least once within 300 s; each delay runs from the previous attempt.
  retryDelays: [60 * SECOND, 180 * SECOND],
  // DOMAIN.md "DUIS": the failed queue holds alerts for 2 days.
  failedQueueRetention: 2 * DAY,
  outageMode: 'hold',
  requests: DEFAULT_DSP_REQUESTS,
};

/** Upper bound for the first retry (DOMAIN.md "DUIS": at least once within 300 s). */
export const FIRST_RETRY_LIMIT = 300 * SECOND;

export const dspSchema: Schema = obj('The Data Service Provider.', {
  validation: distribution('Receipt to validation done.'),
  rejectionShare: share('Share of messages rejected by validation.'),
  routing: distribution('Access control and routing: validation done to passed to the User.'),
  throttlePerUserPerSecond: perSecond('DUIS messages (alerts and Service Responses) per second per Service User before throttling (0 = never throttle).'),
  handshakeTimeout: duration("How long to wait for the User's handshake before retrying (default 30s)."),
  retryDelays: {
    type: 'array',
    description: 'Delay before each retry, from the previous attempt; the first retry must fall within 300 s (DUIS).',
    minItems: 1,
    items: duration('Delay before this retry.'),
  },
  failedQueueRetention: duration('How long the failed queue holds undelivered alerts (default 2d).'),
  outageMode: outageMode('What happens to traffic while it is out of service.'),
  requests: obj('Service requests at the DSP.', {
    userLink: distribution('The request crossing the DCC User Interface to the DSP (and the response back).'),
    validation: distribution('Receipt to validation, access control and routing done.'),
    rejectionShare: share('Share of requests failing validation: a User error, excludable.'),
    authenticationFailureShare: share('Share of requests failing authentication at the DSP: excludable.'),
    dspOnlyProcessing: distribution('Requests the DSP answers itself (8.1.1, 8.14.x): receipt to response ready.'),
    deferral: distribution('Wait of a deferred (24-hour) request before processing.'),
    responseTimeout: duration('Answer E212 once no response came for this long (SRVs without a maximum completion time; default 5m).'),
    longReadTimeout: duration('Answer E212 to a profile read without a maximum completion time (4.8.1) after this (default 2h).'),
    responseProcessing: distribution('A response leaving the DSP for the User.'),
  }),
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
    requests: readDspRequests(r, [...path, 'requests'], asObj(raw.requests), d.requests),
  };
}

function readDspRequests(r: ParamReader, path: Path, raw: Obj, d: DspRequestConfig): DspRequestConfig {
  return {
    userLink: r.distribution([...path, 'userLink'], raw.userLink, d.userLink),
    validation: r.distribution([...path, 'validation'], raw.validation, d.validation),
    rejectionShare: r.number(raw.rejectionShare, d.rejectionShare),
    authenticationFailureShare: r.number(raw.authenticationFailureShare, d.authenticationFailureShare),
    dspOnlyProcessing: r.distribution([...path, 'dspOnlyProcessing'], raw.dspOnlyProcessing, d.dspOnlyProcessing),
    deferral: r.distribution([...path, 'deferral'], raw.deferral, d.deferral),
    responseTimeout: r.duration([...path, 'responseTimeout'], raw.responseTimeout, d.responseTimeout, { positive: true }),
    longReadTimeout: r.duration([...path, 'longReadTimeout'], raw.longReadTimeout, d.longReadTimeout, { positive: true }),
    responseProcessing: r.distribution([...path, 'responseProcessing'], raw.responseProcessing, d.responseProcessing),
  };
}

export class Dsp {
  private readonly validationMs: Sampler;
  private readonly routingMs: Sampler;
  private readonly rng: () => number;
  /** One pacing server per Service User. */
  readonly throttle: Throttle;
  rejected = 0;
  /** Service requests: samplers and chances on streams of their own. */
  readonly request: {
    userLink: Sampler;
    validation: Sampler;
    dspOnly: Sampler;
    deferral: Sampler;
    response: Sampler;
    chance: () => number;
  };

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
    const q = config.requests;
    this.request = {
      userLink: compile(q.userLink, streams.stream('dsp/requests/userLink')),
      validation: compile(q.validation, streams.stream('dsp/requests/validation')),
      dspOnly: compile(q.dspOnlyProcessing, streams.stream('dsp/requests/dspOnly')),
      deferral: compile(q.deferral, streams.stream('dsp/requests/deferral')),
      response: compile(q.responseProcessing, streams.stream('dsp/requests/response')),
      chance: streams.stream('dsp/requests/chance'),
    };
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
