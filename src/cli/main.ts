#!/usr/bin/env node
/**
 * The command line: run a scenario, validate one, print the scenario JSON
 * Schema, report on a run directory. A user's mistake (a bad scenario, an
 * unwritable directory, a malformed feed) ends with a clear message and exit
 * code 2, never a stack trace.
 */
import path from 'node:path';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { loadScenario, ScenarioError } from '../scenario/load.js';
import { scenarioJsonSchema } from '../scenario/schema.js';
import { parseDuration } from '../params/duration.js';
import { OutputError } from '../feeds/sink.js';
import { runTwin } from '../twin.js';
import { runReport, FeedError } from '../metrics/index.js';
import { ProgressBar, fmtBytes, fmtCount } from './progress.js';

/** A mistake in what the user asked for: printed without a stack, exit 2. */
class UsageError extends Error {}

function fail(err: unknown): never {
  if (err instanceof ScenarioError || err instanceof FeedError) {
    process.stderr.write(err.format() + '\n');
    process.exit(2);
  }
  if (err instanceof OutputError || err instanceof UsageError) {
    process.stderr.write(`error: ${err.message}\n`);
    process.exit(2);
  }
  throw err;
}

function defaultOut(scenarioPath: string): string {
  return path.join('runs', path.basename(scenarioPath).replace(/\.(ya?ml|json)$/i, ''));
}

async function runCommand(argv: {
  scenario: string;
  out?: string;
  seed?: number;
  until?: string;
  duis: boolean;
  report: boolean;
  progress?: boolean;
}): Promise<void> {
  let until: number | undefined;
  if (argv.until !== undefined) {
    try {
      until = parseDuration(argv.until);
    } catch (e) {
      throw new UsageError(`--until: ${(e as Error).message}`);
    }
    if (!(until > 0)) throw new UsageError(`--until must be a duration > 0 (got ${argv.until})`);
  }
  if (argv.seed !== undefined && !Number.isSafeInteger(argv.seed)) throw new UsageError(`--seed must be an integer (got ${argv.seed})`);
  const scenario = loadScenario(argv.scenario, { seed: argv.seed, until });
  if (!argv.duis) scenario.output.duisBodies = false;
  const outDir = argv.out ?? defaultOut(argv.scenario);
  const bar = new ProgressBar(scenario.epoch, argv.progress ?? process.stderr.isTTY === true);
  const result = await runTwin(scenario, {
    outDir,
    onProgress: (p) => bar.update({ simNow: p.simNow, simEnd: p.simEnd, events: p.events, note: `${fmtCount(p.inFlight)} alerts in flight` }),
  });
  bar.done();
  const a = result.alerts;
  const o = result.outages;
  const lines = [
    `run ${scenario.name} (seed ${scenario.seed}) -> ${outDir}`,
    `  estate        ${fmtCount(result.hubs)} hubs, ${fmtCount(result.devices)} devices`,
    `  simulated     ${(result.simEnd / 3_600_000).toFixed(2)} h in ${result.wallSeconds.toFixed(2)} s wall`,
    `  events        ${result.events} (${fmtCount(result.events / Math.max(result.wallSeconds, 1e-9))}/s)`,
    `  alerts        ${a.raised} raised, ${a.dspReceived} received by the DSP, ${a.delivered} delivered, ${a.failed} to the failed queue, ${a.rejected} rejected, ${a.lost} lost, ${a.throttled} throttled`,
  ];
  if (o.hubsOff > 0) lines.push(`  outages       ${o.hubsOff} hubs lost power, ${o.lastGasps} last gasps, ${o.ad1} AD1, ${o.restorations} restorations`);
  lines.push(`  memory peak   ${fmtBytes(Math.max(bar.peakRss, process.memoryUsage().rss))} RSS`);
  lines.push(`  files`);
  for (const f of result.files) lines.push(`    ${f.path.padEnd(34)} ${String(f.records).padStart(10)} records  ${fmtBytes(f.bytes).padStart(10)}`);
  for (const w of result.warnings) lines.push(`  warning: ${w}`);
  process.stdout.write(lines.join('\n') + '\n');
  if (argv.report) {
    const r = await runReport(outDir);
    process.stdout.write(`  report        ${r.files.map((f) => path.relative(process.cwd(), f) || f).join(', ')} (${r.seconds.toFixed(2)} s)\n`);
  }
}

export async function main(args: string[]): Promise<void> {
  await yargs(args)
    .scriptName('dcc-twin')
    .usage('$0 <command> [options]\n\nA digital twin of the GB smart-metering DCC message path.')
    .command(
      'run <scenario>',
      'run a scenario and write its feeds (and report) to a run directory',
      (y) =>
        y
          .positional('scenario', { type: 'string', demandOption: true, describe: 'scenario file (.yaml, .yml or .json)' })
          .option('out', { type: 'string', describe: 'run directory (default runs/<scenario name>)' })
          .option('seed', { type: 'number', describe: "override the scenario's seed" })
          .option('until', { type: 'string', describe: 'stop at this simulated time instead of the scenario duration (e.g. 90m, 6h)' })
          .option('duis', { type: 'boolean', default: true, describe: 'write the DUIS XML bodies (--no-duis for the largest runs)' })
          .option('report', { type: 'boolean', default: true, describe: 'compute the metrics report at the end (--no-report to skip)' })
          .option('progress', { type: 'boolean', describe: 'show progress (default: when stderr is a terminal)' }),
      (argv) => runCommand(argv as Parameters<typeof runCommand>[0]).catch(fail),
    )
    .command(
      'validate <scenario>',
      'check a scenario file and list every problem in it',
      (y) => y.positional('scenario', { type: 'string', demandOption: true, describe: 'scenario file' }),
      (argv) => {
        try {
          const s = loadScenario(argv.scenario as string);
          process.stdout.write(
            `${argv.scenario}: ok (${s.name}: ${s.estate.hubs} hubs, ${(s.duration / 3_600_000).toFixed(2)} h, ${s.events.length} events, seed ${s.seed})\n`,
          );
        } catch (e) {
          fail(e);
        }
      },
    )
    .command('schema', 'print the JSON Schema of scenario files', {}, () => {
      process.stdout.write(JSON.stringify(scenarioJsonSchema, null, 2) + '\n');
    })
    .command(
      'report <run>',
      'compute the PMR metrics of a run directory (report.html, report.md, metrics.json)',
      (y) =>
        y
          .positional('run', { type: 'string', demandOption: true, describe: 'run directory' })
          .option('on-bad-record', { choices: ['stop', 'skip'] as const, default: 'stop' as const, describe: 'stop at a record that breaks its schema, or skip and count it' })
          .option('sla', { type: 'string', default: '60s', describe: 'alert delivery target for A1' }),
      async (argv) => {
        try {
          const slaMs = parseDuration(argv.sla);
          const r = await runReport(argv.run as string, { onBadRecord: argv['on-bad-record'], slaMs });
          process.stdout.write(`report of ${argv.run}: ${r.records} records (${r.badRecords} bad) in ${r.seconds.toFixed(2)} s\n`);
          for (const f of r.files) process.stdout.write(`  ${f}\n`);
        } catch (e) {
          fail(e);
        }
      },
    )
    .demandCommand(1, 'name a command: run, validate, schema or report')
    .strict()
    .help()
    .alias('h', 'help')
    .version()
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((msg, err) => {
      if (err) fail(err);
      process.stderr.write(`error: ${msg}\nrun with --help for usage\n`);
      process.exit(2);
    })
    .parseAsync();
}

main(hideBin(process.argv)).catch((e) => {
  fail(e);
});
