/**
 * `dcc-twin run`: a scenario into a run directory that is always one whole
 * run. The scenario file is read once (what is parsed is what the manifest
 * hashes); the run is written into a staging directory under the target's
 * lock and moved into place only when its feeds, manifest and report are
 * complete (src/feeds/run-dir.ts). A failure or an interrupt leaves the
 * previous run as it was.
 */
import path from 'node:path';
import { parseScenario, readScenarioFile } from '../scenario/load.js';
import { runTwin } from '../twin.js';
import { RunDirLock, Staging, makeParent, resolveRunDir } from '../feeds/run-dir.js';
import { RUN_LOG_PATH } from '../feeds/manifest.js';
import { ProgressBar, fmtBytes, fmtCount } from './progress.js';
import { durationOption, onInterrupt, seedOption } from './errors.js';
import { MAX_DURATION_MS, MAX_DURATION_WORDS } from '../scenario/schema.js';

export interface RunArgs {
  scenario: string;
  out?: string;
  seed?: string;
  until?: string;
  duis: boolean;
  report: boolean;
  progress?: boolean;
  force: boolean;
  /** Event log file; '' for the run directory's run.twinlog. */
  record?: string;
  'feeds-thread': boolean;
}

function defaultOut(scenarioPath: string): string {
  return path.join('runs', path.basename(scenarioPath).replace(/\.(ya?ml|json)$/i, ''));
}

export async function runCommand(argv: RunArgs): Promise<void> {
  const until = argv.until === undefined ? undefined : durationOption('--until', argv.until, { ms: MAX_DURATION_MS, words: MAX_DURATION_WORDS });
  const seed = argv.seed === undefined ? undefined : seedOption(argv.seed);
  const target = resolveRunDir(argv.out ?? defaultOut(argv.scenario));
  const source = readScenarioFile(argv.scenario);
  const scenario = parseScenario(source.toString('utf8'), argv.scenario, undefined, { seed, until });
  if (!argv.duis) scenario.output.duisBodies = false;

  const notes: string[] = [];
  makeParent(target);
  const lock = RunDirLock.take(target, notes);
  let staging: Staging | null = null;
  const bar = new ProgressBar(scenario.epoch, argv.progress ?? process.stderr.isTTY === true);
  const stopListening = onInterrupt(() => {
    bar.done();
    const removed = staging === null || staging.abandon();
    lock.release();
    if (staging === null) return `${target} is as it was`;
    return removed
      ? `${target} is as it was; the unfinished run was removed`
      : `${target} is as it was; the unfinished run is left in ${staging.dir} (the next run into ${target} removes it)`;
  });
  try {
    staging = Staging.begin(target, { force: argv.force }, notes);
    for (const n of notes) process.stderr.write(`note: ${n}\n`);
    // The default log is written in the staging directory and moves into place with the run.
    const record = argv.record === undefined ? undefined : argv.record === '' ? path.join(staging.dir, RUN_LOG_PATH) : argv.record;
    const result = await runTwin(scenario, {
      outDir: staging.dir,
      sourceText: source,
      record,
      feedsThread: argv['feeds-thread'],
      // Nothing reads the feeds back in this command without the report, which would find them in the page cache.
      directWrites: !argv.report,
      onProgress: (p) => bar.update({ simNow: p.simNow, simEnd: p.simEnd, events: p.events, note: `${fmtCount(p.inFlight)} alerts in flight` }),
    });
    bar.done();
    process.stdout.write(summary(scenario.name, scenario.seed, target, bar, result).join('\n') + '\n');
    if (argv.report) {
      const { runReport } = await import('../metrics/index.js');
      const r = await runReport(staging.dir, { name: target });
      const shown = r.files.map((f) => path.join(target, path.relative(staging!.dir, f)));
      process.stdout.write(`  report        ${shown.join(', ')} (${r.seconds.toFixed(2)} s)\n`);
    }
    staging.commit();
  } catch (e) {
    bar.done();
    // The previous run is untouched: say so on the error's one line.
    if (staging !== null && e instanceof Error) {
      const removed = staging.abandon();
      e.message += removed ? `; ${target} is as it was` : `; ${target} is as it was, the unfinished run is left in ${staging.dir}`;
    }
    throw e;
  } finally {
    stopListening();
    lock.release();
  }
}

function summary(name: string, seed: number, target: string, bar: ProgressBar, result: Awaited<ReturnType<typeof runTwin>>): string[] {
  const a = result.alerts;
  const o = result.outages;
  const lines = [
    `run ${name} (seed ${seed}) -> ${target}`,
    `  estate        ${fmtCount(result.hubs)} hubs, ${fmtCount(result.devices)} devices`,
    `  simulated     ${(result.simEnd / 3_600_000).toFixed(2)} h in ${result.wallSeconds.toFixed(2)} s wall`,
    `  events        ${result.events} (${fmtCount(result.events / Math.max(result.wallSeconds, 1e-9))}/s)`,
    `  alerts        ${a.raised} raised, ${a.dspReceived} received by the DSP, ${a.delivered} delivered, ${a.failed} to the failed queue ` +
      `(${a.expired} expired), ${a.rejected} rejected, ${a.lost} lost before the DSP, ${a.lostNoWan} of them lost at hub (no WAN), ${a.throttled} throttled`,
  ];
  const q = result.requests;
  if (q.sent > 0) lines.push(`  requests      ${q.sent} sent, ${q.answered} answered: ${q.success} success, ${q.commsFailure} E201, ${q.timeout} E212, ${q.excludable} excludable; ${q.lost} lost`);
  const v = result.availability;
  if (v.outages + v.plannedMaintenance + v.incidents + v.noSmwanIncidents > 0) {
    lines.push(`  availability  ${v.outages} unplanned outages, ${v.plannedMaintenance} planned maintenance windows, ${v.incidents} incidents, ${v.noSmwanIncidents} No-SMWAN incidents`);
  }
  const f = result.firmware;
  if (f) {
    lines.push(
      `  firmware      ${f.targeted} targeted, ${f.distributed} images at the hub (${f.distributionFailed} given up), ${f.verified} 8F72, ${f.verificationFailed} 8F1C, ` +
        `${f.silent} silent, ${f.activated} activated (${f.activationFailed} failed), ${f.dccAlerts} firmware DCC Alerts`,
    );
  }
  if (o.hubsOff > 0) {
    lines.push(
      `  outages       ${o.hubsOff} hubs lost power, ${o.lastGasps} last gasps reached a CSP, ${o.lastGaspsLost} lost ` +
        `(${o.lastGaspsNoWan} at hub, no WAN), ${o.ad1} AD1, ${o.ad1Lost} AD1 missed, ${o.restorations} restorations`,
    );
  }
  lines.push(`  memory peak   ${fmtBytes(Math.max(bar.peakRss, process.memoryUsage().rss))} RSS`);
  lines.push(`  files`);
  for (const f of result.files) lines.push(`    ${f.path.padEnd(34)} ${String(f.records).padStart(10)} records  ${fmtBytes(f.bytes).padStart(10)}`);
  if (result.log) {
    const shown = result.log.path.startsWith(result.outDir) ? path.join(target, path.relative(result.outDir, result.log.path)) : result.log.path;
    const feedBytes = result.files.reduce((a, f) => a + f.bytes, 0);
    lines.push(`  event log     ${shown} ${fmtBytes(result.log.bytes)} (${(feedBytes / Math.max(1, result.log.bytes)).toFixed(1)}x smaller than the files)`);
  }
  for (const w of result.warnings) lines.push(`  warning: ${w}`);
  return lines;
}
