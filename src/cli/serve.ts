/**
 * `dcc-twin serve [<scenario> | <log>]...`: the live server and dashboard for
 * showing a storm as it unfolds (src/server/, docs/dashboard.md), run by the
 * twin or replayed from recorded event logs (docs/record-replay.md) at
 * --speed. Scenario files are offered on the dashboard and the first runs at
 * once; logs are offered as recorded runs and, when no scenario is given,
 * the first is replayed at once. It binds 127.0.0.1
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
  /** Scenario files (.yaml, .yml, .json) and recorded logs, in any order. */
  sources?: string[];
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
  const plan = await planServe(argv.sources ?? [], argv.speed);
  const logs = plan.logs.map((l) => l.path);
  const outRoot = argv.out === undefined ? undefined : resolveRunDir(argv.out);
  if (outRoot !== undefined) fs.mkdirSync(outRoot, { recursive: true });
  const { app, runs, scenarios } = await buildServer({ extraScenarios: plan.scenarios, logs, speed, outRoot, report: argv.report });
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
  if (plan.start !== null && 'scenario' in plan.start) {
    const name = plan.start.scenario;
    const run = runs.start(scenarios.get(name)!.file, { scenario: name });
    process.stdout.write(`  run ${run.id}: ${name}\n`);
  } else if (plan.start !== null) {
    const run = runs.startLog(plan.start.log, { log: plan.start.log }, speed);
    process.stdout.write(`  run ${run.id}: ${run.info.name}, replayed from ${plan.logs[0].given} at ${speed === Infinity ? 'full speed' : `${speed}x`}\n`);
  }
  if (logs.length > 1 || (plan.start !== null && 'scenario' in plan.start && logs.length > 0)) {
    process.stdout.write(`  recorded runs on the dashboard: ${plan.logs.map((l) => l.given).join(', ')}\n`);
  }
  await closed;
}

export const SERVE_DEFAULT_PORT = DEFAULT_PORT;

export interface ServePlan {
  /** Scenario files to offer besides the bundled ones, absolute. */
  scenarios: string[];
  /** Logs to offer, each once, in the order given: absolute, and as the command line named it. */
  logs: Array<{ path: string; given: string }>;
  /** What runs at once: the first scenario, else the first log, else nothing. */
  start: { scenario: string } | { log: string } | null;
}

/** Sorts the command line's sources into scenarios and logs, each checked before the server listens. */
export async function planServe(sources: string[], speedArg: string): Promise<ServePlan> {
  const isScenario = (f: string) => /\.(ya?ml|json)$/i.test(f);
  const files = sources.filter(isScenario);
  // A log given twice is one log: the dashboard lists each once.
  const logs = [...new Map(sources.filter((f) => !isScenario(f)).map((f) => [path.resolve(f), f])).entries()].map(([p, given]) => ({ path: p, given }));
  if (logs.length === 0 && speedArg !== 'max') {
    throw new UsageError(`--speed: paces a recorded log; ${files.length > 0 ? `${files[0]} is a scenario, run as fast as it goes` : 'no log is given'}`);
  }
  const first = files.length > 0 ? loadScenario(files[0]).name : null;
  for (const l of logs) await checkLog(l.given);
  return {
    scenarios: files.map((f) => path.resolve(f)),
    logs,
    start: first !== null ? { scenario: first } : logs.length > 0 ? { log: logs[0].path } : null,
  };
}

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
