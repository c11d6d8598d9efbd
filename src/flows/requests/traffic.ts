/**
 * Background request traffic: for each (SRV stream, region) a Poisson stream
 * at perHubPerDay x hubs in the region, its rate following the stream's daily
 * shape hour by hour (UTC hour of the simulated instant), each request for a
 * hub drawn uniformly among the region's hubs and sent by that premises'
 * supplier or network operator. A prepayment-only SRV (2.2) draws among the
 * region's premises in prepayment mode, and its rate is per such premises.
 * Each generator has its own named random
 * stream (requests/<srv>/<region>), so adding a stream never moves another's
 * draws, and holds one pending kernel event at a time, so an overnight read
 * burst of millions never sits in the queue at once.
 */
import type { Simulator } from '../../engine/simulator.js';
import type { RandomStreams, Rng } from '../../engine/random.js';
import { REGIONS, regionIndex } from '../../dcc/regions.js';
import { SRV_CATALOGUE, srvIndex, type SrvTarget } from '../../dcc/srvs.js';
import { ESME, GPF, GSME, PPMID } from '../../estate/estate.js';
import type { Network } from '../../network/index.js';
import { DAILY_SHAPES, type RequestStreamConfig } from '../../scenario/requests.js';
import type { RequestJourney } from './journey.js';
import { TIMING_FUTURE_DATED, TIMING_ON_DEMAND, TIMING_SCHEDULED } from './table.js';
import { FUTURE_DATED_MAX, FUTURE_DATED_MIN, hourlyRates, nextArrival } from './arrivals.js';
import { RegionHubs } from '../region-hubs.js';

export interface TrafficEstate {
  hubsOfRegion(region: number): Uint32Array;
  hubSupplier: Uint8Array;
  hubArea: Uint8Array;
  /** Per hub: its REP ID (CSP North hubs), which a process reads with its premises. */
  hubRepId: Uint32Array;
  esmeOf(hub: number): number;
  isPrepayment(hub: number): boolean;
  deviceOf(hub: number, type: number): number;
}

const DEVICE_TYPE: Partial<Record<SrvTarget, number>> = { ESME, GSME, GPF, PPMID };


interface Generator {
  srv: number;
  region: number;
  timing: number;
  futureDatedShare: number;
  days: number;
  toOperator: boolean;
  deviceType: number;
  hubs: Uint32Array;
  /** Arrivals per ms in each hour of the day. */
  rates: Float64Array;
  rng: Rng;
}

export class RequestTraffic {
  private readonly gens: Generator[] = [];
  private readonly clock: Float64Array;
  private readonly kNext: number;
  readonly counts = { sent: 0, skippedNoDevice: 0, skippedNoUser: 0 };

  constructor(
    private readonly sim: Simulator,
    private readonly estate: TrafficEstate,
    private readonly net: Network,
    private readonly journey: RequestJourney,
    streams: RequestStreamConfig[],
    random: RandomStreams,
    private readonly epoch: number,
    private readonly end: number,
    regionHubs = new RegionHubs(estate),
  ) {
    for (const s of streams) {
      const srv = srvIndex(s.srv);
      const def = SRV_CATALOGUE[srv];
      const shape = DAILY_SHAPES[s.shape];
      for (const r of s.regions) {
        const region = regionIndex(r);
        const hubs = regionHubs.of(region, def.prepaymentOnly === true);
        const perDay = s.perHubPerDay * hubs.length;
        if (perDay <= 0) continue;
        this.gens.push({
          srv,
          region,
          timing: def.timings[0] === 'scheduled' ? TIMING_SCHEDULED : TIMING_ON_DEMAND,
          futureDatedShare: s.futureDatedShare,
          days: s.days,
          toOperator: s.from === 'networkOperator',
          // 8.1.1 runs in the DSP but names the device it commissions (a lone one: the ESME).
          deviceType: def.srv === '8.1.1' ? ESME : (DEVICE_TYPE[def.target] ?? -1),
          hubs,
          rates: hourlyRates(perDay, shape),
          rng: random.stream(`requests/${s.srv}/${REGIONS[region]}`),
        });
      }
    }
    this.clock = new Float64Array(this.gens.length);
    this.kNext = sim.on('requests.traffic', (g) => this.next(g));
    for (let g = 0; g < this.gens.length; g++) this.advance(g);
  }

  /** Moves generator g's clock to its next arrival through the hourly rates, and schedules it. */
  private advance(g: number): void {
    const gen = this.gens[g];
    const t = nextArrival(this.clock[g], gen.rates, gen.rng, this.epoch, this.end);
    this.clock[g] = t;
    if (t < this.end) this.sim.at(Math.max(this.sim.now, Math.round(t)), this.kNext, g);
  }

  private next(g: number): void {
    const gen = this.gens[g];
    const hub = gen.hubs[Math.floor(gen.rng() * gen.hubs.length)];
    const device = gen.deviceType === ESME ? this.estate.esmeOf(hub) : gen.deviceType >= 0 ? this.estate.deviceOf(hub, gen.deviceType) : -1;
    const user = gen.toOperator ? this.net.operatorOfArea[this.estate.hubArea[hub]] : this.net.supplierUsers[this.estate.hubSupplier[hub]];
    if (gen.deviceType >= 0 && device < 0) this.counts.skippedNoDevice++;
    else if (user < 0) this.counts.skippedNoUser++;
    else {
      let timing = gen.timing;
      let execution = NaN;
      if (timing === TIMING_ON_DEMAND && gen.futureDatedShare > 0 && gen.rng() < gen.futureDatedShare) {
        timing = TIMING_FUTURE_DATED;
        execution = this.sim.now + Math.round(FUTURE_DATED_MIN + gen.rng() * (FUTURE_DATED_MAX - FUTURE_DATED_MIN));
      }
      this.journey.send(gen.srv, timing, hub, device, gen.deviceType, gen.region, user, gen.days, execution);
      this.counts.sent++;
    }
    this.advance(g);
  }
}
