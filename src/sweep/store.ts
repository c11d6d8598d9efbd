/**
 * The sweep directory on disk, and what makes a sweep resumable: each
 * finished run is one directory `runs/<id>/` holding metrics.json and
 * result.json, made whole in a staging directory and renamed into place as
 * the run ends, so a run is either finished or absent. `sweep.json` names
 * the plan; a resumed sweep must be the same plan.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { SweepPlan, SweepRun } from './file.js';
import { UsageError } from '../cli/errors.js';
import { OutputError, reason } from '../feeds/sink.js';

export interface RunRecord {
  id: string;
  point: number;
  replication: number;
  seed: number;
  status: 'ok' | 'failed';
  attempts: number;
  /** Wall seconds of the attempt that ended it. */
  seconds: number;
  events: number;
  /** The last failure (status failed) or the one a retry recovered from. */
  error: string | null;
  /** Where it ran: `local` or the queue worker's name. */
  worker: string;
}

export class SweepDir {
  readonly runsDir: string;

  constructor(readonly dir: string) {
    this.runsDir = path.join(dir, 'runs');
  }

  /**
   * Opens the directory for `plan`: new (or empty) unless `resume`, which
   * needs the same plan's sweep.json. Unfinished runs' staging directories are removed.
   */
  static open(dir: string, plan: SweepPlan, resume: boolean): SweepDir {
    const s = new SweepDir(dir);
    const meta = path.join(dir, 'sweep.json');
    const exists = fs.existsSync(dir) && fs.readdirSync(dir).length > 0;
    if (exists && !fs.existsSync(meta)) throw new UsageError(`${dir}: not empty and not a sweep directory (no sweep.json); choose another --out`);
    if (exists && !resume) throw new UsageError(`${dir}: holds a sweep already; --resume to finish it, or choose another --out`);
    if (exists) {
      const old = JSON.parse(fs.readFileSync(meta, 'utf8')) as { sweepId?: string };
      if (old.sweepId !== plan.sweepId) throw new UsageError(`${dir}: holds a different sweep (its file, base scenario or values changed); choose another --out`);
    }
    try {
      fs.mkdirSync(s.runsDir, { recursive: true });
    } catch (err) {
      throw new OutputError(`cannot create ${s.runsDir}: ${reason(err)}`);
    }
    for (const f of fs.readdirSync(s.runsDir)) if (f.startsWith('.')) fs.rmSync(path.join(s.runsDir, f), { recursive: true, force: true });
    const { points, runs, ...rest } = plan;
    const text = JSON.stringify({ ...rest, points: points.map(({ scenarioText: _t, ...p }) => p), runs }, null, 2) + '\n';
    writeAtomic(meta, text);
    return s;
  }

  /** Ids of the runs that have ended (finished or failed twice). */
  finished(): Set<string> {
    const out = new Set<string>();
    for (const f of fs.readdirSync(this.runsDir)) if (!f.startsWith('.') && fs.existsSync(path.join(this.runsDir, f, 'result.json'))) out.add(f);
    return out;
  }

  /** A fresh staging directory for a run attempt; its name carries the pid of the process writing it. */
  staging(runId: string, pid: number): string {
    return path.join(this.runsDir, `.${runId}.partial-${pid}`);
  }

  /** Moves a run's staging directory into place with its result.json: the run is finished from this instant. */
  commit(staging: string, record: RunRecord, metricsJson?: string): void {
    const target = path.join(this.runsDir, record.id);
    try {
      fs.mkdirSync(staging, { recursive: true });
      if (metricsJson !== undefined) fs.writeFileSync(path.join(staging, 'metrics.json'), metricsJson);
      fs.writeFileSync(path.join(staging, 'result.json'), JSON.stringify(record, null, 2) + '\n');
      fs.rmSync(target, { recursive: true, force: true });
      fs.renameSync(staging, target);
    } catch (err) {
      throw new OutputError(`cannot write ${target}: ${reason(err)}`);
    }
  }

  record(runId: string): RunRecord {
    return JSON.parse(fs.readFileSync(path.join(this.runsDir, runId, 'result.json'), 'utf8')) as RunRecord;
  }

  metricsJson(runId: string): string | null {
    const p = path.join(this.runsDir, runId, 'metrics.json');
    return fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : null;
  }
}

export function newRecord(run: SweepRun, status: RunRecord['status'], attempts: number, worker: string, extra: Partial<RunRecord> = {}): RunRecord {
  return { id: run.id, point: run.point, replication: run.replication, seed: run.seed, status, attempts, seconds: 0, events: 0, error: null, worker, ...extra };
}

/** Writes `file` whole or not at all. */
export function writeAtomic(file: string, text: string | Buffer): void {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}
