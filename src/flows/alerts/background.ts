/**
 * Background alert traffic: for each (alert code, region) a Poisson stream
 * at perHubPerDay x hubs in the region, each arrival from a hub drawn
 * uniformly among the region's hubs. Alert surges are the same streams,
 * active for a window. Each generator keeps its own clock in full precision
 * and schedules at whole milliseconds.
 */
import type { Simulator } from '../../engine/simulator.js';
import type { Rng } from '../../engine/random.js';
import { ALERT_CATALOGUE, alertByCode } from '../../dcc/alerts.js';
import { regionIndex } from '../../dcc/regions.js';
import type { Scenario } from '../../scenario/types.js';
import type { AlertJourney } from './journey.js';
import { codeIndex } from './routing.js';

const DAY_MS = 86_400_000;

export interface BackgroundEstate {
  /** Hub indices of each region (north, central, south, smets1). */
  hubsOfRegion(region: number): Uint32Array;
  isPowered(hub: number): boolean;
  /** The device that raises `code` at this premises (-1: none there). */
  raiserOf(code: number, hub: number): number;
}

export interface Generator {
  code: number;
  region: number;
  perHubPerDay: number;
  start: number;
  end: number;
  cause: number;
}

export class BackgroundAlerts {
  private readonly clock: Float64Array;
  private readonly meanGap: Float64Array;
  private readonly hubs: Uint32Array[];
  private readonly kNext: number;
  private readonly kStart: number;
  readonly counts = { raised: 0, skippedUnpowered: 0, skippedNoDevice: 0 };

  constructor(
    private readonly sim: Simulator,
    private readonly estate: BackgroundEstate,
    private readonly journey: AlertJourney,
    private readonly generators: Generator[],
    private readonly rng: Rng,
  ) {
    this.clock = new Float64Array(generators.length);
    this.meanGap = new Float64Array(generators.length);
    this.hubs = generators.map((g) => estate.hubsOfRegion(g.region));
    this.kNext = sim.on('background.alert', (g) => this.next(g));
    this.kStart = sim.on('background.start', (g) => this.advance(g));
    generators.forEach((g, i) => {
      const n = this.hubs[i].length;
      const ratePerMs = (g.perHubPerDay * n) / DAY_MS;
      if (ratePerMs <= 0) return;
      this.meanGap[i] = 1 / ratePerMs;
      this.clock[i] = g.start;
      sim.at(g.start, this.kStart, i);
    });
  }

  private advance(g: number): void {
    this.clock[g] += -this.meanGap[g] * Math.log(1 - this.rng());
    if (this.clock[g] >= this.generators[g].end) return;
    this.sim.at(Math.round(this.clock[g]), this.kNext, g);
  }

  private next(g: number): void {
    const gen = this.generators[g];
    const hubs = this.hubs[g];
    const hub = hubs[Math.floor(this.rng() * hubs.length)];
    if (!this.estate.isPowered(hub)) {
      this.counts.skippedUnpowered++;
    } else {
      const device = this.estate.raiserOf(gen.code, hub);
      if (device < 0) this.counts.skippedNoDevice++;
      else {
        this.journey.raiseDeviceAlert(gen.code, hub, device, this.sim.now, gen.cause);
        this.counts.raised++;
      }
    }
    this.advance(g);
  }
}

/** The streams of a scenario: its background traffic until `end`, and each alertSurge for its window. */
export function buildGenerators(scenario: Scenario, end: number): Generator[] {
  const gens: Generator[] = [];
  for (const b of scenario.background) {
    for (const r of b.regions) {
      gens.push({ code: sourceOf(b.code), region: regionIndex(r), perHubPerDay: b.perHubPerDay, start: 0, end, cause: 0 });
    }
  }
  scenario.events.forEach((e, i) => {
    if (e.type !== 'alertSurge') return;
    for (const r of e.regions) {
      gens.push({ code: sourceOf(e.code), region: regionIndex(r), perHubPerDay: e.perHubPerDay, start: e.at, end: Math.min(end, e.at + e.duration), cause: i + 1 });
    }
  });
  return gens;
}

/**
 * The code a traffic stream raises: the alert itself, or for a DCC Alert the
 * DSP raises from a Device Alert (N39, N53, N54, N62) the Device Alert aimed
 * at the DSP that yields it (so a stream of N53 also yields N54, as the
 * catalogue pairs them).
 */
function sourceOf(code: string): number {
  const def = alertByCode(code);
  if (def?.kind !== 'dsp') return codeIndex(code);
  const source = ALERT_CATALOGUE.find((a) => a.receiver === 'dsp' && a.dccAlertCodes.includes(code));
  if (!source) throw new RangeError(`no Device Alert yields ${code}`);
  return codeIndex(source.code);
}
