/**
 * A whole sweep: every run of the plan not yet finished in the sweep
 * directory, on local worker processes or through a Redis queue, then the
 * table (sweep.csv, points.csv, sweep.duckdb) and capacity.html from every
 * finished run. Used by `dcc-twin sweep` and by bench/sweep.ts.
 */
import path from 'node:path';
import os from 'node:os';
import type { SweepPlan, SweepRun } from './file.js';
import { SweepDir, writeAtomic, type RunRecord } from './store.js';
import { LocalPool, type PoolEvents } from './pool.js';
import { buildTable, writeTable } from './table.js';
import { renderCapacity } from './capacity.js';

export { loadSweep, SweepError, type SweepPlan } from './file.js';

export interface SweepOptions {
  out: string;
  resume: boolean;
  keepFeeds: boolean;
  /** Local worker processes (default: one per core). */
  workers?: number;
  /** `redis://...`: enqueue the runs for `dcc-twin worker`s instead of running them here. */
  queue?: string;
  queueName?: string;
  events?: PoolEvents;
  /** Called with the pool or queue's stop, so an interrupt can end it. */
  onStop?: (stop: () => Promise<void> | void) => void;
  /** Called once the runs already finished are known, before any starts. */
  onBegin?: (kept: number, todo: number) => void;
}

export interface SweepResult {
  dir: string;
  /** Runs finished before this start (--resume). */
  kept: number;
  ran: number;
  records: RunRecord[];
  /** Wall seconds of running the runs (not the table). */
  wallSeconds: number;
  /** Sum of the runs' own wall seconds (those run now). */
  runSeconds: number;
  tableSeconds: number;
  workers: number;
  files: string[];
}

export async function runSweep(plan: SweepPlan, opts: SweepOptions): Promise<SweepResult> {
  const dir = SweepDir.open(opts.out, plan, opts.resume);
  const finished = dir.finished();
  const todo: SweepRun[] = plan.runs.filter((r) => !finished.has(r.id));
  const workers = Math.max(1, opts.workers ?? os.availableParallelism());
  opts.onBegin?.(finished.size, todo.length);
  const t0 = performance.now();
  let runSeconds = 0;
  const events: PoolEvents = {
    ...opts.events,
    ended: (r) => {
      runSeconds += r.seconds;
      opts.events?.ended?.(r);
    },
  };
  if (opts.queue) {
    const { QueueSweep } = await import('./queue.js');
    const q = new QueueSweep(plan, dir, { url: opts.queue, name: opts.queueName, events });
    opts.onStop?.(() => q.close());
    try {
      await q.run(todo);
    } finally {
      await q.close();
    }
  } else {
    const pool = new LocalPool(plan, dir, { workers, keepFeeds: opts.keepFeeds, events });
    opts.onStop?.(() => pool.stop());
    await pool.run(todo);
  }
  const wallSeconds = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  const table = buildTable(plan, dir);
  const files = await writeTable(plan, dir, table);
  const capacity = path.join(dir.dir, 'capacity.html');
  writeAtomic(capacity, renderCapacity(plan, table));
  files.push(capacity);
  return {
    dir: dir.dir,
    kept: finished.size,
    ran: todo.length,
    records: table.records,
    wallSeconds,
    runSeconds,
    tableSeconds: (performance.now() - t1) / 1000,
    workers: opts.queue ? 0 : Math.min(workers, Math.max(todo.length, 1)),
    files,
  };
}
