/**
 * The alert metrics computed on the live stream of a run's feeds, with rxjs:
 * the same definitions as the batch pipeline (src/metrics/sql/alerts.sql,
 * docs/metrics.md), read from the same records (dsp-ast.jsonl, with SMETS1's
 * T1 joined from s1sp-audit-trail.jsonl by sourceId), so that when the run
 * ends the figures equal `dcc-twin report`'s for the same feeds:
 *
 * - A1 per region and All (seed 004, 2.4.7): alerts (rejected excluded),
 *   within target, missed, failed, throttled, rejected, % within;
 * - the A1 indicator per alert code: alerts, missed, late, failed;
 * - hop latencies (seed 000, CR1418 [A]) per day of the DSP's receipt,
 *   region and All: count, mean, median, p99.
 *
 * Counts are exact at every moment (of the alerts whose journey has ended:
 * the DSP writes an AST record then). Percentiles while running come from
 * histograms and are marked `approximate`; the final figures are exact.
 * 15-minute windows (by the DSP's receipt, as alert-throughput-15min.csv)
 * carry counts per region, code and minute, and the window's end-to-end
 * median and p99 (approximate).
 */
import { Observable, Subject, asyncScheduler, concat, defer, filter, map, of, scan, share, tap, throttleTime } from 'rxjs';
import { DSP_AST_PATH, type DspAstRecord } from '../feeds/dsp-ast.js';
import { S1SP_AUDIT_TRAIL_PATH } from '../feeds/s1sp-audit-trail.js';
import { parseTimestamp } from '../dcc/time.js';
import { REGION_LABELS, type RegionLabel } from '../dcc/regions.js';
import { ApproxQuantiles, ExactValues } from './quantiles.js';

/** Records of one feed written during one slice of the run, in order. */
export interface FeedBatch {
  path: string;
  lines: string[];
}

export const HOPS = ['hubToCsp', 'cspToDsp', 'dspToServiceUser', 'serviceUserHandshake', 'endToEnd'] as const;
export type Hop = (typeof HOPS)[number];
/** The report's regions and All, in the report's order. */
export const REGIONS_ALL = [...REGION_LABELS, 'All'] as const;
const ALL = REGION_LABELS.length;
const DAY_MS = 86_400_000;
export const WINDOW_MS = 15 * 60_000;

/** One alert as alerts.sql's a1_journeys sees it; hop values NaN where a point is missing. */
export interface Journey {
  region: number;
  alertCode: string;
  outcome: DspAstRecord['outcome'];
  throttled: boolean;
  dspReceived: number;
  hops: Float64Array;
  counted: boolean;
  withinTarget: boolean;
}

const ms = (s: string | undefined): number => (s === undefined ? NaN : parseTimestamp(s));
const first = (...v: number[]): number => {
  for (const x of v) if (!Number.isNaN(x)) return x;
  return NaN;
};

/** alerts.sql alert_start and alert_journeys, with `a1_start = 'raised'`. */
export function journeyOf(r: DspAstRecord, t1: number, slaMs: number): Journey {
  const chf = ms(r.chfReceivedTimestamp);
  const csp = ms(r.cspReceivedTimestamp);
  const passedByCsp = ms(r.cspPassedTimestamp);
  const dsp = ms(r.dspReceivedTimestamp);
  const toUser = ms(r.passedToServiceUserTimestamp);
  const handshake = ms(r.serviceUserHandshakeTimestamp);
  const start = r.alertCode === 'AD1' ? first(passedByCsp, dsp) : first(t1, chf, csp, dsp);
  const hops = new Float64Array([csp - chf, dsp - csp, toUser - dsp, handshake - toUser, handshake - start]);
  const counted = r.outcome !== 'rejected';
  return {
    region: REGION_LABELS.indexOf(r.region as RegionLabel),
    alertCode: r.alertCode,
    outcome: r.outcome,
    throttled: r.throttled,
    dspReceived: dsp,
    hops,
    counted,
    withinTarget: r.outcome === 'delivered' && hops[4] <= slaMs,
  };
}

/**
 * sources.sql's ast_alerts: SMETS1 records take T1 from the audit record
 * whose auditId is their sourceId (its earliest). An AST record may come
 * before its audit record; it waits for it, and at the end of the run
 * starts at T2 as the batch join leaves it (no audit record).
 */
export class Smets1Join {
  private readonly t1 = new Map<string, number>();
  private readonly waiting = new Map<string, DspAstRecord[]>();

  constructor(private readonly slaMs: number) {}

  accept(b: FeedBatch): Journey[] {
    const out: Journey[] = [];
    if (b.path === S1SP_AUDIT_TRAIL_PATH) {
      for (const line of b.lines) {
        const a = JSON.parse(line) as { auditId: string; T1: string };
        const t = parseTimestamp(a.T1);
        const had = this.t1.get(a.auditId);
        if (had === undefined || t < had) this.t1.set(a.auditId, t);
        const w = this.waiting.get(a.auditId);
        if (w !== undefined) {
          this.waiting.delete(a.auditId);
          for (const r of w) out.push(journeyOf(r, t, this.slaMs));
        }
      }
    } else if (b.path === DSP_AST_PATH) {
      for (const line of b.lines) {
        const r = JSON.parse(line) as DspAstRecord;
        if (r.region !== 'SMETS1' || r.sourceId === undefined) {
          out.push(journeyOf(r, NaN, this.slaMs));
          continue;
        }
        const t = this.t1.get(r.sourceId);
        if (t !== undefined) out.push(journeyOf(r, t, this.slaMs));
        else {
          const w = this.waiting.get(r.sourceId);
          if (w === undefined) this.waiting.set(r.sourceId, [r]);
          else w.push(r);
        }
      }
    }
    return out;
  }

  /** The records still waiting, started at T2: the run has ended and no audit record will come. */
  flush(): Journey[] {
    const out: Journey[] = [];
    for (const w of this.waiting.values()) for (const r of w) out.push(journeyOf(r, NaN, this.slaMs));
    this.waiting.clear();
    return out;
  }
}

interface A1Counts {
  alerts: number;
  withinTarget: number;
  missed: number;
  failed: number;
  throttled: number;
  rejected: number;
}
const newA1 = (): A1Counts => ({ alerts: 0, withinTarget: 0, missed: 0, failed: 0, throttled: 0, rejected: 0 });

interface CodeCounts {
  alerts: number;
  missed: number;
  late: number;
  failed: number;
}

/** One 15-minute window's figures as they stand. */
export interface WindowFigures {
  windowStart: string;
  alerts: number;
  byRegion: Record<string, number>;
  byCode: Record<string, number>;
  /** Alerts per minute of the DSP's receipt, by region: 15 entries each. */
  perMinute: Record<string, number[]>;
  withinTarget: number;
  pctWithinTarget: number | null;
  endToEnd: { medianMs: number | null; p99Ms: number | null; approximate: true };
}

class WindowAcc {
  alerts = 0;
  withinTarget = 0;
  counted = 0;
  readonly byRegion = new Float64Array(REGION_LABELS.length);
  readonly byCode = new Map<string, number>();
  readonly perMinute = REGION_LABELS.map(() => new Float64Array(15));
  readonly endToEnd = new ApproxQuantiles();
  constructor(readonly start: number) {}

  add(j: Journey): void {
    this.alerts++;
    this.byRegion[j.region]++;
    this.byCode.set(j.alertCode, (this.byCode.get(j.alertCode) ?? 0) + 1);
    this.perMinute[j.region][Math.floor((j.dspReceived - this.start) / 60_000)]++;
    if (j.counted) this.counted++;
    if (j.withinTarget) this.withinTarget++;
    if (!Number.isNaN(j.hops[4])) this.endToEnd.push(j.hops[4]);
  }

  figures(): WindowFigures {
    return {
      windowStart: new Date(this.start).toISOString(),
      alerts: this.alerts,
      byRegion: Object.fromEntries(REGION_LABELS.map((r, i) => [r, this.byRegion[i]])),
      byCode: Object.fromEntries([...this.byCode].sort((a, b) => (a[0] < b[0] ? -1 : 1))),
      perMinute: Object.fromEntries(REGION_LABELS.map((r, i) => [r, [...this.perMinute[i]]])),
      withinTarget: this.withinTarget,
      pctWithinTarget: this.counted === 0 ? null : (100 * this.withinTarget) / this.counted,
      endToEnd: { medianMs: this.endToEnd.quantile(0.5), p99Ms: this.endToEnd.quantile(0.99), approximate: true },
    };
  }
}

export interface HopRow {
  periodStart?: string;
  region: string;
  hop: Hop;
  alerts: number;
  meanMs: number | null;
  medianMs: number | null;
  p99Ms: number | null;
}

export interface MetricsSnapshot {
  /** False while running: counts are exact so far, percentiles approximate. True once the run ended: every figure exact. */
  final: boolean;
  approximate: boolean;
  simNow: number;
  a1: Array<{ region: string; pctWithinTarget: number | null } & A1Counts>;
  indicator: Array<{ alertCode: string; pctMissed: number } & CodeCounts>;
  /** Whole run so far, per region and All. */
  hops: HopRow[];
  /** Per day of the DSP's receipt (final only): hop_latency_daily's rows with alertCode All. */
  hopsDaily?: HopRow[];
}

const round3 = (v: number | null): number | null => (v === null ? null : Math.round(v * 1000) / 1000);

/** Everything the metrics need, added to journey by journey. */
export class LiveTotals {
  private readonly a1 = REGIONS_ALL.map(newA1);
  private readonly codes = new Map<string, CodeCounts>();
  /** Running percentiles per region (All included) and hop. */
  private readonly approx = REGIONS_ALL.map(() => HOPS.map(() => new ApproxQuantiles()));
  private readonly sums = REGIONS_ALL.map(() => new Float64Array(HOPS.length));
  /** Exact values per day, region (not All) and hop: `${day}|${region}|${hop}`. */
  private readonly exact = new Map<string, ExactValues>();
  private readonly windows = new Map<number, WindowAcc>();
  private readonly dirty = new Set<number>();

  add(js: Journey[]): this {
    for (const j of js) {
      for (const r of [j.region, ALL]) {
        const a = this.a1[r];
        if (j.counted) a.alerts++;
        if (j.withinTarget) a.withinTarget++;
        if (j.counted && !j.withinTarget) a.missed++;
        if (j.outcome === 'failed') a.failed++;
        if (j.counted && j.throttled) a.throttled++;
        if (j.outcome === 'rejected') a.rejected++;
      }
      let c = this.codes.get(j.alertCode);
      if (c === undefined) this.codes.set(j.alertCode, (c = { alerts: 0, missed: 0, late: 0, failed: 0 }));
      if (j.counted) c.alerts++;
      if (j.counted && !j.withinTarget) c.missed++;
      if (j.outcome === 'delivered' && !j.withinTarget) c.late++;
      if (j.outcome === 'failed') c.failed++;

      const day = Math.floor(j.dspReceived / DAY_MS);
      for (let h = 0; h < HOPS.length; h++) {
        const v = j.hops[h];
        if (Number.isNaN(v)) continue;
        this.approx[j.region][h].push(v);
        this.approx[ALL][h].push(v);
        this.sums[j.region][h] += v;
        this.sums[ALL][h] += v;
        const key = `${day}|${j.region}|${h}`;
        let e = this.exact.get(key);
        if (e === undefined) this.exact.set(key, (e = new ExactValues()));
        e.push(v);
      }
      const ws = Math.floor(j.dspReceived / WINDOW_MS) * WINDOW_MS;
      let w = this.windows.get(ws);
      if (w === undefined) this.windows.set(ws, (w = new WindowAcc(ws)));
      w.add(j);
      this.dirty.add(ws);
    }
    return this;
  }

  /** The windows changed since the last call, oldest first. */
  takeDirtyWindows(): WindowFigures[] {
    const out = [...this.dirty].sort((a, b) => a - b).map((ws) => this.windows.get(ws)!.figures());
    this.dirty.clear();
    return out;
  }

  allWindows(): WindowFigures[] {
    return [...this.windows.keys()].sort((a, b) => a - b).map((ws) => this.windows.get(ws)!.figures());
  }

  snapshot(simNow: number, final: boolean): MetricsSnapshot {
    const a1 = REGIONS_ALL.map((region, i) => ({
      region,
      ...this.a1[i],
      pctWithinTarget: this.a1[i].alerts === 0 ? null : (100 * this.a1[i].withinTarget) / this.a1[i].alerts,
    })).filter((r) => r.alerts + r.rejected > 0);
    const indicator = [...this.codes]
      .filter(([, c]) => c.alerts > 0)
      .map(([alertCode, c]) => ({ alertCode, ...c, pctMissed: (100 * c.missed) / c.alerts }))
      .sort((a, b) => b.missed - a.missed || (a.alertCode < b.alertCode ? -1 : 1));
    const snap: MetricsSnapshot = { final, approximate: !final, simNow, a1, indicator, hops: final ? this.exactHops(null) : this.approxHops() };
    if (final) {
      const days = [...new Set([...this.exact.keys()].map((k) => Number(k.split('|')[0])))].sort((a, b) => a - b);
      snap.hopsDaily = days.flatMap((d) => this.exactHops(d));
    }
    return snap;
  }

  private approxHops(): HopRow[] {
    const rows: HopRow[] = [];
    HOPS.forEach((hop, h) =>
      REGIONS_ALL.forEach((region, r) => {
        const q = this.approx[r][h];
        if (q.n > 0) rows.push({ region, hop, alerts: q.n, meanMs: this.sums[r][h] / q.n, medianMs: q.quantile(0.5), p99Ms: q.quantile(0.99) });
      }),
    );
    return rows;
  }

  /** Exact rows for one day, or for the whole run (day null). */
  private exactHops(day: number | null): HopRow[] {
    const rows: HopRow[] = [];
    HOPS.forEach((hop, h) => {
      const all = new ExactValues();
      REGION_LABELS.forEach((region, r) => {
        const v = new ExactValues();
        for (const [k, e] of this.exact) {
          const [d, kr, kh] = k.split('|').map(Number);
          if (kr === r && kh === h && (day === null || d === day)) v.pushAll(e);
        }
        all.pushAll(v);
        if (v.n > 0) rows.push(hopRow(day, region, hop, v));
      });
      if (all.n > 0) rows.push(hopRow(day, 'All', hop, all));
    });
    return rows;
  }
}

function hopRow(day: number | null, region: string, hop: Hop, v: ExactValues): HopRow {
  return {
    ...(day === null ? {} : { periodStart: new Date(day * DAY_MS).toISOString() }),
    region,
    hop,
    alerts: v.n,
    meanMs: round3(v.sum / v.n),
    medianMs: round3(v.quantile(0.5)),
    p99Ms: round3(v.quantile(0.99)),
  };
}

export interface LiveStreams {
  /** Metric snapshots, at most one per `sampleMs` of wall time while running, then the final one. */
  metrics$: Observable<MetricsSnapshot>;
  /** Windows that changed, sampled like the metrics; every window once more at the end. */
  windows$: Observable<WindowFigures[]>;
}

/**
 * The pipeline: feed batches -> journeys (SMETS1 joined) -> totals, sampled
 * on the run's slice ticks. `batches` and `ticks` complete when the run ends;
 * the last metrics snapshot is then the exact, final one.
 */
export function liveMetrics(batches: Observable<FeedBatch>, ticks: Observable<number>, opts: { slaMs?: number; sampleMs?: number } = {}): LiveStreams {
  const join = new Smets1Join(opts.slaMs ?? 60_000);
  const totals = new LiveTotals();
  let simNow = 0;
  const journeys$ = concat(
    batches.pipe(
      filter((b) => b.path === DSP_AST_PATH || b.path === S1SP_AUDIT_TRAIL_PATH),
      map((b) => join.accept(b)),
    ),
    defer(() => of(join.flush())),
  );
  const done = new Subject<void>();
  // Totals are kept up to date on every batch; ticks read them.
  const added = journeys$.pipe(scan((t, js) => t.add(js), totals), share());
  const metrics$ = new Observable<MetricsSnapshot>((sub) => {
    const s1 = added.subscribe({ complete: () => done.next() });
    const s2 = ticks
      .pipe(
        tap((t) => (simNow = t)),
        throttleTime(opts.sampleMs ?? 250, asyncScheduler, { leading: true, trailing: true }),
      )
      .subscribe(() => sub.next(totals.snapshot(simNow, false)));
    const s3 = done.subscribe(() => {
      sub.next(totals.snapshot(simNow, true));
      sub.complete();
    });
    return () => {
      s1.unsubscribe();
      s2.unsubscribe();
      s3.unsubscribe();
    };
  }).pipe(share());
  const windows$ = metrics$.pipe(
    map((m) => (m.final ? totals.allWindows() : totals.takeDirtyWindows())),
    filter((w) => w.length > 0),
  );
  return { metrics$, windows$ };
}
