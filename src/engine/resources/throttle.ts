/**
 * A throttle: one paced server per key (a client, a destination), each
 * passing at most `perSecond` jobs. A job that would exceed its key's rate
 * waits, and is marked held. Within one episode (from the moment a key's
 * queue forms until it drains) held jobs are numbered 1, 2, ..., and each
 * learns how many jobs were queued for its key when it arrived, itself
 * included.
 *
 * pass() reports through fields (lastHeld, lastSequence, lastAhead) rather
 * than a result object, so a storm of throttled jobs allocates nothing.
 */
import { PacedServer } from './paced-server.js';

export class Throttle {
  private readonly servers: PacedServer[];
  private readonly episodeSeq: Int32Array;
  /** Set by pass(): was the job held, its number in the episode, and the jobs queued for its key with it. */
  lastHeld = false;
  lastSequence = 0;
  lastAhead = 0;

  constructor(perSecond: number, keys: number) {
    this.servers = Array.from({ length: keys }, () => new PacedServer(perSecond));
    this.episodeSeq = new Int32Array(keys);
  }

  /** When a job for `key`, ready at `t`, may pass. Sets lastHeld / lastSequence / lastAhead. */
  pass(key: number, t: number): number {
    const server = this.servers[key];
    if (!server.busy(t)) {
      this.episodeSeq[key] = 0;
      this.lastHeld = false;
      return server.admit(t);
    }
    this.lastHeld = true;
    this.lastSequence = ++this.episodeSeq[key];
    this.lastAhead = server.ahead(t);
    return server.admit(t);
  }

  /** Jobs held so far for `key`. */
  heldFor(key: number): number {
    return this.servers[key].queued;
  }

  /** Jobs held at `t` for every key (arrived, not yet passed): the throttle's queue. */
  backlog(t: number): number {
    let n = 0;
    for (const s of this.servers) n += s.backlog(t);
    return n;
  }

  /** Longest hold of any job, ms. */
  get maxWait(): number {
    let max = 0;
    for (const s of this.servers) if (s.maxWait > max) max = s.maxWait;
    return max;
  }
}
