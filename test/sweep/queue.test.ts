/**
 * A sweep through Redis with BullMQ, against a real redis-server started on
 * a free loopback port with a temporary directory: two `dcc-twin worker`s
 * take the runs, one is killed (SIGKILL) in the middle of a job, the other
 * finishes that job once its lock expires (short lock and stalled interval
 * here), and every run's metrics.json is the one the local workers give.
 * Skipped, saying why, where redis-server is not installed.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { dcc, metricsOf, one, ONE_RUNS, start, SWEEP_TEST_TIMEOUT, until } from './support.js';

const hasRedis = spawnSync('redis-server', ['--version']).status === 0;
if (!hasRedis) console.warn('queue.test.ts skipped: redis-server is not installed (apt-get install redis-server)');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dcc-twin-queue-test-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  fs.rmSync(tmp, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

describe.skipIf(!hasRedis)('dcc-twin sweep --queue (BullMQ on redis-server)', () => {
  it('runs every job on two workers, one killed mid-job, with the metrics of a local sweep', { timeout: SWEEP_TEST_TIMEOUT }, async () => {
    const port = await freePort();
    const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', tmp], { stdio: 'ignore' });
    children.push(redis);
    const url = `redis://127.0.0.1:${port}`;
    await until(() => spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).stdout?.trim() === 'PONG', 10_000);

    const workerArgs = ['worker', '--queue', url, '--workers', '1', '--lock-duration', '2s', '--stalled-interval', '1s'];
    const w1 = start(workerArgs);
    const w2 = start(workerArgs);
    children.push(w1.child, w2.child);
    await until(() => w1.output().includes('waiting for jobs') && w2.output().includes('waiting for jobs'));

    const queued = start(['sweep', one, '--out', path.join(tmp, 'queued'), '--queue', url]);
    children.push(queued.child);
    // The first worker to take a job is killed with it in hand.
    let victim: ReturnType<typeof start> | null = null;
    await until(() => (victim = [w1, w2].find((w) => /taking p\d+-r\d+/.test(w.output())) ?? null) !== null);
    const taken = /taking (p\d+-r\d+)/.exec(victim!.output())![1];
    victim!.child.kill('SIGKILL');
    const survivor = victim === w1 ? w2 : w1;

    // Meanwhile the same sweep on local workers, to compare with.
    const local = dcc(['sweep', one, '--out', path.join(tmp, 'local'), '--workers', '1']);
    expect(local.status).toBe(0);

    expect(await queued.exit).toBe(0);
    const out = queued.output();
    expect(out).toContain(`retried       ${taken}: the worker running it stopped (stalled job)`);
    expect(survivor.output()).toMatch(new RegExp(`taking ${taken} \\(sweep [0-9a-f]+, attempt 2\\)`));
    const record = JSON.parse(fs.readFileSync(path.join(tmp, 'queued/runs', taken, 'result.json'), 'utf8'));
    expect(record).toMatchObject({ status: 'ok', attempts: 2, worker: expect.stringMatching(new RegExp(`:${survivor.child.pid}$`)) });

    const a = metricsOf(path.join(tmp, 'queued'));
    const b = metricsOf(path.join(tmp, 'local'));
    for (const r of ONE_RUNS) {
      expect(a[r].length).toBeGreaterThan(1000);
      expect(a[r]).toBe(b[r]);
    }
    // Results travel through Redis and the jobs are removed once committed.
    expect(spawnSync('redis-cli', ['-p', String(port), 'keys', 'bull:dcc-twin-sweep:*-p*'], { encoding: 'utf8' }).stdout.trim()).toBe('');
    survivor.child.kill('SIGTERM');
    expect(await survivor.exit).toBe(0);
  });
});
