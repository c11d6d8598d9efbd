/**
 * One run of a sweep, wherever it runs (a local worker process or a queue
 * worker on another machine): the point's scenario with the replication's
 * seed, run by the twin into a directory and reported; what is kept is
 * metrics.json (and the feeds when asked). Everything a run needs is in its
 * job, so any machine gives the same metrics for it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseScenario } from '../scenario/load.js';
import { runTwin } from '../twin.js';

export interface RunJob {
  sweepId: string;
  runId: string;
  /** The point's scenario as JSON text (SweepPoint.scenarioText). */
  scenarioText: string;
  /** The base scenario's file name, for messages. */
  source: string;
  seed: number;
  slaMs: number;
  keepFeeds: boolean;
}

export interface RunOutcome {
  /** Wall seconds of the run and its report. */
  seconds: number;
  events: number;
  metricsJson: string;
}

/** Runs `job` into `dir` (created; must not exist). Without keepFeeds only metrics.json is left in it. */
export async function runOne(job: RunJob, dir: string): Promise<RunOutcome> {
  const t0 = performance.now();
  const scenario = parseScenario(job.scenarioText, job.source, 'json', { seed: job.seed });
  // DUIS bodies are never read by the metrics: written only when the feeds are kept.
  if (!job.keepFeeds) scenario.output.duisBodies = false;
  // One thread per run: a sweep already runs one per core.
  const result = await runTwin(scenario, { outDir: dir, sourceText: job.scenarioText, feedsThread: false });
  const { runReport } = await import('../metrics/index.js');
  // Named by its run id, not the directory it ran in, so metrics.json is the same on every machine.
  await runReport(dir, { slaMs: job.slaMs, name: job.runId });
  const metricsJson = fs.readFileSync(path.join(dir, 'metrics.json'), 'utf8');
  if (!job.keepFeeds) {
    for (const f of fs.readdirSync(dir)) if (f !== 'metrics.json') fs.rmSync(path.join(dir, f), { recursive: true, force: true });
  }
  return { seconds: (performance.now() - t0) / 1000, events: result.events, metricsJson };
}
