/**
 * A Service User's gateway on the DCC User Interface: receives what the DSP
 * passes on, with a receive capacity, and confirms receipt with a handshake
 * after a latency; it can lose handshakes and be down for windows of time.
 */
import { compile, type Sampler } from '../engine/distributions.js';
import type { RandomStreams } from '../engine/random.js';
import type { ServiceUserConfig } from '../scenario/types.js';
import { OutageWindows, Station } from './station.js';

export class ServiceUserGateway {
  readonly station: Station;
  private readonly handshakeMs: Sampler;
  private readonly rng: () => number;
  /** Set by deliver(): when the gateway received it (-1: down) and when its handshake reached the DSP (-1: none). */
  lastReceived = -1;
  lastHandshake = -1;
  attempts = 0;
  refusedWhileDown = 0;
  handshakesLost = 0;

  constructor(
    readonly index: number,
    readonly config: ServiceUserConfig,
    streams: RandomStreams,
    readonly outages: OutageWindows,
  ) {
    this.station = new Station(config.capacityPerSecond);
    this.handshakeMs = compile(config.handshake, streams.stream(`serviceUser/${config.id}/handshake`));
    this.rng = streams.stream(`serviceUser/${config.id}/loss`);
  }

  get id(): string {
    return this.config.id;
  }

  /** A delivery attempt sent at `t`. Results in lastReceived / lastHandshake. */
  deliver(t: number): void {
    this.attempts++;
    if (this.outages.downUntil(t) >= 0) {
      this.refusedWhileDown++;
      this.lastReceived = -1;
      this.lastHandshake = -1;
      return;
    }
    const received = this.station.admit(t);
    this.lastReceived = received;
    if (this.rng() < this.config.handshakeLossShare) {
      this.handshakesLost++;
      this.lastHandshake = -1;
      return;
    }
    this.lastHandshake = received + Math.round(this.handshakeMs());
  }
}
