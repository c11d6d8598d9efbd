/**
 * `dcc-twin serve [<scenario> | <log>]`: the live server and dashboard for
 * showing a storm as it unfolds (src/server/, docs/dashboard.md), run by the
 * twin or replayed from a recorded event log (docs/record-replay.md) at
 * --speed. It binds 127.0.0.1
 * unless --host names another address, which it warns about: the server has
 * no authentication and can start runs that use the whole machine.
 */
import path from 'node:path';
import fs from 'node:fs';
import { loadScenario } from '../scenario/load.js';
import { resolveRunDir } from '../feeds/run-dir.js';
import { DEFAULT_PORT, buildServer } from '../server/app.js';
import { UsageError } from './errors.js';
import { speedOption } from './replay.js';

export interface ServeArgs {
  source?: string;
  port: number;
  host: string;
  out?: string;
  report: boolean;
  speed: string;
}

export const LOOPBACK = '127.0.0.1';

export async function serveCommand(argv: ServeArgs): Promise<void> {
  if (!Number.isInteger(argv.port) || argv.port < 0 || argv.port > 65535) throw new UsageError(`--port: must be an integer 0..65535 (got ${argv.port})`);
  const speed = speedOption(argv.speed);
  const extra: string[] = [];
  const logs: string[] = [];
  let startName: string | null = null;
  if (argv.source !== undefined && /\.(ya?ml|json)$/i.test(argv.source)) {
    if (argv.speed !== 'max') throw new UsageError(`--speed: paces a recorded log; ${argv.source} is a scenario, run as fast as it goes`);
    startName = loadScenario(argv.source).name;
    extra.push(path.resolve(argv.source));
  } else if (argv.source !== undefined) {
    await checkLog(argv.source);
    logs.push(path.resolve(argv.source));
  }
  const outRoot = argv.out === undefined ? undefined : resolveRunDir(argv.out);
  if (outRoot !== undefined) fs.mkdirSync(outRoot, { recursive: true });
  const { app, runs, scenarios } = await buildServer({ extraScenarios: extra, logs, speed, outRoot, report: argv.report });
  if (argv.host !== LOOPBACK) {
    process.stderr.write(`warning: listening on ${argv.host}, not ${LOOPBACK}: anyone who can reach it can start and stop runs (there is no authentication)\n`);
  }
  // Ctrl-C and SIGTERM close the server (stopping a run between slices), heard from before it listens.
  let stopped!: () => void;
  const closed = new Promise<void>((resolve) => (stopped = resolve));
  const stop = () => {
    process.stdout.write('dcc-twin serve: stopping\n');
    app.close().then(stopped, stopped);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let address: string;
  try {
    address = await app.listen({ port: argv.port, host: argv.host });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`--port ${argv.port}: cannot listen on ${argv.host}: ${code === 'EADDRINUSE' ? 'the port is in use' : (e as Error).message}`);
  }
  process.stdout.write(`dcc-twin serve: dashboard at ${address}/ (Ctrl-C stops)\n`);
  if (startName !== null) {
    const run = runs.start(scenarios.get(startName)!.file, { scenario: startName });
    process.stdout.write(`  run ${run.id}: ${startName}\n`);
  }
  if (logs.length > 0) {
    const run = runs.startLog(logs[0], { log: logs[0] }, speed);
    process.stdout.write(`  run ${run.id}: ${run.info.name}, replayed from ${argv.source} at ${speed === Infinity ? 'full speed' : `${speed}x`}\n`);
  }
  await closed;
}

export const SERVE_DEFAULT_PORT = DEFAULT_PORT;

/**
 * Reads the whole log once before the server listens, rendering nothing: a
 * log that is not one, or is cut or corrupt, is the user's input (exit 2,
 * named by the byte offset of its first bad record), not a run that fails.
 */
async function checkLog(file: string): Promise<void> {
  try {
    if (!fs.statSync(file).isFile()) throw new UsageError(`${file}: not a file (a scenario .yaml/.json or a recorded .twinlog)`);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  const { replayLog } = await import('../record/replay.js');
  const { MemorySink } = await import('../feeds/sink.js');
  // A window that starts at Infinity renders no record (CSV header lines aside) but checks them all.
  const r = await replayLog(file, new MemorySink(), { fromMs: Infinity });
  if (r.bad) throw r.bad;
}
