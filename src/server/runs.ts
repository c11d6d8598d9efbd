/**
 * The live server's runs: one at a time is active, earlier ones are kept
 * (their final figures and windows) so that two can be compared side by
 * side. A run is the twin in this process, slice by slice (src/twin.ts), or
 * a recorded event log replayed in slices (log-source.ts); the server stays
 * responsive because the source yields between slices, and pause holds it
 * there (no slice is started until resume). Feeds leave through a
 * LiveSink, teed with a FileSink when a run directory is asked for, in which
 * case the run directory is written as `dcc-twin run` writes it (staged,
 * manifest, report) and replaces its target only when complete.
 */
import path from 'node:path';
import { parseDocument } from 'yaml';
import { Subject, type Subscription } from 'rxjs';
import { parseScenario, readScenarioFile } from '../scenario/load.js';
import type { Scenario } from '../scenario/types.js';
import { runTwin, type RunOptions, type RunProgress } from '../twin.js';
import { FileSink, TeeSink, prepareRunDir, type FeedSink, type WrittenFile } from '../feeds/sink.js';
import { writeManifest, type ManifestInfo } from '../feeds/manifest.js';
import { RunDirLock, Staging, makeParent, resolveRunDir } from '../feeds/run-dir.js';
import { LiveSink } from './live-sink.js';
import { logInfo, logSource } from './log-source.js';
import { liveMetrics, type FeedBatch, type MetricsSnapshot, type WindowFigures } from './live-metrics.js';

export type RunState = 'running' | 'paused' | 'stopped' | 'finished' | 'failed';

export interface StartRequest {
  /** A bundled scenario's name (scenarios/<name>.yaml) or, from the command line, a file. */
  scenario?: string;
  /** A recorded event log the server was started with (instead of a scenario). */
  log?: string;
  /** A log's pace: simulated seconds per wall second, or as fast as it goes. */
  speed?: number | 'max';
  hubs?: number;
  throttlePerUserPerSecond?: number;
  seed?: number;
  /** Simulated duration, ms (instead of the scenario's). */
  untilMs?: number;
  duis?: boolean;
}

/** What runs send to the clients, in order; `run` is the run's id. */
export type RunMessage =
  | { type: 'state'; run: number; state: RunState; error?: string; runDir?: string }
  | ({ type: 'progress'; run: number; wallSeconds: number } & RunProgress)
  | { type: 'records'; run: number; feed: string; batch: FeedBatch }
  | { type: 'windows'; run: number; windows: WindowFigures[] }
  | { type: 'metrics'; run: number; metrics: MetricsSnapshot }
  | { type: 'report'; run: number; metricsJson: unknown };

class Stopped extends Error {}

/**
 * Where a run's records come from: anything that writes feeds through a
 * FeedSink and calls the hooks between its slices. The twin is one; a
 * recorded log replayed through a FeedSink is another, wired the same way.
 */
export type FeedSource = (sink: FeedSink, hooks: Required<Pick<RunOptions, 'onProgress' | 'between'>>) => Promise<unknown>;

/** What a run is of: the scenario's, or the recorded run's as its log's header names it. */
export interface RunInfo {
  name: string;
  hubs: number;
  /** Simulated duration, ms. */
  duration: number;
  /** manifest.json's facts about the run, for a run directory. */
  manifest: (files: WrittenFile[]) => ManifestInfo;
}

/** A run of the twin as a FeedSource. */
export function twinSource(scenario: Scenario, sourceText: Buffer | string): FeedSource {
  return (sink, hooks) => runTwin(scenario, { outDir: '', sink, sourceText, ...hooks });
}

export class Run {
  state: RunState = 'running';
  error?: string;
  progress: RunProgress | null = null;
  metrics: MetricsSnapshot | null = null;
  windows = new Map<string, WindowFigures>();
  /** metrics.json of the batch report, when a run directory was written. */
  report: unknown = null;
  runDir?: string;
  readonly done: Promise<void>;
  private resume: (() => void) | null = null;
  private paused: Promise<void> | null = null;
  private stopAsked = false;

  constructor(
    readonly id: number,
    readonly request: StartRequest,
    readonly info: RunInfo,
    private readonly emit: (m: RunMessage) => void,
    opts: { feeds: FeedSource; outRoot?: string; report: boolean },
  ) {
    this.done = this.go(opts);
  }

  describe() {
    return {
      id: this.id,
      scenario: this.info.name,
      request: this.request,
      hubs: this.info.hubs,
      state: this.state,
      error: this.error,
      simNow: this.progress?.simNow ?? 0,
      simEnd: this.info.duration,
      runDir: this.runDir,
    };
  }

  pause(): void {
    if (this.state !== 'running') return;
    this.paused = new Promise((r) => (this.resume = r));
    this.setState('paused');
  }

  unpause(): void {
    if (this.state !== 'paused') return;
    this.setState('running');
    const r = this.resume;
    this.paused = this.resume = null;
    r?.();
  }

  stop(): void {
    if (this.state !== 'running' && this.state !== 'paused') return;
    this.stopAsked = true;
    this.unpause();
  }

  private setState(s: RunState): void {
    this.state = s;
    this.emit({ type: 'state', run: this.id, state: s, error: this.error, runDir: this.runDir });
  }

  private async go(opts: { feeds: FeedSource; outRoot?: string; report: boolean }): Promise<void> {
    const t0 = performance.now();
    this.emit({ type: 'state', run: this.id, state: 'running' });
    const live = new LiveSink();
    const ticks = new Subject<number>();
    const subs: Subscription[] = [];
    const { metrics$, windows$ } = liveMetrics(live.batches, ticks);
    subs.push(
      live.batches.subscribe((batch) => this.emit({ type: 'records', run: this.id, feed: batch.path, batch })),
      metrics$.subscribe((m) => {
        this.metrics = m;
        this.emit({ type: 'metrics', run: this.id, metrics: m });
      }),
      windows$.subscribe((ws) => {
        for (const w of ws) this.windows.set(w.windowStart, w);
        this.emit({ type: 'windows', run: this.id, windows: ws });
      }),
    );
    let lock: RunDirLock | null = null;
    let staging: Staging | null = null;
    let files: FileSink | null = null;
    try {
      let sink: FeedSink = live;
      if (opts.outRoot !== undefined) {
        const target = resolveRunDir(path.join(opts.outRoot, `${this.info.name}-${this.id}`));
        makeParent(target);
        lock = RunDirLock.take(target, []);
        staging = Staging.begin(target, { force: false }, []);
        prepareRunDir(staging.dir);
        files = new FileSink(staging.dir);
        sink = new TeeSink(files, live);
        this.runDir = target;
      }
      await opts.feeds(sink, {
        onProgress: (p) => {
          this.progress = p;
          live.flush();
          ticks.next(p.simNow);
          this.emit({ type: 'progress', run: this.id, wallSeconds: (performance.now() - t0) / 1000, ...p });
        },
        between: async () => {
          await new Promise((r) => setImmediate(r));
          if (this.paused !== null) await this.paused;
          if (this.stopAsked) throw new Stopped();
        },
      });
      ticks.complete();
      if (files !== null && staging !== null) {
        await writeManifest(staging.dir, this.info.manifest(files.written()));
        if (opts.report) {
          const { runReport } = await import('../metrics/index.js');
          const r = await runReport(staging.dir, { name: this.runDir });
          const json = r.files.find((f) => f.endsWith('metrics.json'));
          if (json !== undefined) this.report = JSON.parse((await import('node:fs')).readFileSync(json, 'utf8'));
        }
        staging.commit();
        staging = null;
        if (this.report !== null) this.emit({ type: 'report', run: this.id, metricsJson: this.report });
      }
      this.setState('finished');
    } catch (e) {
      // Close what the run left open (the file writer's thread); its figures stay as they were.
      await closeQuietly(files);
      await closeQuietly(live);
      ticks.complete();
      if (e instanceof Stopped) this.setState('stopped');
      else {
        this.error = e instanceof Error ? e.message : String(e);
        this.setState('failed');
      }
    } finally {
      staging?.abandon();
      lock?.release();
      for (const s of subs) s.unsubscribe();
    }
  }
}

async function closeQuietly(s: FeedSink | null): Promise<void> {
  try {
    await s?.close();
  } catch {
    // the run failed already; its own error is the one to report
  }
}

/** Reads a scenario with the dashboard's overrides applied to the file's text, so they are validated as the file is. */
export function scenarioFor(file: string, req: StartRequest): { scenario: Scenario; source: Buffer | string } {
  const bytes = readScenarioFile(file);
  let text = bytes.toString('utf8');
  if (req.hubs !== undefined || req.throttlePerUserPerSecond !== undefined) {
    const doc = parseDocument(text);
    if (req.hubs !== undefined) doc.setIn(['estate', 'hubs'], req.hubs);
    if (req.throttlePerUserPerSecond !== undefined) doc.setIn(['components', 'dsp', 'throttlePerUserPerSecond'], req.throttlePerUserPerSecond);
    text = doc.toString();
  }
  const scenario = parseScenario(text, file, 'yaml', { seed: req.seed, until: req.untilMs });
  if (req.duis === false) scenario.output.duisBodies = false;
  return { scenario, source: text === bytes.toString('utf8') ? bytes : text };
}

/** Every run of this server, and which is active. */
export class Runs {
  private readonly all = new Map<number, Run>();
  private next = 1;
  /** Finished runs kept for comparison; older ones are forgotten. */
  static readonly KEEP = 8;

  constructor(
    private readonly emit: (m: RunMessage) => void,
    private readonly opts: { outRoot?: string; report: boolean },
  ) {}

  active(): Run | null {
    for (const r of this.all.values()) if (r.state === 'running' || r.state === 'paused') return r;
    return null;
  }

  latest(): Run | null {
    let last: Run | null = null;
    for (const r of this.all.values()) last = r;
    return last;
  }

  get(id: number): Run | undefined {
    return this.all.get(id);
  }

  list(): Run[] {
    return [...this.all.values()];
  }

  start(file: string, req: StartRequest): Run {
    const { scenario, source } = scenarioFor(file, req);
    const info: RunInfo = {
      name: scenario.name,
      hubs: scenario.estate.hubs,
      duration: scenario.duration,
      manifest: (files) => ({ scenario, sourceText: source, files }),
    };
    return this.add(req, info, twinSource(scenario, source));
  }

  /** Serves a recorded event log (log-source.ts) as a run: its feeds again, paced at `speed`. */
  startLog(file: string, req: StartRequest, speed: number): Run {
    return this.add(req, logInfo(file), logSource(file, speed));
  }

  private add(req: StartRequest, info: RunInfo, feeds: FeedSource): Run {
    const run = new Run(this.next++, req, info, this.emit, { feeds, outRoot: this.opts.outRoot, report: this.opts.report });
    this.all.set(run.id, run);
    for (const id of [...this.all.keys()]) {
      if (this.all.size <= Runs.KEEP) break;
      const old = this.all.get(id)!;
      if (old !== run && old.state !== 'running' && old.state !== 'paused') this.all.delete(id);
    }
    return run;
  }
}
