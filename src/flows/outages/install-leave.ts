/**
 * Install and Leave (DOMAIN.md; seed 000, CR1429; seed 004, 2.4.1 IC1): a
 * hub installed without SMWAN is reported by SRV 8.14.2; its CSP raises a
 * 90 Day Install No SMWAN incident and investigates for 90 days. Here each
 * successful 8.14.2 response the DSP sends (heard through the request
 * journey's onResponse) becomes one such incident: submitted submitDelay
 * later, with the CSP's diagnostics; a resolvedShare of them get SMWAN
 * within the window (closed, smwanEstablished), the rest are confirmed
 * without SMWAN when the 90 days end (closed, noSmwanConfirmed).
 *
 * Assumption (CR1429 names the fields, not their values): diagnostics read
 * marginalSignal or commsHubFault for hubs that will get SMWAN, noCoverage
 * for the others; an exclusion, when there is one, is premisesAccess or
 * outsideCoverageCommitment, evenly. One stream, outages/installAndLeave,
 * drawn in the order the responses are sent.
 */
import { bernoulli, compile, type Sampler } from '../../engine/distributions.js';
import type { Rng, RandomStreams } from '../../engine/random.js';
import { INSTALL_AND_LEAVE_WINDOW_MS } from '../../dcc/services.js';
import { RC_SUCCESS, srvIndex } from '../../dcc/srvs.js';
import { SMETS1 } from '../../dcc/regions.js';
import type { DIAGNOSTICS_RESULTS, EXCLUSIONS, NO_SMWAN_OUTCOMES } from '../../feeds/no-smwan-incidents.js';
import type { InstallAndLeaveConfig } from './params.js';

export interface NoSmwanIncident {
  serial: number;
  hub: number;
  /** ms after the epoch. */
  submitted: number;
  closed: number;
  outcome: (typeof NO_SMWAN_OUTCOMES)[number];
  diagnosticsResult: (typeof DIAGNOSTICS_RESULTS)[number];
  exclusion?: (typeof EXCLUSIONS)[number];
}

const SRV_8_14_2 = srvIndex('8.14.2');

export class InstallAndLeave {
  readonly incidents: NoSmwanIncident[] = [];
  private readonly rng: Rng;
  private readonly submitDelay: Sampler;
  private readonly timeToResolve: Sampler;

  constructor(
    private readonly cfg: InstallAndLeaveConfig,
    streams: RandomStreams,
    private readonly hubRegion: Uint8Array,
  ) {
    this.rng = streams.stream('outages/installAndLeave');
    this.submitDelay = compile(cfg.submitDelay, this.rng);
    this.timeToResolve = compile(cfg.timeToResolve, this.rng);
  }

  /** The request journey's onResponse: a successful 8.14.2 to a CSP-served hub starts a No-SMWAN incident. */
  readonly onResponse = (srv: number, hub: number, code: number, t: number): void => {
    if (srv !== SRV_8_14_2 || code !== RC_SUCCESS || this.hubRegion[hub] === SMETS1) return;
    const submitted = t + Math.max(0, Math.round(this.submitDelay()));
    const resolves = bernoulli(this.rng, this.cfg.resolvedShare);
    const closed = resolves ? submitted + Math.min(INSTALL_AND_LEAVE_WINDOW_MS, Math.max(1, Math.round(this.timeToResolve()))) : submitted + INSTALL_AND_LEAVE_WINDOW_MS;
    const u = this.rng();
    const excluded = bernoulli(this.rng, this.cfg.exclusionShare);
    this.incidents.push({
      serial: this.incidents.length + 1,
      hub,
      submitted,
      closed,
      outcome: resolves ? 'smwanEstablished' : 'noSmwanConfirmed',
      diagnosticsResult: resolves ? (u < 0.5 ? 'marginalSignal' : 'commsHubFault') : 'noCoverage',
      ...(excluded ? { exclusion: this.rng() < 0.5 ? 'premisesAccess' : 'outsideCoverageCommitment' } : {}),
    });
  };
}
