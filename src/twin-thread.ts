/**
 * The feeds thread of a run (src/twin.ts starts it for a run written to
 * files): it builds the run's reference data from the scenario as the
 * simulation thread does (estate, network, ids: every recorder reads only
 * what is fixed once they are built), opens the run directory's sink (with
 * the event log's recorder in front when the run is recorded, or its tap
 * to a thread of its own where a core is free), and applies
 * the simulation's batches of facts (src/feeds/channel.ts) to the same
 * recorders a single-threaded run calls directly, against replicas of the
 * journey tables. Spelling records and encoding them, half of a storm's
 * work, happens here, beside the simulation instead of inside it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Scenario } from './scenario/types.js';
import { FileSink, OutputError } from './feeds/sink.js';
import { ChannelReceiver, ChannelSinkReceiver, eachOperation, type BatchMessage, type ChannelMemory } from './feeds/channel.js';
import { FeedRecorder } from './flows/alerts/recorder.js';
import { AlertTable } from './flows/alerts/table.js';
import { AlertReplica, applyAlertOp } from './flows/alerts/recorder-ops.js';
import { RequestFeedRecorder } from './flows/requests/recorder.js';
import { RequestReplica, applyRequestOp } from './flows/requests/recorder-ops.js';
import os from 'node:os';
import { LogTap } from './record/log-thread.js';
import { RecordingSink } from './record/recorder.js';
import { buildWorld } from './world.js';

export interface FeedsThreadData {
  scenario: Scenario;
  outDir: string;
  record?: string;
  sourceText?: string | Buffer;
  /** false: spell and hash the feeds, store none (FileSink's `store`). */
  store: boolean;
  /** Write them around the page cache (FileSink's `direct`). */
  direct: boolean;
  /** The batches and flags shared with the simulation thread (src/feeds/channel.ts). */
  memory: ChannelMemory;
}

/** What the thread reports when its sink is closed. */
export interface FeedsThreadResult {
  written: ReturnType<FileSink['written']>;
  lateThroughput: number;
  log?: { path: string; bytes: number };
}

const data = workerData as FeedsThreadData;
const port = parentPort!;
const ring = new ChannelReceiver(data.memory);
let now = 0;
let failed = false;

/**
 * Whether the event log gets a thread of its own (src/record/log-thread.ts):
 * where a core is free for it. On two cores the simulation and this thread
 * keep both busy, and a third thread measured slower than recording here
 * (docs/performance.md, "The event log on its own thread");
 * DCC_TWIN_LOG_THREAD=1 or 0 decides it either way.
 */
function logThread(): boolean {
  const forced = process.env.DCC_TWIN_LOG_THREAD;
  return forced === undefined || forced === '' ? os.availableParallelism() > 2 : forced === '1';
}

/** What the thread writes with, built once it has started. */
function setup() {
  const { scenario } = data;
  const { estate, net, ids } = buildWorld(scenario);
  const fileSink = new FileSink(data.outDir, data.store, data.direct);
  const clock = () => now;
  const sink = !data.record
    ? fileSink
    : logThread()
      ? new LogTap(fileSink, data.record, { scenario, sourceText: data.sourceText }, clock)
      : new RecordingSink(fileSink, data.record, { scenario, sourceText: data.sourceText, clock });
  const alerts = new FeedRecorder(sink, scenario, estate, net, ids);
  const alertRows = new AlertReplica(new AlertTable(1));
  alerts.attach(alertRows.table, false);
  const requests = new RequestFeedRecorder(sink, scenario, ids, net, alerts.shared);
  const requestRows = new RequestReplica(scenario.requests?.secmp0053 ?? false);
  requests.attach(requestRows);
  return { fileSink, sink, alerts, alertRows, requests, requestRows, lines: new ChannelSinkReceiver(sink) };
}

/** Raises the failure flag with its message in shared memory: the simulation thread stops at its next batch. */
function fail(err: unknown): void {
  if (failed) return;
  failed = true;
  const e = err as Error;
  ring.fail(e instanceof OutputError, e?.message ?? String(err));
}

/** Applies one batch of facts, then hands it back to be filled again. */
function apply(m: BatchMessage): void {
  if (!failed && w !== null) {
    const { alerts, alertRows, requests, requestRows, lines } = w;
    try {
      const f = ring.batch(m);
      const strings = m.strings;
      eachOperation(f, m.n, (op, t, o) => {
        now = t;
        if (applyAlertOp(op, f, o, strings, alerts, alertRows)) return;
        if (applyRequestOp(op, f, o, requests, requestRows)) return;
        if (!lines.apply(op, f, o, strings)) throw new Error(`unknown operation ${op} in a batch of facts`);
      });
    } catch (err) {
      fail(err);
    }
  }
  ring.done(m);
}

async function close(): Promise<void> {
  try {
    await w?.sink.close();
  } catch (err) {
    fail(err);
  }
  const result: FeedsThreadResult | null =
    failed || w === null
      ? null
      : {
          written: w.fileSink.written(),
          lateThroughput: w.alerts.lateThroughput,
          log: w.sink instanceof LogTap || w.sink instanceof RecordingSink ? { path: w.sink.file, bytes: w.sink.logBytes } : undefined,
        };
  port.postMessage({ t: 'closed', result });
}

// Messages are queued and applied one per turn of the event loop: a port hands over up to a
// thousand queued messages at once, and applying them there would starve the writer thread's
// messages (the buffers it hands back), so that every flush would take fresh memory.
const queue: Array<BatchMessage | { t: 'close' }> = [];
let head = 0;
let scheduled = false;

function drain(): void {
  scheduled = false;
  const m = queue[head++];
  if (head === queue.length) {
    queue.length = 0;
    head = 0;
  }
  if (m.t === 'batch') apply(m);
  else void close();
  if (head < queue.length) schedule();
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  setImmediate(drain);
}

// A failure to start (the log's file cannot be created, say) is raised by the simulation
// thread when it asks whether the thread is ready, before the run begins.
let w: ReturnType<typeof setup> | null = null;
try {
  w = setup();
} catch (err) {
  fail(err);
}
port.postMessage({ t: 'ready' });

port.on('message', (m: BatchMessage | { t: 'close' }) => {
  queue.push(m);
  schedule();
});
