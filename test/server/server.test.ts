/**
 * The live server end to end, in this process: a small storm started through
 * the REST routes, watched on the WebSocket stream, paused, resumed and
 * stopped; its final live figures compared with `dcc-twin report` on the
 * run directory the server wrote (A1, per-code counts, hop median and p99:
 * exactly); and a client that stops reading, whose buffer stays bounded and
 * who is told what was dropped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { buildServer } from '../../src/server/app.js';
import type { MetricsSnapshot } from '../../src/server/live-metrics.js';
import { request, until } from '../support/server.js';

// Every region, SMETS1 included (its T1 joined from the audit trail), and enough
// alerts for the DSP throttle to hold some.
const STORM = `
name: live-test-storm
seed: 23
duration: 1h
estate: { hubs: 30000 }
output: { duisBodies: false }
events:
  - { type: powerOutage, at: 10m, regions: [north, central, south, smets1], share: 0.1, duration: 20m, restorationSpread: 2m }
`;

const CLI = path.resolve('dist/src/cli/main.js');
let tmp: string;
let base: string;
let server: Awaited<ReturnType<typeof buildServer>>;

const api = (method: string, url: string, body?: unknown) => request(base, method, url, body);

const finished = (id: number) => until(async () => ['finished', 'stopped', 'failed'].includes((await api('GET', `/api/runs/${id}`)).json.state), `run ${id} to end`);

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dcc-twin-serve-'));
  const file = path.join(tmp, 'storm.yaml');
  fs.writeFileSync(file, STORM);
  server = await buildServer({ extraScenarios: [file], outRoot: path.join(tmp, 'runs'), report: false, streamLimits: { highWater: 16 * 1024, maxQueue: 64 * 1024 } });
  base = await server.app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await server?.app.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('REST routes', () => {
  it('list the bundled scenarios and the one given', async () => {
    const { status, json } = await api('GET', '/api/scenarios');
    expect(status).toBe(200);
    const names = json.map((s: { name: string }) => s.name);
    expect(names).toEqual(expect.arrayContaining(['storm-north-area', 'storm-1m', 'live-test-storm']));
  });

  it('refuse a start the schema does not allow, and an unknown scenario or run', async () => {
    expect((await api('POST', '/api/runs', { scenario: 'live-test-storm', hubs: -5 })).status).toBe(400);
    expect((await api('POST', '/api/runs', { scenario: 'live-test-storm', colour: 'red' })).status).toBe(400);
    expect((await api('POST', '/api/runs', { scenario: 'no-such' })).status).toBe(404);
    expect((await api('GET', '/api/runs/999')).status).toBe(404);
    expect((await api('POST', '/api/runs/999/pause')).status).toBe(404);
  });
});

describe('a storm through the server', () => {
  it('streams progress, windows and metrics, and settles on the batch report figures', async () => {
    const ws = new WebSocket(base.replace('http', 'ws') + '/api/stream?records=dsp-ast.jsonl');
    const messages: any[] = [];
    ws.on('message', (d) => messages.push(JSON.parse(String(d))));
    await new Promise((r) => ws.once('open', r));

    const start = await api('POST', '/api/runs', { scenario: 'live-test-storm', throttlePerUserPerSecond: 5 });
    expect(start.status).toBe(201);
    const id = start.json.id;
    expect((await api('POST', '/api/runs', { scenario: 'live-test-storm' })).status).toBe(409);
    await finished(id);
    expect((await api('GET', `/api/runs/${id}`)).json.state).toBe('finished');
    await until(async () => messages.some((m) => m.type === 'metrics' && m.metrics.final), 'the final metrics on the stream');
    ws.close();

    const live: MetricsSnapshot = (await api('GET', `/api/runs/${id}/metrics`)).json.metrics;
    expect(live.final).toBe(true);
    expect(messages.filter((m) => m.type === 'progress').length).toBeGreaterThan(1);
    expect(messages.some((m) => m.type === 'metrics' && !m.metrics.final && m.metrics.approximate)).toBe(true);
    // Only the feed asked for; every record of it received or, this server's buffers being
    // small, counted as dropped.
    const recs = messages.filter((m) => m.type === 'records');
    expect(new Set(recs.map((m) => m.feed))).toEqual(new Set(['feeds/dsp-ast.jsonl']));
    const runDir = (await api('GET', `/api/runs/${id}`)).json.runDir;
    const astLines = fs.readFileSync(path.join(runDir, 'feeds/dsp-ast.jsonl'), 'utf8').trim().split('\n');
    const dropped = messages.filter((m) => m.type === 'dropped').reduce((n, m) => n + m.records, 0);
    expect(recs.reduce((n, m) => n + m.records.length, 0) + dropped).toBe(astLines.length);
    expect(recs.length).toBeGreaterThan(0);
    // Windows: every alert counted once, in the window of its DSP receipt.
    const windows = (await api('GET', `/api/runs/${id}/windows`)).json;
    const inWindows = windows.reduce((n: number, w: { alerts: number }) => n + w.alerts, 0);
    expect(inWindows).toBe(astLines.length);
    const perMinute = windows.reduce((n: number, w: any) => n + Object.values(w.perMinute as Record<string, number[]>).flat().reduce((a, b) => a + b, 0), 0);
    expect(perMinute).toBe(astLines.length);

    execFileSync(process.execPath, [CLI, 'report', runDir], { stdio: 'pipe' });
    const batch = JSON.parse(fs.readFileSync(path.join(runDir, 'metrics.json'), 'utf8')).metrics;
    const regions = batch.a1_measure.rows.map((r: any) => r.key.region);
    expect(regions).toEqual(live.a1.map((r) => r.region));
    expect(regions).toContain('SMETS1');
    for (const r of batch.a1_measure.rows) {
      const l = live.a1.find((x) => x.region === r.key.region)!;
      expect({ ...l, pctWithinTarget: Math.round(l.pctWithinTarget! * 1000) / 1000 }).toEqual({ region: r.key.region, ...r.feed });
    }
    expect(batch.a1_measure.rows.find((r: any) => r.key.region === 'All').feed.throttled).toBeGreaterThan(0);
    expect(live.indicator.map((c) => c.alertCode).sort()).toEqual(batch.a1_indicator.rows.map((r: any) => r.key.alertCode).sort());
    for (const r of batch.a1_indicator.rows) {
      const l = live.indicator.find((x) => x.alertCode === r.key.alertCode)!;
      expect([l.alerts, l.missed, l.late, l.failed]).toEqual([r.feed.alerts, r.feed.missed, r.feed.late, r.feed.failed]);
    }
    const hopRows = batch.hop_latency_daily.rows.filter((r: any) => r.key.alertCode === 'All' && r.feed !== null);
    expect(hopRows.length).toBeGreaterThan(10);
    expect(live.hopsDaily!.length).toBe(hopRows.length);
    for (const r of hopRows) {
      const l = live.hopsDaily!.find((x) => x.periodStart === r.key.periodStart && x.region === r.key.region && x.hop === r.key.hop)!;
      expect([l.alerts, l.medianMs, l.p99Ms]).toEqual([r.feed.alerts, r.feed.medianMs, r.feed.p99Ms]);
    }
  });

  it('pauses (no slice runs), resumes and stops', async () => {
    // Large enough to be still running after a few requests; stopped long before its end.
    const id = (await api('POST', '/api/runs', { scenario: 'live-test-storm', hubs: 200000 })).json.id;
    await until(async () => (await api('GET', `/api/runs/${id}`)).json.simNow > 0, 'the run to start');
    expect((await api('POST', `/api/runs/${id}/pause`)).json.state).toBe('paused');
    const at = (await api('GET', `/api/runs/${id}`)).json.simNow;
    await new Promise((r) => setTimeout(r, 300));
    expect((await api('GET', `/api/runs/${id}`)).json.simNow).toBe(at);
    expect((await api('POST', `/api/runs/${id}/resume`)).json.state).toBe('running');
    await until(async () => (await api('GET', `/api/runs/${id}`)).json.simNow > at, 'the run to move on');
    expect((await api('POST', `/api/runs/${id}/pause`)).json.state).toBe('paused');
    const stoppedAt = (await api('GET', `/api/runs/${id}`)).json.simNow;
    // Stopped while paused: no slice runs after the stop.
    expect((await api('POST', `/api/runs/${id}/stop`)).status).toBe(200);
    await finished(id);
    const after = (await api('GET', `/api/runs/${id}`)).json;
    expect(after.state).toBe('stopped');
    expect(after.simNow).toBe(stoppedAt);
    // A stopped run leaves no run directory behind.
    expect(fs.existsSync(after.runDir)).toBe(false);
    // Its figures are final for what ran.
    expect((await api('GET', `/api/runs/${id}/metrics`)).json.metrics.final).toBe(true);
  });
});

describe('a client that stops reading', () => {
  it('has a bounded buffer on the server and is told how many records were dropped', async () => {
    const ws = new WebSocket(base.replace('http', 'ws') + '/api/stream?records=all');
    await new Promise((r) => ws.once('open', r));
    const received: any[] = [];
    ws.on('message', (d) => received.push(JSON.parse(String(d))));
    const socket = (ws as unknown as { _socket: import('node:net').Socket })._socket;
    socket.pause();
    const channel = [...server.hub.clients].at(-1)!;
    let largest = 0;
    const watch = setInterval(() => (largest = Math.max(largest, channel.queuedBytesNow)), 5);
    const id = (await api('POST', '/api/runs', { scenario: 'live-test-storm' })).json.id;
    await finished(id);
    clearInterval(watch);
    // The queue never held more than its bound plus the one message being added.
    expect(largest).toBeLessThanOrEqual(64 * 1024 + 256 * 1024);
    expect(channel.dropped.records).toBeGreaterThan(0);
    socket.resume();
    await until(async () => received.some((m) => m.type === 'metrics' && m.metrics.final), 'the final metrics after resuming');
    const told = received.filter((m) => m.type === 'dropped').reduce((n, m) => n + m.records, 0);
    expect(told).toBe(channel.dropped.records);
    const got = received.filter((m) => m.type === 'records').reduce((n, m) => n + (m.records ?? m.lines).length, 0);
    expect(got).toBe(channel.recordsSent);
    ws.close();
  });
});
