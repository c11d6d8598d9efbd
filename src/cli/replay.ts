/**
 * `dcc-twin replay <log>`: a recorded run's feeds again, from its event log
 * alone (src/record/, docs/record-replay.md): into a run directory (replaced
 * whole, as `run` does), dropped into a delivery directory and/or streamed
 * over a WebSocket, paced against the wall clock or as fast as it goes.
 */
import path from 'node:path';
import { parseDuration } from '../params/duration.js';
import { FileSink, prepareRunDir, TeeSink, type FeedSink, type WrittenFile } from '../feeds/sink.js';
import { writeManifest } from '../feeds/manifest.js';
import { RunDirLock, Staging, makeParent, resolveRunDir } from '../feeds/run-dir.js';
import { fmtBytes } from './progress.js';
import type { WebSocketSink } from '../record/delivery.js';
import type { ReplayResult } from '../record/replay.js';
import { UsageError, onInterrupt } from './errors.js';

export interface ReplayArgs {
  log: string;
  out?: string;
  force: boolean;
  from?: string;
  to?: string;
  speed: string;
  deliver?: string;
  ws?: number;
  salvage: boolean;
}

/** A simulated time given as a scenario's times are (`10m`, `1h30m`, `PT2H`): ms from the epoch, 0 allowed. */
function timeOption(option: string, value: string): number {
  let ms: number;
  try {
    ms = parseDuration(value);
  } catch (e) {
    throw new UsageError(`${option}: ${(e as Error).message}`);
  }
  if (!(ms >= 0) || !Number.isSafeInteger(ms)) throw new UsageError(`${option}: must be a whole number of milliseconds from the epoch, 0 or more (got ${JSON.stringify(value)})`);
  return ms;
}

/** --speed: simulated seconds per wall second, or max (Infinity); `serve <log>` takes it too. */
export function speedOption(value: string): number {
  if (value === 'max') return Infinity;
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n)) throw new UsageError(`--speed: must be simulated seconds per wall second above zero, or max (got ${JSON.stringify(value)})`);
  return n;
}

export async function replayCommand(argv: ReplayArgs): Promise<void> {
  const fromMs = argv.from === undefined ? undefined : timeOption('--from', argv.from);
  const toMs = argv.to === undefined ? undefined : timeOption('--to', argv.to);
  if (fromMs !== undefined && toMs !== undefined && toMs <= fromMs) throw new UsageError(`--to: must be after --from (${argv.to} is not after ${argv.from})`);
  const speed = speedOption(argv.speed);
  if (argv.ws !== undefined && !(Number.isInteger(argv.ws) && argv.ws >= 0 && argv.ws <= 65535)) throw new UsageError(`--ws: must be a port number 0-65535 (got ${argv.ws})`);
  // Loaded here: the log's codec is only for this command.
  const { readHeader, replayLog, replayManifest } = await import('../record/replay.js');
  const { replayFiles } = await import('../record/files.js');
  const { DirectorySink, WallPacer, WebSocketSink } = await import('../record/delivery.js');
  const header = readHeader(argv.log);
  const scenario = JSON.parse(header.scenarioJson) as { name: string; seed: number; epoch: number; duration: number };
  const streaming = argv.deliver !== undefined || argv.ws !== undefined;
  const outArg = argv.out ?? (streaming ? undefined : path.join('runs', `${scenario.name}-replay`));

  const notes: string[] = [];
  let lock: RunDirLock | null = null;
  let staging: Staging | null = null;
  let target = '';
  let ws: WebSocketSink | null = null;
  const stopListening = onInterrupt(() => {
    const removed = staging === null || staging.abandon();
    lock?.release();
    void ws?.close();
    return staging === null ? 'replay stopped' : removed ? `${target} is as it was` : `${target} is as it was; the unfinished replay is left in ${staging.dir}`;
  });
  try {
    const sinks: FeedSink[] = [];
    let files: FileSink | null = null;
    if (outArg !== undefined) {
      target = resolveRunDir(outArg);
      makeParent(target);
      lock = RunDirLock.take(target, notes);
      staging = Staging.begin(target, { force: argv.force }, notes);
      prepareRunDir(staging.dir);
      // A run directory alone is rendered on every core (files.ts); with delivery or a stream, in order through one sink.
      if (streaming) {
        files = new FileSink(staging.dir);
        sinks.push(files);
      }
    }
    for (const n of notes) process.stderr.write(`note: ${n}\n`);
    const clock = { now: scenario.epoch };
    const deliver = argv.deliver === undefined ? null : new DirectorySink(argv.deliver, scenario.epoch + (fromMs ?? 0));
    if (deliver) sinks.push(deliver);
    if (argv.ws !== undefined) {
      ws = await WebSocketSink.listen(argv.ws, clock);
      sinks.push(ws);
      process.stderr.write(`replay: streaming on ws://127.0.0.1:${ws.port}, waiting for a client\n`);
      await ws.firstClient();
    }
    const t0 = performance.now();
    const wsSink = ws;
    let written: WrittenFile[] = [];
    let r: ReplayResult;
    if (streaming) {
      r = await replayLog(argv.log, sinks.length === 1 ? sinks[0] : new TeeSink(sinks[0], ...sinks.slice(1)), {
        fromMs,
        toMs,
        listeners: deliver ? [deliver] : [],
        pacer: new WallPacer(speed),
        backlog: wsSink ? () => wsSink.backlog() : undefined,
        clock,
      });
      if (files) written = files.written();
    } else {
      const rf = await replayFiles(argv.log, staging!.dir, { fromMs, toMs, salvage: argv.salvage });
      r = rf;
      written = rf.written;
    }
    const seconds = (performance.now() - t0) / 1000;
    if (r.bad && !argv.salvage) throw r.bad;
    const lines = [`replay ${argv.log} (${scenario.name}, seed ${scenario.seed}) in ${seconds.toFixed(2)} s`];
    if (staging) {
      await writeManifest(staging.dir, replayManifest(r, written));
      staging.commit();
      lines.push(`  run directory ${target}`);
      for (const f of written) lines.push(`    ${f.path.padEnd(34)} ${String(f.records).padStart(10)} records  ${fmtBytes(f.bytes).padStart(10)}`);
    }
    if (deliver) lines.push(`  delivered     ${deliver.dropped.length} files to ${argv.deliver}`);
    if (ws) lines.push(`  streamed      on ws://127.0.0.1:${ws.port}`);
    process.stdout.write(lines.join('\n') + '\n');
    if (r.bad) process.stderr.write(`warning: ${r.bad.message}; replayed the records before it (--salvage)\n`);
  } catch (e) {
    if (staging !== null && e instanceof Error) {
      const removed = staging.abandon();
      e.message += removed ? `; ${target} is as it was` : `; ${target} is as it was, the unfinished replay is left in ${staging.dir}`;
    }
    await ws?.close();
    throw e;
  } finally {
    stopListening();
    lock?.release();
  }
}
