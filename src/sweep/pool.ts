/**
 * The local way to run a sweep: as many forked worker processes as asked
 * (default one per core), each taking the next run as it finishes one. A run
 * whose process crashes or is killed, or that throws, is retried once on a
 * fresh process; failing twice, it is recorded as failed with its error, so
 * the table never silently lacks a run. Each run is committed to the sweep
 * directory as it ends (store.ts), which is what --resume relies on.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import type { SweepPlan, SweepRun } from './file.js';
import { newRecord, type RunRecord, type SweepDir } from './store.js';
import type { ChildJob, ChildReply } from './child.js';
import type { RunJob } from './run-one.js';

export interface PoolEvents {
  started?: (run: SweepRun) => void;
  ended?: (record: RunRecord) => void;
  retried?: (run: SweepRun, error: string) => void;
}

export function jobOf(plan: SweepPlan, run: SweepRun, keepFeeds: boolean): RunJob {
  const point = plan.points[run.point];
  return { sweepId: plan.sweepId, runId: run.id, scenarioText: point.scenarioText, source: plan.base, seed: run.seed, slaMs: plan.slaMs, keepFeeds };
}

interface Task {
  run: SweepRun;
  attempt: number;
  firstError: string | null;
}

interface Slot {
  child: ChildProcess;
  task: Task | null;
  staging: string | null;
}

export class LocalPool {
  private readonly slots = new Set<Slot>();
  private stopped = false;

  constructor(
    private readonly plan: SweepPlan,
    private readonly dir: SweepDir,
    private readonly opts: { workers: number; keepFeeds: boolean; events?: PoolEvents },
  ) {}

  /** Runs every run of `todo`; resolves when each has ended (finished or failed twice). */
  run(todo: SweepRun[]): Promise<void> {
    const queue: Task[] = todo.map((run) => ({ run, attempt: 1, firstError: null }));
    let open = queue.length;
    if (open === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const settle = (slot: Slot, task: Task, outcome: ChildReply): void => {
        slot.task = null;
        const staging = slot.staging!;
        slot.staging = null;
        if (outcome.ok) {
          const record = newRecord(task.run, 'ok', task.attempt, 'local', { seconds: outcome.seconds, events: outcome.events, error: task.firstError });
          this.dir.commit(staging, record);
          this.opts.events?.ended?.(record);
          open--;
        } else {
          fs.rmSync(staging, { recursive: true, force: true });
          if (task.attempt === 1) {
            this.opts.events?.retried?.(task.run, outcome.error);
            queue.unshift({ run: task.run, attempt: 2, firstError: outcome.error });
          } else {
            const record = newRecord(task.run, 'failed', task.attempt, 'local', { error: outcome.error });
            this.dir.commit(staging, record);
            this.opts.events?.ended?.(record);
            open--;
          }
        }
        if (open === 0) {
          this.stop();
          resolve();
        } else feed();
      };
      const spawn = (): Slot => {
        const child = fork(new URL('./child.js', import.meta.url), [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
        let stderr = '';
        child.stderr!.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-2000)));
        const slot: Slot = { child, task: null, staging: null };
        this.slots.add(slot);
        child.on('message', (m: ChildReply) => {
          try {
            if (slot.task && m.runId === slot.task.run.id) settle(slot, slot.task, m);
          } catch (e) {
            // Committing a run failed (disk full, permissions): the sweep stops, its finished runs kept.
            this.stop();
            reject(e);
          }
        });
        child.on('exit', (code, signal) => {
          this.slots.delete(slot);
          if (this.stopped || !slot.task) return;
          const last = stderr.trim().split('\n').pop() ?? '';
          const error = `worker process ${child.pid} ${signal ? `killed by ${signal}` : `exited with code ${code}`}${last ? `: ${last}` : ''}`;
          settle(slot, slot.task, { runId: slot.task.run.id, ok: false, error });
        });
        child.on('error', (e) => {
          if (!this.stopped) reject(e);
        });
        return slot;
      };
      const feed = (): void => {
        for (const slot of this.slots) {
          if (slot.task || queue.length === 0) continue;
          this.assign(slot, queue.shift()!);
        }
        while (queue.length > 0 && this.slots.size < this.opts.workers) this.assign(spawn(), queue.shift()!);
      };
      feed();
    });
  }

  private assign(slot: Slot, task: Task): void {
    slot.task = task;
    slot.staging = this.dir.staging(task.run.id, slot.child.pid ?? 0);
    fs.rmSync(slot.staging, { recursive: true, force: true });
    this.opts.events?.started?.(task.run);
    slot.child.send({ job: jobOf(this.plan, task.run, this.opts.keepFeeds), dir: slot.staging } satisfies ChildJob);
  }

  /** Ends every worker process (an interrupt, or the end of the sweep); their unfinished runs' directories are removed. */
  stop(): void {
    this.stopped = true;
    for (const slot of this.slots) {
      slot.child.kill('SIGTERM');
      if (slot.staging) fs.rmSync(slot.staging, { recursive: true, force: true });
    }
    this.slots.clear();
  }
}
