/**
 * The live server: a fastify app with the dashboard page, REST routes (each
 * with its JSON schemas, validated at the edge) to list the bundled
 * scenarios and the recorded logs it was given, start, pause, resume and stop runs and read their metrics,
 * and a WebSocket stream (`ws`, on fastify's HTTP server) of what a run
 * produces: progress, feed records, 15-minute windows, metric snapshots.
 * Routes and messages: docs/dashboard.md.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { WebSocketServer } from 'ws';
import { loadScenario } from '../scenario/load.js';
import { Runs, type Run, type RunMessage, type StartRequest } from './runs.js';
import { logEntry } from './log-source.js';
import { ClientChannel, HIGH_WATER, MAX_QUEUE, type DropCounts, type Outgoing } from './channel.js';
import { FEEDS } from '../feeds/index.js';

/** The port `dcc-twin serve` listens on unless --port says otherwise. */
export const DEFAULT_PORT = 8470;
/** Records per `records` message at most, so no one message is large. */
const RECORDS_PER_MESSAGE = 500;
/** How often slow clients' queues are offered to their sockets again, ms. */
const PUMP_MS = 25;

/** The repository's root: where scenarios/ and the dashboard page are, from src/ or dist/src/. */
function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('cannot find the package root from ' + fileURLToPath(import.meta.url));
    dir = up;
  }
  return dir;
}

export interface ServerOptions {
  /** Scenario files the dashboard may start, besides the bundled ones (the command line's argument). */
  extraScenarios?: string[];
  /** Recorded event logs the server may serve (the command line's argument); no other file is read for a run's `log`. */
  logs?: string[];
  /** A log's pace unless a request names one: simulated seconds per wall second (Infinity: as fast as it goes). */
  speed?: number;
  /** Write each run's directory under this directory (and report it at the end). */
  outRoot?: string;
  /** Compute the batch report at the end of a run written to a directory (default true). */
  report?: boolean;
  logger?: boolean;
  /** Per-client buffer bounds (src/server/channel.ts); the defaults unless a test needs small ones. */
  streamLimits?: { highWater: number; maxQueue: number };
}

interface ScenarioEntry {
  name: string;
  file: string;
  description: string;
  hubs: number;
  durationMs: number;
}

/** The bundled scenarios (scenarios/*.yaml) and any given on the command line, by name. */
function scenarioList(root: string, extra: string[]): Map<string, ScenarioEntry> {
  const dir = path.join(root, 'scenarios');
  // Sweep files (sweep-*.yaml, docs/sweeps.md) lie beside the scenarios and are none.
  const files = fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f) && !f.startsWith('sweep')).map((f) => path.join(dir, f)).concat(extra);
  const out = new Map<string, ScenarioEntry>();
  for (const file of files) {
    const s = loadScenario(file);
    out.set(s.name, { name: s.name, file, description: s.description ?? '', hubs: s.estate.hubs, durationMs: s.duration });
  }
  return out;
}

/** Encodes run messages once for every client. */
class Hub {
  readonly clients = new Set<ClientChannel>();
  /** What was dropped for clients since gone (those connected have their own counts). */
  private readonly droppedGone: DropCounts = { records: 0, windows: 0, snapshots: 0 };

  leave(c: ClientChannel): void {
    if (!this.clients.delete(c)) return;
    for (const k of ['records', 'windows', 'snapshots'] as const) this.droppedGone[k] += c.dropped[k];
  }

  /** Everything dropped for every client this server has had. */
  dropped(): DropCounts {
    const d = { ...this.droppedGone };
    for (const c of this.clients) for (const k of ['records', 'windows', 'snapshots'] as const) d[k] += c.dropped[k];
    return d;
  }

  publish(m: RunMessage): void {
    if (this.clients.size === 0) return;
    if (m.type === 'records') {
      const wanted = [...this.clients].some((c) => c.wants(m.feed));
      if (!wanted) return;
      const json = m.feed.endsWith('.jsonl');
      const lines = m.batch.lines;
      for (let i = 0; i < lines.length; i += RECORDS_PER_MESSAGE) {
        const part = lines.slice(i, i + RECORDS_PER_MESSAGE);
        const body = json ? part.join(',') : part.map((l) => JSON.stringify(l)).join(',');
        const data = `{"type":"records","run":${m.run},"feed":${JSON.stringify(m.feed)},"${json ? 'records' : 'lines'}":[${body}]}`;
        this.each({ kind: 'records', data, count: part.length, feed: m.feed });
      }
      return;
    }
    const data = JSON.stringify(m);
    if (m.type === 'windows') this.each({ kind: 'window', data, count: m.windows.length });
    else if (m.type === 'progress') this.each({ kind: 'progress', data, count: 1 });
    else if (m.type === 'metrics' && !m.metrics.final) this.each({ kind: 'metrics', data, count: 1 });
    else this.each({ kind: 'control', data, count: 1 });
  }

  private each(o: Outgoing): void {
    for (const c of this.clients) c.send(o);
  }
}

const runId = { type: 'object', required: ['id'], properties: { id: { type: 'integer', minimum: 1 } } } as const;
const runSummary = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    scenario: { type: 'string' },
    hubs: { type: 'integer' },
    state: { enum: ['running', 'paused', 'stopped', 'finished', 'failed'] },
    error: { type: 'string' },
    simNow: { type: 'number' },
    simEnd: { type: 'number' },
    runDir: { type: 'string' },
    request: { type: 'object', additionalProperties: true },
  },
} as const;
/** A route answering a list, each item as `items` says. */
const listOf = (items: object) => ({ schema: { response: { 200: { type: 'array', items } } } });
const errorReply = { type: 'object', properties: { error: { type: 'string' } } } as const;
// Metric snapshots are documented in docs/dashboard.md and passed through whole.
const anyObject = { type: 'object', additionalProperties: true } as const;

export async function buildServer(opts: ServerOptions = {}): Promise<{ app: FastifyInstance; runs: Runs; hub: Hub; scenarios: Map<string, ScenarioEntry> }> {
  const root = packageRoot();
  const dashboard = fs.readFileSync(path.join(root, 'src', 'server', 'dashboard.html'), 'utf8');
  const scenarios = scenarioList(root, opts.extraScenarios ?? []);
  const logs = new Set((opts.logs ?? []).map((f) => path.resolve(f)));
  const hub = new Hub();
  const runs = new Runs((m) => hub.publish(m), { outRoot: opts.outRoot, report: opts.report ?? true });
  // A field the schema does not have is refused, not silently removed (fastify's default).
  const app = Fastify({ logger: opts.logger ?? false, ajv: { customOptions: { removeAdditional: false } } });

  // Routes on one run answer 404 with one line when there is no such run.
  const withRun = <T>(id: number, reply: FastifyReply, f: (r: Run) => T) => {
    const r = runs.get(id);
    return r === undefined ? reply.code(404).send({ error: `no run ${id}` }) : f(r);
  };

  app.get('/', async (_req, reply) => reply.type('text/html; charset=utf-8').send(dashboard));

  app.get('/api/scenarios', listOf({
    type: 'object',
    properties: { name: { type: 'string' }, description: { type: 'string' }, hubs: { type: 'integer' }, durationMs: { type: 'number' } },
  }), async () => [...scenarios.values()]);

  // Only the logs the server was started with, in that order; no directory is looked into.
  app.get('/api/logs', listOf({
    type: 'object',
    required: ['path', 'bytes'],
    properties: {
      path: { type: 'string' },
      bytes: { type: 'integer' },
      scenario: { type: 'string' },
      seed: { type: 'integer' },
      hubs: { type: 'integer' },
      durationMs: { type: 'number' },
      error: { type: 'string' },
    },
  }), async () => [...logs].map(logEntry));

  app.post<{ Body: StartRequest }>('/api/runs', {
    schema: {
      body: {
        type: 'object',
        oneOf: [{ required: ['scenario'] }, { required: ['log'] }],
        additionalProperties: false,
        properties: {
          scenario: { type: 'string', minLength: 1 },
          log: { type: 'string', minLength: 1 },
          // "max" as JSON has no Infinity; either overrides --speed.
          speed: { anyOf: [{ type: 'number', exclusiveMinimum: 0 }, { const: 'max' }] },
          hubs: { type: 'integer', minimum: 1, maximum: 20_000_000 },
          throttlePerUserPerSecond: { type: 'number', exclusiveMinimum: 0 },
          seed: { type: 'integer', minimum: 0 },
          untilMs: { type: 'integer', minimum: 1 },
          duis: { type: 'boolean' },
        },
      },
      response: { 201: runSummary, 400: errorReply, 404: errorReply, 409: errorReply },
    },
  }, async (req, reply) => {
    const body = req.body;
    // A log is named as the server was given it; any other path is refused, never opened.
    const log = body.log === undefined || !logs.has(path.resolve(body.log)) ? undefined : path.resolve(body.log);
    const entry = body.scenario === undefined ? undefined : scenarios.get(body.scenario);
    if (body.log !== undefined && log === undefined) return reply.code(404).send({ error: `log: ${body.log} is not a log this server was started with` });
    if (body.scenario !== undefined && entry === undefined) return reply.code(404).send({ error: `no scenario named ${body.scenario}` });
    const notForLog = (['hubs', 'throttlePerUserPerSecond', 'seed', 'untilMs', 'duis'] as const).find((k) => log !== undefined && body[k] !== undefined);
    if (notForLog !== undefined) return reply.code(400).send({ error: `${notForLog}: a recorded log is served as it was recorded` });
    if (body.speed !== undefined && log === undefined) return reply.code(400).send({ error: 'speed: only a recorded log is paced' });
    const active = runs.active();
    if (active !== null) return reply.code(409).send({ error: `run ${active.id} is ${active.state}; stop it first` });
    try {
      const run = log !== undefined ? runs.startLog(log, body, body.speed === 'max' ? Infinity : (body.speed ?? opts.speed ?? Infinity)) : runs.start(entry!.file, body);
      return reply.code(201).send(run.describe());
    } catch (e) {
      return reply.code(400).send({ error: e instanceof Error ? e.message : String(e) });
    }
  });

  app.get('/api/runs', listOf(runSummary), async () => runs.list().map((r) => r.describe()));

  app.get<{ Params: { id: number } }>('/api/runs/:id', { schema: { params: runId, response: { 200: runSummary, 404: errorReply } } }, async (req, reply) =>
    withRun(req.params.id, reply, (r) => r.describe()),
  );

  for (const action of ['pause', 'resume', 'stop'] as const) {
    app.post<{ Params: { id: number } }>(`/api/runs/:id/${action}`, { schema: { params: runId, response: { 200: runSummary, 404: errorReply } } }, async (req, reply) =>
      withRun(req.params.id, reply, (r) => {
        if (action === 'pause') r.pause();
        else if (action === 'resume') r.unpause();
        else r.stop();
        return r.describe();
      }),
    );
  }

  const metricsReply = {
    type: 'object',
    properties: { run: runSummary, metrics: { anyOf: [anyObject, { type: 'null' }] }, report: { anyOf: [anyObject, { type: 'null' }] } },
  } as const;
  const metricsOf = (r: Run) => ({ run: r.describe(), metrics: r.metrics, report: r.report });
  app.get<{ Params: { id: number } }>('/api/runs/:id/metrics', { schema: { params: runId, response: { 200: metricsReply, 404: errorReply } } }, async (req, reply) =>
    withRun(req.params.id, reply, metricsOf),
  );
  app.get<{ Params: { id: number } }>('/api/runs/:id/windows', { schema: { params: runId, response: { 200: { type: 'array', items: anyObject }, 404: errorReply } } }, async (req, reply) =>
    withRun(req.params.id, reply, (r) => [...r.windows.values()].sort((a, b) => (a.windowStart < b.windowStart ? -1 : 1))),
  );
  app.get('/api/metrics', { schema: { response: { 200: metricsReply, 404: errorReply } } }, async (_req, reply) => {
    const r = runs.active() ?? runs.latest();
    if (r === null) return reply.code(404).send({ error: 'no run yet' });
    return metricsOf(r);
  });

  // The stream: /api/stream?records=none|all|<feed path>,<feed path>
  const wss = new WebSocketServer({ noServer: true });
  const feedPaths = new Set(FEEDS.map((f) => f.path));
  app.server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/api/stream') {
      socket.destroy();
      return;
    }
    const want = url.searchParams.get('records') ?? 'none';
    const feeds = want === 'all' ? 'all' : new Set(want === 'none' ? [] : want.split(',').map((f) => (f.includes('/') ? f : `feeds/${f}`)));
    if (feeds !== 'all' && [...feeds].some((f) => !feedPaths.has(f))) {
      socket.end(`HTTP/1.1 400 Bad Request\r\n\r\nrecords: unknown feed (expected none, all, or feed paths such as feeds/dsp-ast.jsonl)\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const c = new ClientChannel(ws, feeds, opts.streamLimits ?? { highWater: HIGH_WATER, maxQueue: MAX_QUEUE });
      hub.clients.add(c);
      ws.on('close', () => hub.leave(c));
      // A client joining mid-run learns where things stand.
      const r = runs.active() ?? runs.latest();
      c.send({ kind: 'control', count: 1, data: JSON.stringify({ type: 'hello', runs: runs.list().map((x) => x.describe()), feeds: [...feedPaths] }) });
      if (r !== null && r.metrics !== null) c.send({ kind: 'metrics', count: 1, data: JSON.stringify({ type: 'metrics', run: r.id, metrics: r.metrics }) });
      if (r !== null && r.windows.size > 0) c.send({ kind: 'window', count: r.windows.size, data: JSON.stringify({ type: 'windows', run: r.id, windows: [...r.windows.values()] }) });
    });
  });
  const pump = setInterval(() => {
    for (const c of hub.clients) c.pump();
  }, PUMP_MS);
  app.addHook('onClose', async () => {
    clearInterval(pump);
    for (const r of runs.list()) r.stop();
    await Promise.all(runs.list().map((r) => r.done));
    for (const c of wss.clients) c.terminate();
    wss.close();
  });
  return { app, runs, hub, scenarios };
}
