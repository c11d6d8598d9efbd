#!/usr/bin/env node
/**
 * The command line: run a scenario, validate one, print the scenario JSON
 * Schema, report on a run directory. Every failure ends with one line and
 * exit 2 (the user's input) or 1 (the environment), never a stack trace
 * (errors.ts); `run` is in run.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { loadScenario } from '../scenario/load.js';
import { scenarioJsonSchema } from '../scenario/schema.js';
import { RunDirLock, RunDirRefused } from '../feeds/run-dir.js';
// compute.js alone, not the metrics index: it loads no DuckDB.
import { A1_STARTS, type A1Start } from '../metrics/compute.js';
import { durationOption, fail, onInterrupt } from './errors.js';
import { runCommand, type RunArgs } from './run.js';
import { sweepCommand, workerCommand, type SweepArgs, type WorkerArgs } from './sweep.js';
import { replayCommand, type ReplayArgs } from './replay.js';
import { LOOPBACK, SERVE_DEFAULT_PORT, serveCommand, type ServeArgs } from './serve.js';

async function reportCommand(argv: { run: string; sla: string; verify: boolean; 'on-bad-record': 'stop' | 'skip'; 'a1-start': A1Start }): Promise<void> {
  const slaMs = durationOption('--sla', argv.sla);
  const dir = argv.run;
  if (dir.trim() === '') throw new RunDirRefused('report: the run directory is an empty path');
  if (!fs.existsSync(path.dirname(path.resolve(dir)))) throw new RunDirRefused(`${dir}: no such directory`);
  // Locked first: a run that is creating or replacing the directory says so, rather than "no such directory".
  const notes: string[] = [];
  const lock = RunDirLock.take(dir, notes);
  for (const n of notes) process.stderr.write(`note: ${n}\n`);
  const stopListening = onInterrupt(() => {
    lock.release();
    return `the report files in ${dir} may be incomplete`;
  });
  try {
    if (!fs.existsSync(dir)) throw new RunDirRefused(`${dir}: no such directory`);
    if (!fs.statSync(dir).isDirectory()) throw new RunDirRefused(`${dir}: not a directory`);
    // Loaded here: DuckDB is only for the commands that report.
    const { runReport } = await import('../metrics/index.js');
    const r = await runReport(dir, { onBadRecord: argv['on-bad-record'], slaMs, a1Start: argv['a1-start'], verify: argv.verify });
    process.stdout.write(`report of ${dir}: ${r.records} records (${r.badRecords} bad) in ${r.seconds.toFixed(2)} s${argv.verify ? '' : ', not verified (--no-verify)'}\n`);
    for (const f of r.files) process.stdout.write(`  ${f}\n`);
  } finally {
    stopListening();
    lock.release();
  }
}

export async function main(args: string[]): Promise<void> {
  await yargs(args)
    .scriptName('dcc-twin')
    .usage('$0 <command> [options]\n\nA digital twin of the GB smart-metering DCC message path.')
    .command(
      'run <scenario>',
      'run a scenario into a run directory: feeds, manifest and report, all of one run',
      (y) =>
        y
          .positional('scenario', { type: 'string', demandOption: true, describe: 'scenario file (.yaml, .yml or .json)' })
          .option('out', {
            type: 'string',
            describe:
              'run directory (default runs/<scenario name>). It is replaced whole, and only when the run is complete; ' +
              'a directory that is not empty and has no manifest.json is refused',
          })
          .option('force', { type: 'boolean', default: false, describe: 'replace --out even if it is not a run directory (everything in it is deleted)' })
          .option('seed', { type: 'string', describe: "override the scenario's seed (an integer >= 0, as in the file)" })
          .option('until', { type: 'string', describe: 'stop at this simulated time instead of the scenario duration (e.g. 90m, 6h)' })
          .option('duis', { type: 'boolean', default: true, describe: 'write the DUIS XML bodies (--no-duis for the largest runs)' })
          .option('report', { type: 'boolean', default: true, describe: 'compute the metrics report at the end (--no-report to skip)' })
          .option('progress', { type: 'boolean', describe: 'show progress (default: when stderr is a terminal)' })
          .option('record', {
            type: 'string',
            describe: 'also write the event log (docs/record-replay.md) to this file (default with no file: <out>/run.twinlog)',
          })
          .option('feeds-thread', {
            type: 'boolean',
            default: true,
            describe: 'spell and write the feeds on a second thread (--no-feeds-thread: on the simulation thread; the same bytes, slower)',
          }),
      (argv) => runCommand(argv as unknown as RunArgs).catch(fail),
    )
    .command(
      'replay <log>',
      "a recorded run's feeds again from its event log (run --record): into a run directory, a delivery directory or a WebSocket",
      (y) =>
        y
          .positional('log', { type: 'string', demandOption: true, describe: 'event log written by run --record' })
          .option('out', { type: 'string', describe: 'run directory for the feeds and manifest.json (default runs/<scenario name>-replay, none with --deliver or --ws)' })
          .option('force', { type: 'boolean', default: false, describe: 'replace --out even if it is not a run directory' })
          .option('from', { type: 'string', describe: 'replay from this simulated time (as scenario times: 10m, 1h30m)' })
          .option('to', { type: 'string', describe: 'replay up to this simulated time (exclusive)' })
          .option('speed', { type: 'string', default: 'max', describe: 'with --deliver or --ws: simulated seconds per wall second (60: a minute a second), or max' })
          .option('deliver', { type: 'string', describe: 'drop each feed into this directory as the TOC receives it (every 15 minutes, daily)' })
          .option('ws', { type: 'number', describe: 'stream every line over a WebSocket on 127.0.0.1:<port> (starts when a client connects)' })
          .option('salvage', { type: 'boolean', default: false, describe: 'replay a cut or corrupt log up to its first bad record (a warning, not an error)' }),
      (argv) => replayCommand(argv as unknown as ReplayArgs).catch(fail),
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
      'compute the PMR metrics of a run directory (report.html, report.md, metrics.json), once it is checked against its manifest.json',
      (y) =>
        y
          .positional('run', { type: 'string', demandOption: true, describe: 'run directory' })
          .option('on-bad-record', { choices: ['stop', 'skip'] as const, default: 'stop' as const, describe: 'stop at a record that breaks its schema, or skip and count it' })
          .option('sla', { type: 'string', default: '60s', describe: 'alert delivery target for A1' })
          .option('verify', {
            type: 'boolean',
            default: true,
            describe: 'refuse a directory whose files do not match its manifest.json (--no-verify for feeds from elsewhere; the report says so)',
          })
          .option('a1-start', { choices: A1_STARTS, default: 'raised' as const, describe: "where A1's clock starts for AD1: when the CSP raises it, or at the power loss (for comparison)" }),
      (argv) => reportCommand(argv as unknown as Parameters<typeof reportCommand>[0]).catch(fail),
    )
    .command(
      'sweep <file>',
      'run a capacity sweep: every point of a sweep file times its replications, then the table and capacity.html (docs/sweeps.md)',
      (y) =>
        y
          .positional('file', { type: 'string', demandOption: true, describe: 'sweep file (.yaml, .yml or .json)' })
          .option('out', { type: 'string', describe: 'sweep directory (default runs/<sweep name>)' })
          .option('workers', { type: 'number', describe: 'local worker processes (default: one per core)' })
          .option('resume', { type: 'boolean', default: false, describe: 'finish an interrupted sweep in --out, running only the runs that did not finish' })
          .option('keep-feeds', { type: 'boolean', default: false, describe: "keep every run's feeds beside its metrics.json" })
          .option('queue', { type: 'string', describe: 'redis://host:port: enqueue the runs for `dcc-twin worker`s instead of running them here' })
          .option('queue-name', { type: 'string', describe: 'BullMQ queue name (default dcc-twin-sweep)' })
          .option('progress', { type: 'boolean', describe: 'show progress (default: when stderr is a terminal)' }),
      (argv) => sweepCommand(argv as unknown as SweepArgs).catch(fail),
    )
    .command(
      'worker',
      "take a sweep's runs from a Redis queue and send back their metrics, until stopped",
      (y) =>
        y
          .option('queue', { type: 'string', demandOption: true, describe: 'redis://host:port' })
          .option('queue-name', { type: 'string', describe: 'BullMQ queue name (default dcc-twin-sweep)' })
          .option('workers', { type: 'number', describe: 'processes taking jobs, one job each at a time (default: one per core)' })
          .option('lock-duration', { type: 'string', default: '30s', describe: "how long a job stays locked to a worker that stopped renewing it (a dead worker's job is taken again after it)" })
          .option('stalled-interval', { type: 'string', default: '30s', describe: 'how often workers look for jobs whose lock expired' }),
      (argv) => workerCommand(argv as unknown as WorkerArgs).catch(fail),
    )
    .command(
      'serve [sources..]',
      'serve the live dashboard: start bundled storms or replay a recorded log, watch their feeds and metrics as they run (docs/dashboard.md)',
      (y) =>
        y
          .positional('sources', {
            type: 'string',
            array: true,
            describe: 'scenario files (.yaml/.json: offered on the dashboard, the first run at once) and recorded event logs (.twinlog: offered as recorded runs; with no scenario, the first replayed at once)',
          })
          .option('speed', { type: 'string', default: 'max', describe: 'a log\'s pace unless the dashboard picks one: simulated seconds per wall second, or max' })
          .option('port', { type: 'number', default: SERVE_DEFAULT_PORT, describe: 'port to listen on' })
          .option('host', { type: 'string', default: LOOPBACK, describe: 'address to bind; anything but 127.0.0.1 is warned about (no authentication)' })
          .option('out', { type: 'string', describe: "write each run's directory under this directory (feeds, manifest and report)" })
          .option('report', { type: 'boolean', default: true, describe: 'compute the batch report at the end of a run written with --out' }),
      (argv) => serveCommand(argv as unknown as ServeArgs).catch(fail),
    )
    .demandCommand(1, 'name a command: run, replay, validate, schema, report, sweep, worker or serve')
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

// A reader that goes away (`dcc-twin report D | head -1`) does not stop the command half-way.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') fail(err);
  });
}

main(hideBin(process.argv)).catch((e) => {
  fail(e);
});
