/**
 * A sweep across machines through Redis with BullMQ. `dcc-twin sweep
 * --queue redis://...` enqueues each unfinished run as a job whose data is
 * everything the run needs (the point's scenario, its seed: run-one.ts), and
 * waits; `dcc-twin worker --queue redis://...`, on any number of machines,
 * takes jobs one at a time per process and returns metrics.json as the
 * job's result, so the results travel back through Redis and no shared
 * directory is needed. The sweep commits each result to its sweep directory
 * as it arrives (resumable as a local sweep), then removes the job.
 * Retries (two attempts), stalled jobs of a worker that died (its lock
 * expires and another worker takes the job) and failures are BullMQ's.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Job, Queue, QueueEvents, Worker, type ConnectionOptions } from 'bullmq';
import type { SweepPlan, SweepRun } from './file.js';
import { jobOf, type PoolEvents } from './pool.js';
import { newRecord, type SweepDir } from './store.js';
import { runOne, type RunJob } from './run-one.js';
import { OutputError } from '../feeds/sink.js';

export const DEFAULT_QUEUE_NAME = 'dcc-twin-sweep';

interface JobResult {
  metricsJson: string;
  seconds: number;
  events: number;
  worker: string;
}

const connection = (url: string): ConnectionOptions => ({ url, maxRetriesPerRequest: null }) as ConnectionOptions;

/** How long to wait for Redis before saying it cannot be reached (the client itself would retry for ever). */
const REACH_MS = 15_000;

/** Resolves when `ready` does; an environment error (exit 1) naming the server if it takes longer than REACH_MS. */
export async function reach(url: string, ready: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new OutputError(`cannot reach Redis at ${url.replace(/\/\/[^@/]*@/, '//')} within ${REACH_MS / 1000} s`)), REACH_MS);
  });
  try {
    await Promise.race([ready, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The job id of a run: the sweep's id and the run's, so the same sweep enqueued twice is the same jobs. */
const jobId = (plan: SweepPlan, run: SweepRun): string => `${plan.sweepId.slice(0, 16)}-${run.id}`;

export class QueueSweep {
  private readonly queue: Queue;
  private readonly queueEvents: QueueEvents;
  private closed = false;

  constructor(
    private readonly plan: SweepPlan,
    private readonly dir: SweepDir,
    opts: { url: string; name?: string; events?: PoolEvents },
  ) {
    const name = opts.name ?? DEFAULT_QUEUE_NAME;
    this.url = opts.url;
    this.queue = new Queue(name, { connection: connection(opts.url) });
    this.queueEvents = new QueueEvents(name, { connection: connection(opts.url) });
    this.events = opts.events ?? {};
    // Connection errors are retried by the client; the reach() deadline says when to give up.
    this.queue.on('error', () => {});
    this.queueEvents.on('error', () => {});
  }

  private readonly events: PoolEvents;
  private readonly url: string;

  async run(todo: SweepRun[]): Promise<void> {
    if (todo.length === 0) return;
    await reach(this.url, Promise.all([this.queue.waitUntilReady(), this.queueEvents.waitUntilReady()]));
    const byJob = new Map(todo.map((r) => [jobId(this.plan, r), r]));
    const firstError = new Map<string, string>();
    const active = new Set<string>();
    let resolveAll!: () => void;
    let rejectAll!: (e: unknown) => void;
    const all = new Promise<void>((res, rej) => ((resolveAll = res), (rejectAll = rej)));
    const settle = async (id: string): Promise<void> => {
      const run = byJob.get(id);
      if (!run) return;
      // The state first, then the job: read the other way round, a job read while active could be
      // completed in between, and its result would be missing from what was read.
      const state = await this.queue.getJobState(id);
      if (state !== 'completed' && state !== 'failed') return;
      const job = await Job.fromId(this.queue, id);
      if (!job) return;
      if (!byJob.delete(id)) return;
      const attempts = Math.max(1, job.attemptsStarted);
      if (state === 'completed') {
        const r = job.returnvalue as JobResult;
        const retriedFrom = firstError.get(id) ?? (attempts > 1 ? `stalled or failed ${attempts - 1} time(s) before` : null);
        const record = newRecord(run, 'ok', attempts, r.worker, { seconds: r.seconds, events: r.events, error: retriedFrom });
        this.dir.commit(this.dir.staging(run.id, process.pid), record, r.metricsJson);
        this.events.ended?.(record);
      } else {
        const record = newRecord(run, 'failed', attempts, 'queue', { error: job.failedReason || 'failed' });
        this.dir.commit(this.dir.staging(run.id, process.pid), record);
        this.events.ended?.(record);
      }
      await job.remove().catch(() => {});
      if (byJob.size === 0) resolveAll();
    };
    const check = (id: string) => void settle(id).catch(rejectAll);
    this.queueEvents.on('active', ({ jobId: id }) => {
      const run = byJob.get(id);
      if (run && !active.has(id)) {
        active.add(id);
        this.events.started?.(run);
      }
    });
    this.queueEvents.on('completed', ({ jobId: id }) => check(id));
    this.queueEvents.on('failed', ({ jobId: id, failedReason }) => {
      const run = byJob.get(id);
      if (run && !firstError.has(id)) firstError.set(id, failedReason);
      check(id);
      if (run && active.delete(id)) this.events.retried?.(run, failedReason);
    });
    this.queueEvents.on('stalled', ({ jobId: id }) => {
      const run = byJob.get(id);
      if (!run) return;
      if (!firstError.has(id)) firstError.set(id, 'the worker running it stopped (stalled job)');
      if (active.delete(id)) this.events.retried?.(run, 'the worker running it stopped (stalled job)');
    });
    await this.queue.addBulk(
      todo.map((run) => ({
        name: run.id,
        data: jobOf(this.plan, run, false),
        opts: { jobId: jobId(this.plan, run), attempts: 2, removeOnComplete: false, removeOnFail: false },
      })),
    );
    // Jobs that ended before this sweep listened (a resumed sweep whose workers went on) have no event to come.
    const poll = setInterval(() => {
      for (const id of [...byJob.keys()]) check(id);
    }, 2000);
    try {
      await all;
    } finally {
      clearInterval(poll);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Closing waits for the connection, which never comes when Redis cannot be reached.
    const closing = Promise.allSettled([this.queueEvents.close(), this.queue.close()]);
    await Promise.race([closing, new Promise((r) => setTimeout(r, 2000).unref())]);
  }
}

export interface WorkerOptions {
  url: string;
  name?: string;
  /** How long a job's lock lasts unrenewed: a worker that dies loses its job after this (ms). */
  lockDurationMs: number;
  /** How often workers look for jobs whose lock expired (ms). */
  stalledIntervalMs: number;
  log: (line: string) => void;
}

/** A queue worker in this process: one job at a time, until closed. */
export function startWorker(opts: WorkerOptions): Worker {
  const me = `${os.hostname()}:${process.pid}`;
  const worker = new Worker(
    opts.name ?? DEFAULT_QUEUE_NAME,
    async (job: Job<RunJob>): Promise<JobResult> => {
      opts.log(`taking ${job.data.runId} (sweep ${job.data.sweepId.slice(0, 12)}, attempt ${job.attemptsStarted})`);
      const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dcc-twin-worker-'));
      try {
        const r = await runOne({ ...job.data, keepFeeds: false }, path.join(tmp, 'run'));
        opts.log(`finished ${job.data.runId} in ${r.seconds.toFixed(2)} s`);
        return { metricsJson: r.metricsJson, seconds: r.seconds, events: r.events, worker: me };
      } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
      }
    },
    {
      connection: connection(opts.url),
      concurrency: 1,
      lockDuration: opts.lockDurationMs,
      stalledInterval: opts.stalledIntervalMs,
      maxStalledCount: 1,
    },
  );
  worker.on('failed', (job, err) => opts.log(`failed ${job?.data.runId ?? '?'}: ${err.message.split('\n')[0]}`));
  return worker;
}
