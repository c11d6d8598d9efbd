/**
 * `dcc-twin serve [<scenario>]`: the live server and dashboard for showing a
 * storm as it unfolds (src/server/, docs/dashboard.md). It binds 127.0.0.1
 * unless --host names another address, which it warns about: the server has
 * no authentication and can start runs that use the whole machine.
 */
import path from 'node:path';
import fs from 'node:fs';
import { loadScenario } from '../scenario/load.js';
import { resolveRunDir } from '../feeds/run-dir.js';
import { DEFAULT_PORT, buildServer } from '../server/app.js';
import { UsageError } from './errors.js';

export interface ServeArgs {
  source?: string;
  port: number;
  host: string;
  out?: string;
  report: boolean;
}

export const LOOPBACK = '127.0.0.1';

export async function serveCommand(argv: ServeArgs): Promise<void> {
  if (!Number.isInteger(argv.port) || argv.port < 0 || argv.port > 65535) throw new UsageError(`--port: must be an integer 0..65535 (got ${argv.port})`);
  const extra: string[] = [];
  let startName: string | null = null;
  if (argv.source !== undefined) {
    if (!/\.(ya?ml|json)$/i.test(argv.source)) {
      throw new UsageError(`${argv.source}: not a scenario file (.yaml, .yml or .json); serving a recorded log (dcc-twin replay) is not wired to the server yet`);
    }
    startName = loadScenario(argv.source).name;
    extra.push(path.resolve(argv.source));
  }
  const outRoot = argv.out === undefined ? undefined : resolveRunDir(argv.out);
  if (outRoot !== undefined) fs.mkdirSync(outRoot, { recursive: true });
  const { app, runs, scenarios } = await buildServer({ extraScenarios: extra, outRoot, report: argv.report });
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
  await closed;
}

export const SERVE_DEFAULT_PORT = DEFAULT_PORT;
