/**
 * A local sweep worker: a child process forked by the pool (pool.ts) that
 * runs the jobs it is sent, one at a time, and says how each ended. It
 * stops when the pool goes away, so an interrupted sweep leaves no runs
 * behind it.
 */
import { runOne, type RunJob } from './run-one.js';

export interface ChildJob {
  job: RunJob;
  dir: string;
}

export type ChildReply = { runId: string; ok: true; seconds: number; events: number } | { runId: string; ok: false; error: string };

process.on('disconnect', () => process.exit(0));
process.on('message', (m: ChildJob) => {
  runOne(m.job, m.dir).then(
    (r) => process.send!({ runId: m.job.runId, ok: true, seconds: r.seconds, events: r.events } satisfies ChildReply),
    (e: unknown) => process.send!({ runId: m.job.runId, ok: false, error: oneLine(e) } satisfies ChildReply),
  );
});

export function oneLine(e: unknown): string {
  const err = e as { format?: () => string; message?: string };
  const text = typeof err?.format === 'function' ? err.format() : (err?.message ?? String(e));
  return text.split('\n')[0];
}
