/**
 * Background alert traffic: for each (alert code, region) a Poisson stream
 * at perHubPerDay x the hubs that can raise the code in the region, each
 * arrival from a hub drawn uniformly among them. For the prepayment alerts
 * (810D, 8F0F: catalogue `prepaymentOnly`) those are the premises in
 * prepayment mode, so their rate reads "per prepayment meter per day"; for
 * every other code, every hub of the region. Alert surges are the same
 * streams, active for a window. Each generator keeps its own clock in full
 * precision, schedules at whole milliseconds, and draws from its own named
 * random stream (`flows/background/<code>/<region>`, a surge's
 * `events/<index>-alertSurge/<region>`), so adding a generator never moves
 * another's draws.
 */
import type { Simulator } from '../../engine/simulator.js';
import type { RandomStreams, Rng } from '../../engine/random.js';
import { standardExponential } from '../../engine/distributions.js';
import { ALERT_CATALOGUE, alertByCode } from '../../dcc/alerts.js';
import { regionIndex } from '../../dcc/regions.js';
import { eventStreamName } from '../stream-names.js';
import type { Scenario } from '../../scenario/types.js';
import type { AlertJourney } from './journey.js';
import { codeIndex } from './routing.js';

const DAY_MS = 86_400_000;

export interface BackgroundEstate {
  /** Hub indices of each region (north, central, south, smets1); only prepayment premises if asked. */
  hubsOfRegion(region: number, prepaymentOnly: boolean): Uint32Array;
  isPowered(hub: number): boolean;
  /** The device that raises `code` at this premises (-1: none there). */
  raiserOf(code: number, hub: number): number;
}

export interface Generator {
  code: number;
  region: number;
  /** Per hub that can raise the code (per prepayment meter for the prepayment alerts). */
  perHubPerDay: number;
  start: number;
  end: number;
  cause: number;
  /** Name of its random stream. */
  stream: string;
}

export class BackgroundAlerts {
  private readonly clock: Float64Array;
  private readonly meanGap: Float64Array;
  private readonly hubs: Uint32Array[];
  private readonly rngs: Rng[];
  private readonly kNext: number;
  private readonly kStart: number;
  readonly counts = { raised: 0, skippedUnpowered: 0, skippedNoDevice: 0 };

  constructor(
    private readonly sim: Simulator,
    private readonly estate: BackgroundEstate,
    private readonly journey: AlertJourney,
    private readonly generators: Generator[],
    streams: RandomStreams,
  ) {
    this.clock = new Float64Array(generators.length);
    this.meanGap = new Float64Array(generators.length);
    this.hubs = generators.map((g) => estate.hubsOfRegion(g.region, ALERT_CATALOGUE[g.code].prepaymentOnly === true));
    this.rngs = generators.map((g) => streams.stream(g.stream));
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
    this.clock[g] += this.meanGap[g] * standardExponential(this.rngs[g]);
    if (this.clock[g] >= this.generators[g].end) return;
    this.sim.at(Math.round(this.clock[g]), this.kNext, g);
  }

  private next(g: number): void {
    const gen = this.generators[g];
    const hubs = this.hubs[g];
    const hub = hubs[Math.floor(this.rngs[g]() * hubs.length)];
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
  // A code listed twice in the background keeps one stream per listing: the second is `<code>#2`.
  const listed = new Map<string, number>();
  for (const b of scenario.background) {
    const n = (listed.get(b.code) ?? 0) + 1;
    listed.set(b.code, n);
    const name = n === 1 ? b.code : `${b.code}#${n}`;
    for (const r of b.regions) {
      gens.push({
        code: sourceOf(b.code), region: regionIndex(r), perHubPerDay: b.perHubPerDay, start: 0, end, cause: 0,
        stream: `flows/background/${name}/${r}`,
      });
    }
  }
  scenario.events.forEach((e, i) => {
    if (e.type !== 'alertSurge') return;
    for (const r of e.regions) {
      gens.push({
        code: sourceOf(e.code), region: regionIndex(r), perHubPerDay: e.perHubPerDay, start: e.at, end: Math.min(end, e.at + e.duration), cause: i + 1,
        stream: `${eventStreamName(i, e.type)}/${r}`,
      });
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
