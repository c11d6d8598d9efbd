/**
 * The bundled storm with the network operator's gateway down (29m to 49m):
 * deliveries fail while it is down, the DSP retries within 300 s, alerts
 * whose every attempt fell in the outage go to the failed queue.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../../../src/scenario/load.js';
import { runTwin, type RunResult } from '../../../src/twin.js';
import { parseTimestamp } from '../../../src/feeds/index.js';

type Rec = Record<string, unknown>;
const readJsonl = (file: string): Rec[] => readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Rec);

let dir: string;
let result: RunResult;
let epoch: number;
const DOWN_FROM = 29 * 60_000;
const DOWN_TO = 49 * 60_000;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'dcc-twin-gw-'));
  const scenario = loadScenario('scenarios/storm-north-gateway-down.yaml');
  scenario.output.duisBodies = false;
  epoch = scenario.epoch;
  result = await runTwin(scenario, { outDir: dir });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rel = (ts: unknown) => parseTimestamp(ts as string) - epoch;

describe('a storm with the DNO gateway down', () => {
  it('refuses deliveries only to DNO-SSEN, only while it is down', () => {
    const down = readJsonl(path.join(dir, 'feeds/su-deliveries.jsonl')).filter((d) => d.outcome === 'gatewayDown');
    expect(down.length).toBeGreaterThan(100);
    for (const d of down) {
      expect(d.userId).toBe('DNO-SSEN');
      expect(rel(d.sentTimestamp)).toBeGreaterThanOrEqual(DOWN_FROM);
      expect(rel(d.sentTimestamp)).toBeLessThan(DOWN_TO);
      expect(d.receivedTimestamp).toBeUndefined();
    }
  });

  it('retries a refused alert within 300 s of its first attempt', () => {
    const deliveries = readJsonl(path.join(dir, 'feeds/su-deliveries.jsonl'));
    const byAlert = new Map<unknown, Rec[]>();
    for (const d of deliveries) byAlert.set(d.alertId, [...(byAlert.get(d.alertId) ?? []), d]);
    let checked = 0;
    for (const attempts of byAlert.values()) {
      if (attempts[0].outcome !== 'gatewayDown') continue;
      expect(attempts.length).toBeGreaterThanOrEqual(2);
      expect(attempts[1].attempt).toBe(2);
      expect(rel(attempts[1].sentTimestamp) - rel(attempts[0].sentTimestamp)).toBeLessThanOrEqual(300_000);
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('moves alerts whose every attempt met the outage to the failed queue, and delivers the rest', () => {
    const ast = readJsonl(path.join(dir, 'feeds/dsp-ast.jsonl')).filter((r) => r.targetUser === 'DNO-SSEN');
    const failed = ast.filter((r) => r.outcome === 'failed');
    expect(failed.length).toBe(result.alerts.failed);
    expect(failed.length).toBeGreaterThan(100);
    for (const r of failed) {
      expect(r.serviceUserHandshakeTimestamp).toBeUndefined();
      expect(r.deliveryAttempts).toBe(3); // first attempt and the two retries of the default retryDelays
      // retries at +60 s and +180 s after the previous: the last attempt is 240 s after the first
      expect(rel(r.passedToServiceUserTimestamp) + 240_000).toBeLessThan(DOWN_TO);
    }
    const afterwards = ast.filter((r) => rel(r.passedToServiceUserTimestamp) >= DOWN_TO);
    expect(afterwards.length).toBeGreaterThan(100);
    expect(afterwards.every((r) => r.outcome === 'delivered')).toBe(true);
  });
});
