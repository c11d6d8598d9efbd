/**
 * A Service User's gateway on the DCC User Interface: receives what the DSP
 * passes on, with a receive capacity, and confirms receipt with a handshake
 * after a latency; it can lose handshakes and be down for windows of time.
 *
 * The gateway's parameters (the capacity, handshake and loss fields of each
 * scenario serviceUsers entry) are declared here: type, defaults with their
 * sources, schema fragment, reading from the file's units. Who the User is
 * (id, role, areas, market share) is the scenario's to say.
 */
import { compile, type DistributionSpec, type Sampler } from '../engine/distributions.js';
import type { RandomStreams } from '../engine/random.js';
import { PacedServer, type OutageWindows } from '../engine/resources/index.js';
import { distribution, perSecond, share, type Schema } from '../params/schema.js';
import type { Obj, ParamReader, Path } from '../params/read.js';

const SECOND = 1_000;

export type ServiceUserRole = 'supplier' | 'networkOperator';

/** A gateway's own parameters. */
export interface GatewayConfig {
  /** Alerts per second the gateway accepts (0 = unlimited). */
  capacityPerSecond: number;
  /** Receipt to handshake sent back. */
  handshake: DistributionSpec;
  /** Share of deliveries that get no handshake although the gateway is up. */
  handshakeLossShare: number;
}

export interface ServiceUserConfig extends GatewayConfig {
  /** The User ID as it appears in feeds (e.g. "DNO-NORTH-SCOTLAND"). */
  id: string;
  role: ServiceUserRole;
  /** Network operators: the network-operator areas (MPAN distributor ids) they serve. */
  areas: number[];
  /** Suppliers: market share of premises (shares over all suppliers sum to 1). */
  marketShare: number;
}

export const DEFAULT_GATEWAY: GatewayConfig = {
  // Assumption: a Service User gateway accepts some thousands of alerts per second.
  capacityPerSecond: 2_000,
  // Assumption: gateways confirm receipt in 100-500 ms, never all lost.
  handshake: { dist: 'lognormal', median: 200, sigma: 0.4, max: 20 * SECOND },
  handshakeLossShare: 0.0005,
};

/**
 * A User ID names the User's file of DUIS bodies (duis/<UserID>.ndxml), so it
 * keeps to what every file system takes: letters, digits, '.', '_' and '-',
 * starting with a letter or digit (never `..`, `/` or a hidden file), at most
 * 64 characters.
 */
export const USER_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$';

/** The User ID's schema, for the scenario's serviceUsers entries. */
export const userIdSchema: Schema = {
  type: 'string',
  pattern: USER_ID_PATTERN,
  description: 'User ID as it appears in feeds and names its DUIS file; unique. Letters, digits, ".", "_" and "-", starting with a letter or digit, at most 64.',
};

/** The gateway's fields of a serviceUsers entry (the scenario adds who the User is). */
export const gatewaySchemaProperties: Record<string, Schema> = {
  capacityPerSecond: perSecond('Alerts per second the gateway accepts (0 = unlimited; default 2000).'),
  handshake: distribution('Receipt to handshake sent back (default lognormal median 200ms).'),
  handshakeLossShare: share('Share of deliveries with no handshake although the gateway is up (default 0.0005).'),
};

export function readGateway(r: ParamReader, path: Path, raw: Obj, d: GatewayConfig = DEFAULT_GATEWAY): GatewayConfig {
  return {
    capacityPerSecond: r.number(raw.capacityPerSecond, d.capacityPerSecond),
    handshake: r.distribution([...path, 'handshake'], raw.handshake, d.handshake),
    handshakeLossShare: r.number(raw.handshakeLossShare, d.handshakeLossShare),
  };
}

export class ServiceUserGateway {
  readonly server: PacedServer;
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
    this.server = new PacedServer(config.capacityPerSecond);
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
    const received = this.server.admit(t);
    this.lastReceived = received;
    if (this.rng() < this.config.handshakeLossShare) {
      this.handshakesLost++;
      this.lastHandshake = -1;
      return;
    }
    this.lastHandshake = received + Math.round(this.handshakeMs());
  }
}
