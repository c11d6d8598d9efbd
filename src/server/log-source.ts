/**
 * A recorded event log (src/record/, docs/record-replay.md) as a live run's
 * FeedSource: its feeds replayed into the same LiveSink, stream and live
 * metrics as a run of the twin, paced at a number of simulated seconds per
 * wall second (or as fast as it goes). The log has no kernel slices, so the
 * pacer makes them: every simulated minute, every so many records and, while
 * it waits on the wall clock, a few times a second, it reports progress and
 * awaits the run's between-slice hook, where pause holds the replay and stop
 * ends it. Time spent paused is not made up afterwards.
 */
import fs from 'node:fs';
import type { RunProgress } from '../twin.js';
import type { Pacer } from '../record/replay.js';
import type { HeaderMsg } from '../record/log.js';
import { readHeader, headerManifest, replayLog } from '../record/replay.js';
import type { FeedSource, RunInfo } from './runs.js';

/** A slice's simulated length at most, ms: the live windows close on these ticks. */
const SLICE_SIM_MS = 60_000;
/** Records in one slice at most: a storm's burst is many records in one simulated minute. */
const SLICE_RECORDS = 20_000;
/** The longest wait on the wall clock before pause and stop are heard, ms. */
const WAIT_SLICE_MS = 200;

type Hooks = Parameters<FeedSource>[1];

/** The run's name, estate and duration as the log's header has them. */
export function logInfo(file: string): RunInfo {
  const header = readHeader(file);
  return { ...ofHeader(header), manifest: (files) => headerManifest(header, files) };
}

function ofHeader(header: HeaderMsg): { name: string; hubs: number; duration: number } {
  const s = JSON.parse(header.scenarioJson) as { name: string; duration: number; estate: { hubs: number } };
  return { name: s.name, hubs: s.estate.hubs, duration: s.duration };
}

/** A log as the dashboard lists it: what its header says it is of, and its size. */
export interface LogEntry {
  /** As the server was given it: what `POST /api/runs` takes as `log`. */
  path: string;
  bytes: number;
  scenario?: string;
  seed?: number;
  hubs?: number;
  /** Simulated duration, ms. */
  durationMs?: number;
  /** Why the header cannot be read now (the file was moved or rewritten since the server started). */
  error?: string;
}

/** Reads the header alone, at each call: a log rewritten by a later `run --record` is listed as it now is. */
export function logEntry(file: string): LogEntry {
  try {
    const header = readHeader(file);
    const bytes = fs.statSync(file).size;
    const s = ofHeader(header);
    return { path: file, bytes, scenario: s.name, seed: header.seed, hubs: s.hubs, durationMs: s.duration };
  } catch (e) {
    return { path: file, bytes: 0, error: e instanceof Error ? e.message : String(e) };
  }
}

export function logSource(file: string, speed: number): FeedSource {
  return async (sink, hooks) => {
    const header = readHeader(file);
    const pacer = new SlicePacer(speed, header.epochMs, header.durationMs, hooks);
    const r = await replayLog(file, sink, { pacer });
    // The log is checked as it is read: a bad record fails the run, after the records before it.
    if (r.bad) throw r.bad;
    pacer.report(header.epochMs + r.endMs);
    return r;
  };
}

/** Cuts the replay into slices, paced against the wall clock unless the speed is Infinity. */
class SlicePacer implements Pacer {
  private sim0 = NaN;
  private wall0 = 0;
  private sliceEnd = -Infinity;
  private inSlice = 0;
  private records = 0;

  constructor(
    private readonly speed: number,
    private readonly epoch: number,
    private readonly simEnd: number,
    private readonly hooks: Hooks,
  ) {}

  until(at: number): Promise<void> | null {
    if (this.sim0 !== this.sim0) {
      this.sim0 = at;
      this.wall0 = performance.now();
    }
    this.records++;
    if (at < this.sliceEnd && ++this.inSlice < SLICE_RECORDS && this.wait(at) < 1) return null;
    return this.slice(at);
  }

  /** Progress at simulated time `at` (Unix ms): every record before it has been written. */
  report(at: number): void {
    const p: RunProgress = { simNow: at - this.epoch, simEnd: this.simEnd, events: this.records, inFlight: 0, throttleQueue: 0, handshakeBacklog: 0 };
    this.hooks.onProgress(p);
  }

  private wait(at: number): number {
    return this.speed === Infinity ? 0 : this.wall0 + (at - this.sim0) / this.speed - performance.now();
  }

  private async slice(at: number): Promise<void> {
    for (;;) {
      const wait = this.wait(at);
      if (wait >= 1) await new Promise((r) => setTimeout(r, Math.min(wait, WAIT_SLICE_MS)));
      // Held before progress is told: a pause asked for during the wait shows no time passing.
      const held = performance.now();
      await this.hooks.between();
      this.wall0 += performance.now() - held;
      // While waiting, simulated time has reached what the wall clock says, short of the next record.
      const reached = wait >= 1 ? Math.min(at, this.sim0 + (performance.now() - this.wall0) * this.speed) : at;
      this.sliceEnd = reached + SLICE_SIM_MS;
      this.inSlice = 0;
      this.report(Math.floor(reached));
      if (this.wait(at) < 1) return;
    }
  }
}
