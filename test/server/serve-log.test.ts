/**
 * `dcc-twin serve <log>`: a storm recorded with `run --record`, served from
 * its event log through the live server, ends with the same live figures
 * (A1 per region, per-code counts, hop medians and p99) as the same storm
 * served from its scenario, read through the REST routes and the stream.
 * Pause holds a replay and stop ends it; a path the server was not given is
 * refused; a cut log or a file that is no log is one line, exit 2. The
 * logs the server was given are listed from their headers, and `serve`
 * takes several beside a scenario.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { buildServer } from '../../src/server/app.js';
import { planServe } from '../../src/cli/serve.js';
import type { MetricsSnapshot } from '../../src/server/live-metrics.js';
import { request, serving, until } from '../support/server.js';
import { SMALL_SCENARIO } from '../support/record.js';

const CLI = path.resolve('dist/src/cli/main.js');
let tmp: string;
let log: string;
let base: string;
let server: Awaited<ReturnType<typeof buildServer>>;

const api = (method: string, url: string, body?: unknown) => request(base, method, url, body);

const state = async (id: number) => (await api('GET', `/api/runs/${id}`)).json;
const ended = (id: number) => until(async () => ['finished', 'stopped', 'failed'].includes((await state(id)).state), `run ${id} to end`);
const figures = (m: MetricsSnapshot) => ({ a1: m.a1, indicator: m.indicator, hops: m.hops });

describe.skipIf(!fs.existsSync(CLI))('serve <log>', () => {
  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dcc-twin-serve-log-'));
    const yaml = path.join(tmp, 'small.yaml');
    fs.writeFileSync(yaml, SMALL_SCENARIO);
    execFileSync(process.execPath, [CLI, 'run', yaml, '--out', path.join(tmp, 'run'), '--no-report', '--record'], { encoding: 'utf8' });
    log = path.join(tmp, 'run', 'run.twinlog');
    server = await buildServer({ extraScenarios: [yaml], logs: [log], report: false });
    base = await server.app.listen({ port: 0, host: '127.0.0.1' });
  }, 120_000);

  afterAll(async () => {
    await server?.app.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('ends with the figures of the same storm run from its scenario', async () => {
    const twin = await api('POST', '/api/runs', { scenario: 'record-small' });
    expect(twin.status).toBe(201);
    await ended(twin.json.id);
    const fromTwin = (await api('GET', `/api/runs/${twin.json.id}/metrics`)).json;
    expect(fromTwin.run.state).toBe('finished');

    const ws = new WebSocket(base.replace('http', 'ws') + '/api/stream?records=none');
    const messages: any[] = [];
    ws.on('message', (d) => messages.push(JSON.parse(d.toString())));
    await new Promise((r) => ws.once('open', r));
    const replay = await api('POST', '/api/runs', { log });
    expect(replay.status).toBe(201);
    expect(replay.json).toMatchObject({ scenario: 'record-small', hubs: 2000, simEnd: 3 * 3600_000 });
    const id = replay.json.id;
    await ended(id);
    await until(async () => messages.some((m) => m.type === 'metrics' && m.run === id && m.metrics.final), 'the final snapshot on the stream');
    ws.close();
    const fromLog = (await api('GET', `/api/runs/${id}/metrics`)).json;
    expect(fromLog.run.state).toBe('finished');

    const a: MetricsSnapshot = fromTwin.metrics;
    const b: MetricsSnapshot = fromLog.metrics;
    expect(a.a1.length).toBeGreaterThan(3);
    expect(a.indicator.length).toBeGreaterThan(0);
    expect(figures(b)).toEqual(figures(a));
    const streamed = messages.filter((m) => m.type === 'metrics' && m.run === id).at(-1);
    expect(figures(streamed.metrics)).toEqual(figures(a));
    // The replay was sliced: progress along the way, then the stream's states.
    const progress = messages.filter((m) => m.type === 'progress' && m.run === id);
    expect(progress.length).toBeGreaterThan(3);
    expect(progress.at(-1).simNow).toBeGreaterThanOrEqual(3 * 3600_000);
    expect(messages.filter((m) => m.type === 'state' && m.run === id).map((m) => m.state)).toEqual(['running', 'finished']);
    // Its 15-minute windows are the twin's too.
    expect((await api('GET', `/api/runs/${id}/windows`)).json).toEqual((await api('GET', `/api/runs/${twin.json.id}/windows`)).json);
  }, 120_000);

  it('pauses, resumes and stops a paced replay', async () => {
    // Three simulated hours at 1800x: six seconds unless stopped.
    const r = await api('POST', '/api/runs', { log, speed: 1800 });
    expect(r.status).toBe(201);
    const id = r.json.id;
    await until(async () => (await state(id)).simNow > 0, 'the replay to start');
    expect((await api('POST', `/api/runs/${id}/pause`)).json.state).toBe('paused');
    const held = (await state(id)).simNow;
    await new Promise((res) => setTimeout(res, 500));
    expect((await state(id)).simNow).toBe(held);
    expect((await api('POST', `/api/runs/${id}/resume`)).json.state).toBe('running');
    await until(async () => (await state(id)).simNow > held, 'the replay to go on');
    await api('POST', `/api/runs/${id}/stop`);
    await ended(id);
    const last = await state(id);
    expect(last.state).toBe('stopped');
    expect(last.simNow).toBeLessThan(3 * 3600_000);
  }, 60_000);

  it('refuses a log the server was not started with, and overrides a log cannot have', async () => {
    const other = await api('POST', '/api/runs', { log: '/etc/passwd' });
    expect(other.status).toBe(404);
    expect(other.json.error).toBe('log: /etc/passwd is not a log this server was started with');
    const hubs = await api('POST', '/api/runs', { log, hubs: 10 });
    expect(hubs.status).toBe(400);
    expect(hubs.json.error).toMatch(/^hubs: /);
    expect((await api('POST', '/api/runs', { scenario: 'record-small', log })).status).toBe(400);
  });

  it('lists the logs it was started with, from their headers, and no other file', async () => {
    const list = await api('GET', '/api/logs');
    expect(list.status).toBe(200);
    expect(list.json).toEqual([{ path: log, bytes: fs.statSync(log).size, scenario: 'record-small', seed: 7, hubs: 2000, durationMs: 3 * 3600_000 }]);

    // A good log the server was not given is refused as any other path; a given log gone since is listed as unreadable.
    const copy = path.join(tmp, 'copy.twinlog');
    fs.copyFileSync(log, copy);
    expect((await api('POST', '/api/runs', { log: copy })).status).toBe(404);
    const gone = path.join(tmp, 'gone.twinlog');
    const other = await buildServer({ logs: [copy, gone], report: false });
    try {
      const listed = (await other.app.inject({ method: 'GET', url: '/api/logs' })).json();
      expect(listed.map((l: { path: string }) => l.path)).toEqual([copy, gone]);
      expect(listed[0]).toMatchObject({ scenario: 'record-small', seed: 7 });
      expect(listed[1]).toEqual({ path: gone, bytes: 0, error: expect.stringMatching(/gone\.twinlog: .*no such file/) });
    } finally {
      await other.app.close();
    }
  });

  it("takes the request's speed over --speed, max included", async () => {
    // Paced at one simulated second per second by default: three hours, unless the request says max.
    const slow = await buildServer({ logs: [log], speed: 1, report: false });
    try {
      const post = (body: object) => slow.app.inject({ method: 'POST', url: '/api/runs', payload: body });
      expect((await post({ log, speed: 'fast' })).statusCode).toBe(400);
      const r = await post({ log, speed: 'max' });
      expect(r.statusCode).toBe(201);
      await slow.runs.get(r.json().id)!.done;
      const run = slow.runs.get(r.json().id)!.describe();
      expect(run).toMatchObject({ state: 'finished', request: { log, speed: 'max' } });
      expect(run.simNow).toBeGreaterThanOrEqual(3 * 3600_000);
    } finally {
      await slow.app.close();
    }
  }, 60_000);

  it('serve takes several logs: the first is replayed and all are listed; beside a scenario, the scenario runs', async () => {
    const copy = path.join(tmp, 'second.twinlog');
    fs.copyFileSync(log, copy);
    const yaml = path.join(tmp, 'small.yaml');
    expect(await planServe([log, copy, log], 'max')).toEqual({ scenarios: [], logs: [{ path: log, given: log }, { path: copy, given: copy }], start: { log } });
    expect(await planServe([copy, yaml], '60')).toEqual({ scenarios: [yaml], logs: [{ path: copy, given: copy }], start: { scenario: 'record-small' } });
    await expect(planServe([yaml], '60')).rejects.toThrow(/^--speed: paces a recorded log; .*small\.yaml is a scenario/);

    const served = await serving(CLI, [log, copy], {
      lines: 3,
      meanwhile: async (base) => {
        const listed = (await request(base, 'GET', '/api/logs')).json as { path: string }[];
        expect(listed.map((l) => l.path)).toEqual([log, copy]);
        expect((await request(base, 'GET', '/api/runs')).json.map((r: { request: object }) => r.request)).toEqual([{ log }]);
      },
    });
    expect(served.stdout).toContain(`run 1: record-small, replayed from ${log} at full speed\n`);
    expect(served.stdout).toContain(`recorded runs on the dashboard: ${log}, ${copy}\n`);
    expect(served.code).toBe(0);
  }, 60_000);

  it('names a cut log, or a file that is no log, in one line, exit 2', () => {
    const cut = path.join(tmp, 'cut.twinlog');
    const bytes = fs.readFileSync(log);
    fs.writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const r = spawnSync(process.execPath, [CLI, 'serve', '--port', '0', cut], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^error: .*cut\.twinlog: byte \d+: /);

    const junk = path.join(tmp, 'junk.twinlog');
    fs.writeFileSync(junk, 'not a log\n');
    const j = spawnSync(process.execPath, [CLI, 'serve', '--port', '0', junk], { encoding: 'utf8' });
    expect(j.status).toBe(2);
    expect(j.stderr.trim().split('\n')).toHaveLength(1);
    expect(j.stderr).toMatch(/^error: .*junk\.twinlog: /);
  });
});
