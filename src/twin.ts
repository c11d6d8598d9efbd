/**
 * One run of the twin: scenario -> estate and network -> flows -> events ->
 * feeds. The top of the tree: the only module that knows every layer. Builds everything from the scenario and its seed alone, runs the
 * kernel in slices (so that progress can be shown and, later, streamed), and
 * closes the feeds with a manifest.
 */
import { Worker } from 'node:worker_threads';
import { Simulator } from './engine/simulator.js';
import { floorMod } from './engine/modulo.js';
import type { Scenario } from './scenario/types.js';
import { FileSink, prepareRunDir, type FeedSink, type WrittenFile } from './feeds/sink.js';
import { ChannelSink, FactChannel, channelMemory } from './feeds/channel.js';
import { writeManifest } from './feeds/manifest.js';
import { DRAIN_MS } from './feeds/window.js';
import { WINDOW_MS } from './feeds/alert-throughput.js';
import { AlertJourney } from './flows/alerts/journey.js';
import { PowerOutages } from './flows/alerts/power-outage.js';
import { BackgroundAlerts, buildGenerators } from './flows/alerts/background.js';
import { FeedRecorder } from './flows/alerts/recorder.js';
import { routingTable, codeIndex } from './flows/alerts/routing.js';
import { estateView } from './flows/alerts/estate-view.js';
import { RequestFeedRecorder, wireRequests, type RequestJourney } from './flows/requests/index.js';
import { LocalAlertRecorder, ShippedAlertRecorder } from './flows/alerts/recorder-ops.js';
import { LocalRequestRecorder, ShippedRequestRecorder } from './flows/requests/recorder-ops.js';
import { RegionHubs } from './flows/region-hubs.js';
import { OutageFlow, type OutageCounts } from './flows/outages/index.js';
import { FirmwareFlow, writeFirmwareFeeds } from './flows/firmware/index.js';
import { RecordingSink } from './record/recorder.js';
import { buildWorld } from './world.js';
import type { FeedsThreadData, FeedsThreadResult } from './twin-thread.js';

export { resolvedText } from './world.js';

/** Events in one kernel slice at most: a fraction of a second's work. */
const SLICE_EVENTS = 100_000;

/** Lets timers and signal handlers run between slices (the kernel itself never waits). */
const betweenSlices = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export interface RunOptions {
  outDir: string;
  /** Called between kernel slices. */
  onProgress?: (p: RunProgress) => void;
  /** A sink to use instead of files under outDir (tests). */
  sink?: FeedSink;
  /** Awaited between kernel slices instead of a plain yield: a caller may hold the run there (pause) or throw to stop it. */
  between?: () => Promise<void>;
  /** The scenario file's bytes as loaded, hashed into the manifest (null hash when absent). */
  sourceText?: string | Buffer;
  /** Also write the run's event log to this file (src/record/, docs/record-replay.md). */
  record?: string;
  /**
   * Spell and write the feeds on a second thread (src/twin-thread.ts): the
   * default for a run written to files; false keeps them on the simulation
   * thread. A run given a `sink` always keeps them there.
   */
  feedsThread?: boolean;
  /** Spell, count and hash the feeds without storing them, and write no manifest (benchmarks of runs too large for the disk). */
  discardFeeds?: boolean;
  /**
   * Write the feeds around the page cache (src/feeds/direct-io.ts): much
   * cheaper in kernel CPU, for runs whose files nothing reads back at once
   * (`run --no-report`); a report right after reads them faster from the cache.
   */
  directWrites?: boolean;
  /** Numbers per batch sent to the feeds thread (src/feeds/channel.ts); tests use small batches to cross their boundaries often. */
  feedsBatchSlots?: number;
}

/** What a run shows between slices: the clock, and the queues a presenter watches. */
export interface RunProgress {
  simNow: number;
  simEnd: number;
  events: number;
  /** Alerts in flight. */
  inFlight: number;
  /** Alerts held by the DSP's per-User throttle, all Users (src/network/dsp.ts). */
  throttleQueue: number;
  /** Deliveries waiting at the Users' gateways for capacity, before their handshake (src/network/service-user.ts). */
  handshakeBacklog: number;
}

export interface RunResult {
  scenario: Scenario;
  outDir: string;
  events: number;
  simEnd: number;
  wallSeconds: number;
  hubs: number;
  devices: number;
  alerts: AlertJourney['counts'];
  outages: PowerOutages['counts'];
  background: BackgroundAlerts['counts'];
  requests: RequestJourney['counts'];
  availability: OutageCounts;
  /** Firmware campaigns' counts (null: the scenario has none). */
  firmware: FirmwareFlow['counts'] | null;
  files: Array<{ path: string; records: number; bytes: number }>;
  peakInFlight: number;
  warnings: string[];
  /** The event log, when one was recorded. */
  log?: { path: string; bytes: number };
}

/** The feeds thread's module: beside this one when built; the build's when the sources run (tests, after a build). */
function threadModule(): URL {
  const here = new URL(import.meta.url);
  return here.pathname.endsWith('.ts') ? new URL('../dist/src/twin-thread.js', here) : new URL('./twin-thread.js', here);
}

/** The simulation thread's end of the feeds thread. */
class FeedsThread {
  readonly channel: FactChannel;
  private readonly worker: Worker;
  private exited: Error | null = null;

  constructor(scenario: Scenario, opts: RunOptions, clock: () => number) {
    const data: FeedsThreadData = {
      scenario, outDir: opts.outDir, record: opts.record, sourceText: opts.sourceText, store: opts.discardFeeds !== true, direct: opts.directWrites === true,
      memory: channelMemory(opts.feedsBatchSlots),
    };
    // A larger young generation: the thread makes short-lived strings at a high rate, and the default one is scavenged every few milliseconds.
    this.worker = new Worker(threadModule(), { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: 64 } });
    this.worker.on('error', (err) => {
      this.exited = err;
    });
    this.channel = new FactChannel(this.worker, data.memory, clock);
  }

  /** Waits until the thread has built what it writes with; raises its failure to start. */
  async ready(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const onMessage = (m: { t: string }) => {
        if (m.t !== 'ready') return;
        this.worker.off('message', onMessage);
        resolve();
      };
      this.worker.on('message', onMessage);
      this.worker.once('error', reject);
    });
    this.channel.check();
  }

  /** Sends what is left, waits for every file to be written and closed; raises the thread's failure. */
  async close(): Promise<FeedsThreadResult> {
    this.channel.flush();
    const closed = new Promise<FeedsThreadResult | null>((resolve, reject) => {
      this.worker.on('message', (m: { t: string; result?: FeedsThreadResult | null }) => {
        if (m.t === 'closed') resolve(m.result ?? null);
      });
      this.worker.once('error', reject);
      if (this.exited) reject(this.exited);
    });
    this.worker.postMessage({ t: 'close' });
    try {
      const result = await closed;
      this.channel.check();
      if (result === null) throw new Error('the feeds thread failed without saying why');
      return result;
    } finally {
      await this.worker.terminate();
    }
  }

  async abandon(): Promise<void> {
    await this.worker.terminate();
  }
}

export async function runTwin(scenario: Scenario, opts: RunOptions): Promise<RunResult> {
  const t0 = process.hrtime.bigint();
  if (!opts.sink) prepareRunDir(opts.outDir);
  const warnings: string[] = [];
  const sim = new Simulator(1 << 16);
  const clock = () => sim.now;
  // Started first: it builds the same estate and network as this thread, at the same time.
  const thread = !opts.sink && opts.feedsThread !== false ? new FeedsThread(scenario, opts, clock) : null;
  // The feeds thread must not outlive a run that fails or is stopped.
  try {
    const { streams, estate, outagePlan, net, ids } = buildWorld(scenario);
    // One list of each region's hubs for every generator of alerts and requests.
    const regionHubs = new RegionHubs(estate);
    const view = estateView(estate, regionHubs);
    warnings.push(...outagePlan.warnings);
    const fileSink = opts.sink || thread ? null : new FileSink(opts.outDir, opts.discardFeeds !== true, opts.directWrites === true);
    const feedSink = opts.sink ?? fileSink;
    // With a feeds thread, lines written here (the feeds made at the run's end) go to its sink, in order.
    const sink: FeedSink = thread
      ? new ChannelSink(thread.channel)
      : opts.record
        ? new RecordingSink(feedSink!, opts.record, { scenario, sourceText: opts.sourceText, clock })
        : feedSink!;
    const recorder = thread ? new ShippedAlertRecorder(thread.channel, scenario.output.duisBodies) : new LocalAlertRecorder(new FeedRecorder(sink, scenario, estate, net, ids));
    const journey = new AlertJourney(sim, net, view, routingTable(), recorder, 1 << 14);
    recorder.attach(journey.table);
    const requestRecorder = thread
      ? new ShippedRequestRecorder(thread.channel)
      : new LocalRequestRecorder(new RequestFeedRecorder(sink, scenario, ids, net, (recorder as LocalAlertRecorder).feed.shared), scenario.requests?.secmp0053 ?? false);

    const outageEvents = scenario.events.flatMap((e, i) => (e.type === 'powerOutage' ? [{ e, cause: i + 1 }] : []));
    const outages = new PowerOutages(
      sim, net, view, journey,
      { AD1: codeIndex('AD1'), '8F35': codeIndex('8F35'), '8F36': codeIndex('8F36') },
      outageEvents.map((o) => o.e), outageEvents.map((o) => o.cause),
      streams,
    );
    const background = new BackgroundAlerts(sim, view, journey, buildGenerators(scenario, scenario.duration), streams);
    const requests = wireRequests(sim, net, estate, scenario, requestRecorder, streams, journey, regionHubs);
    const outageFlow = new OutageFlow(scenario, outagePlan, streams, estate, requests.journey);
    // Firmware campaigns (SRV 11.1 / 11.3): their files are written only by runs that have one.
    const firmware = scenario.events.some((e) => e.type === 'firmwareCampaign')
      ? new FirmwareFlow(sim, net, estate, scenario, streams, journey, requests.journey)
      : null;
    if (firmware) recorder.firmwareDetail = (row) => firmware.alertDetail(row);

    // The 15-minute alert rows are written as the simulated clock passes each window's end, by an
    // event of the kernel's: so at the same place among the other feeds' records in every run, which
    // the event log keeps (between slices, which follow the wall clock, the place would vary).
    const advance = sim.on('feeds.advance', () => {
      recorder.advance(sim.now);
      sim.after(WINDOW_MS, advance);
    });
    sim.at(WINDOW_MS - floorMod(scenario.epoch, WINDOW_MS), advance);

    // The feeds thread builds its own estate and network while this one simulates: the first
    // batches wait in the channel's ring. Its failure to start is raised at the next slice, or
    // at the next batch handed over, whichever comes first.
    let notStarted: unknown = null;
    const started = thread?.ready().then(
      () => undefined,
      (err: unknown) => {
        notStarted = err;
      },
    );
    // Run in slices of simulated time; the slice adapts so that progress is reported a few times a second.
    const end = scenario.duration;
    let slice = 60_000;
    let peakInFlight = 0;
    const report = () => {
      if (journey.table.size > peakInFlight) peakInFlight = journey.table.size;
      if (opts.onProgress === undefined) return;
      let handshakeBacklog = 0;
      for (const u of net.serviceUsers) handshakeBacklog += u.server.backlog(sim.now);
      opts.onProgress({
        simNow: sim.now, simEnd: end, events: sim.dispatched, inFlight: journey.table.size,
        throttleQueue: net.dsp.throttle.backlog(sim.now), handshakeBacklog,
      });
    };
    const between = opts.between ?? betweenSlices;
    // A slice is also cut after SLICE_EVENTS events: a storm's burst (a million restorations in
    // five simulated minutes) would otherwise be one slice of half a minute's wall time, with no
    // progress and no way for a signal to be heard.
    while (sim.now < end) {
      const w0 = performance.now();
      const n = sim.run(Math.min(end, sim.now + slice), SLICE_EVENTS);
      const dt = performance.now() - w0;
      if (dt < 50 && n < SLICE_EVENTS && slice < 86_400_000) slice *= 2;
      else if (dt > 250 && slice > 1000) slice = Math.max(1000, slice / 2);
      report();
      await between();
      if (notStarted !== null) throw notStarted;
    }
    // Follow journeys in flight to their end (at most DRAIN_MS more): background traffic stops at
    // `end`, but what is already pending (restorations, retries) still happens.
    const drainEnd = end + DRAIN_MS;
    while ((journey.table.size > 0 || requests.journey.table.size > 0) && sim.now < drainEnd && sim.pending > 0) {
      sim.run(Math.min(drainEnd, sim.now + slice), SLICE_EVENTS);
      report();
      await between();
    }
    if (journey.table.size > 0) warnings.push(`${journey.table.size} alerts were still in flight ${DRAIN_MS / 60000} minutes after the end; their journeys are not in the feeds`);
    if (requests.journey.table.size > 0) warnings.push(`${requests.journey.table.size} service requests were still in flight ${DRAIN_MS / 60000} minutes after the end; they are not in the feeds`);

    await started;
    if (notStarted !== null) throw notStarted;
    recorder.close();
    outageFlow.write(sink, ids);
    const firmwareFiles = firmware ? writeFirmwareFeeds(firmware, estate, sink, ids, scenario.epoch, end, scenario.output.groundTruth) : [];
    let files: RunResult['files'];
    let written: WrittenFile[] | null = null;
    let lateThroughput: number;
    let log: RunResult['log'];
    if (thread) {
      const r = await thread.close();
      written = r.written;
      files = written.map((f) => ({ path: f.path, records: f.records, bytes: f.bytes }));
      lateThroughput = r.lateThroughput;
      log = r.log;
    } else {
      const direct = (recorder as LocalAlertRecorder).feed;
      await sink.close();
      files = [
        ...direct.files(),
        ...[...(requestRecorder as LocalRequestRecorder).feed.opened, ...outageFlow.opened].map((o) => ({ path: o.path, records: o.w.records, bytes: o.w.bytes })),
        ...firmwareFiles,
      ].sort((a, b) => a.path.localeCompare(b.path));
      written = fileSink ? fileSink.written() : null;
      lateThroughput = direct.lateThroughput;
      log = sink instanceof RecordingSink ? { path: sink.file, bytes: sink.logBytes } : undefined;
    }
    if (written && opts.discardFeeds !== true) await writeManifest(opts.outDir, { scenario, sourceText: opts.sourceText, files: written });
    if (lateThroughput > 0) warnings.push(`${lateThroughput} alerts ended more than an hour after their 15-minute window closed and are not counted in alert-throughput-15min.csv`);
    return {
      scenario,
      outDir: opts.outDir,
      events: sim.dispatched,
      simEnd: sim.now,
      wallSeconds: Number(process.hrtime.bigint() - t0) / 1e9,
      hubs: estate.hubCount,
      devices: estate.deviceCount,
      alerts: journey.counts,
      outages: outages.counts,
      background: background.counts,
      requests: requests.journey.counts,
      availability: outageFlow.counts,
      firmware: firmware?.counts ?? null,
      files,
      peakInFlight: Math.max(peakInFlight, journey.table.highWater),
      warnings,
      log,
    };
  } catch (err) {
    await thread?.abandon();
    throw err;
  }
}
