/**
 * `dcc-twin sweep` and `dcc-twin worker`: a capacity sweep run here on local
 * worker processes or handed to a Redis queue, and a queue worker that
 * takes its runs (docs/sweeps.md). An interrupted sweep keeps every run it
 * finished; `--resume` runs only the rest.
 */
import { fork } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { loadSweep, runSweep } from '../sweep/index.js';
import { RunDirLock, makeParent, resolveRunDir } from '../feeds/run-dir.js';
import { SweepProgress } from '../sweep/progress.js';
import { UsageError, durationOption, onInterrupt } from './errors.js';

export interface SweepArgs {
  file: string;
  out?: string;
  workers?: number;
  resume: boolean;
  'keep-feeds': boolean;
  queue?: string;
  'queue-name'?: string;
  progress?: boolean;
}

export async function sweepCommand(argv: SweepArgs): Promise<void> {
  if (argv.workers !== undefined && !(Number.isInteger(argv.workers) && argv.workers >= 1)) throw new UsageError(`--workers: must be an integer >= 1 (got ${argv.workers})`);
  if (argv.queue !== undefined && !/^rediss?:\/\//.test(argv.queue)) throw new UsageError(`--queue: must be a redis:// or rediss:// URL (got ${JSON.stringify(argv.queue)})`);
  if (argv.queue && argv['keep-feeds']) throw new UsageError('--keep-feeds: not with --queue (queue workers send back metrics.json only; run the sweep locally to keep feeds)');
  const plan = loadSweep(argv.file);
  const out = resolveRunDir(argv.out ?? path.join('runs', plan.name));
  makeParent(out);
  const notes: string[] = [];
  const lock = RunDirLock.take(out, notes);
  for (const n of notes) process.stderr.write(`note: ${n}\n`);
  let stop: (() => Promise<void> | void) | null = null;
  let bar: SweepProgress | null = null;
  const stopListening = onInterrupt(() => {
    bar?.done();
    void stop?.();
    lock.release();
    return `every finished run is kept in ${out}; \`dcc-twin sweep ${argv.file} --out ${out} --resume\` runs the rest`;
  });
  try {
    const total = plan.runs.length;
    const where = argv.queue ? `the queue ${argv.queue.replace(/\/\/[^@/]*@/, '//')}` : argv.workers === undefined ? 'local worker processes, one per core' : `${argv.workers} local worker process${argv.workers === 1 ? '' : 'es'}`;
    process.stdout.write(`sweep ${plan.name}: ${plan.points.length} points x ${plan.replications} replication${plan.replications === 1 ? '' : 's'} = ${total} runs -> ${out}, on ${where}\n`);
    const r = await runSweep(plan, {
      out,
      resume: argv.resume,
      keepFeeds: argv['keep-feeds'],
      workers: argv.workers,
      queue: argv.queue,
      queueName: argv['queue-name'],
      onStop: (s) => (stop = s),
      onBegin: (kept) => (bar = new SweepProgress(total, kept, argv.progress ?? process.stderr.isTTY === true)),
      events: {
        started: () => {
          bar!.running++;
          bar!.draw();
        },
        retried: (run, error) => {
          bar!.running--;
          bar!.retried++;
          bar!.done();
          process.stderr.write(`retrying ${run.id}: ${error}\n`);
          bar!.draw(true);
        },
        ended: (rec) => {
          bar!.running = Math.max(0, bar!.running - 1);
          bar!.ended++;
          if (rec.status === 'failed') bar!.failed++;
          bar!.draw(true);
        },
      },
    }).finally(() => bar?.done());
    const failed = r.records.filter((x) => x.status === 'failed');
    const retried = r.records.filter((x) => x.status === 'ok' && x.attempts > 1);
    const lines = [
      `  runs          ${r.ran} run now, ${r.kept} finished before (--resume), ${failed.length} failed twice, ${retried.length} retried and finished`,
      `  wall          ${r.wallSeconds.toFixed(1)} s for the runs (sum of run times ${r.runSeconds.toFixed(1)} s` +
        (r.workers > 0 && r.ran > 0 ? `, wall / (sum / ${r.workers} workers) = ${(r.wallSeconds / (r.runSeconds / r.workers)).toFixed(2)}` : '') +
        `), table and report ${r.tableSeconds.toFixed(1)} s`,
    ];
    for (const x of retried) lines.push(`  retried       ${x.id}: ${x.error}`);
    for (const x of failed) lines.push(`  failed        ${x.id}: ${x.error}`);
    lines.push('  files');
    for (const f of r.files) lines.push(`    ${f}`);
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    stopListening();
    lock.release();
  }
}

export interface WorkerArgs {
  queue: string;
  'queue-name'?: string;
  workers?: number;
  'lock-duration': string;
  'stalled-interval': string;
}

/**
 * `dcc-twin worker`: with one process, a BullMQ worker here; with more, that
 * many copies of this command, each with one (a run keeps one core busy).
 */
export async function workerCommand(argv: WorkerArgs): Promise<void> {
  if (!/^rediss?:\/\//.test(argv.queue)) throw new UsageError(`--queue: must be a redis:// or rediss:// URL (got ${JSON.stringify(argv.queue)})`);
  const lockDurationMs = durationOption('--lock-duration', argv['lock-duration']);
  const stalledIntervalMs = durationOption('--stalled-interval', argv['stalled-interval']);
  const n = argv.workers ?? os.availableParallelism();
  if (!(Number.isInteger(n) && n >= 1)) throw new UsageError(`--workers: must be an integer >= 1 (got ${n})`);
  if (n > 1) {
    const args = process.argv.slice(2).filter((a, i, all) => a !== '--workers' && all[i - 1] !== '--workers' && !a.startsWith('--workers='));
    const children = Array.from({ length: n }, () => fork(process.argv[1], [...args, '--workers', '1'], { stdio: 'inherit' }));
    const stop = () => children.forEach((c) => c.kill('SIGTERM'));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    await Promise.all(children.map((c) => new Promise((res) => c.on('exit', res))));
    return;
  }
  const { reach, startWorker } = await import('../sweep/queue.js');
  const log = (line: string) => process.stdout.write(`worker ${process.pid}: ${line}\n`);
  const worker = startWorker({ url: argv.queue, name: argv['queue-name'], lockDurationMs, stalledIntervalMs, log });
  // A lost connection repeats its error at every reconnect: said once until it changes.
  let lastError = '';
  worker.on('error', (e) => {
    const line = e.message.split('\n')[0];
    if (line !== lastError) log(`error: ${line}`);
    lastError = line;
  });
  await reach(argv.queue, worker.waitUntilReady()).catch(async (e) => {
    await worker.close(true).catch(() => {});
    throw e;
  });
  log(`waiting for jobs on ${argv.queue.replace(/\/\/[^@/]*@/, '//')}`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      log('stopping: the job in hand is finished first');
      void worker.close().then(resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
