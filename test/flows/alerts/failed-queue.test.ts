/**
 * The DSP's failed queue holds an undelivered alert for
 * dsp.failedQueueRetention (DOMAIN.md "DUIS": 2 days), then discards it: the
 * run counts the alerts discarded within it, and the ground truth gives each
 * failed alert the time the queue discards it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTimestamp } from '../../../src/feeds/index.js';
import { runYaml, type Run } from '../../support/run.js';

const scenario = (retention: string) => `
seed: 3
duration: 3h
estate: { hubs: 3000, regions: { central: 1 } }
components: { dsp: { rejectionShare: 0, handshakeTimeout: 30s, failedQueueRetention: ${retention} } }
background:
  - { code: 8F3F, perHubPerDay: 2 }
events:
  - { type: serviceUserOutage, user: SUPPLIER-A, at: 0s, duration: 3h }
`;

let short: Run;
let long: Run;
beforeAll(async () => {
  short = await runYaml(scenario('2h'));
  long = await runYaml(scenario('2d'));
});
afterAll(() => {
  short.remove();
  long.remove();
});

/** When each failed alert entered the failed queue: its last attempt's handshake timeout. */
function entries(run: Run): Map<string, number> {
  const last = new Map<string, number>();
  for (const d of run.jsonl('feeds/su-deliveries.jsonl')) last.set(d.alertId, parseTimestamp(d.sentTimestamp) + 30_000);
  return last;
}

describe('the failed queue', () => {
  it('discards each alert after the retention, counted when it happens within the run', () => {
    const failed = short.jsonl('ground-truth.jsonl').filter((g) => g.outcome === 'failed');
    expect(failed.length).toBeGreaterThan(100);
    const entered = entries(short);
    const end = short.result.scenario.epoch + short.result.simEnd;
    let within = 0;
    for (const g of failed) {
      const expiry = parseTimestamp(g.trueFailedQueueExpiryTimestamp);
      expect(expiry - entered.get(g.alertId)!).toBe(2 * 3_600_000);
      if (expiry <= end) within++;
    }
    expect(short.result.alerts.failed).toBe(failed.length);
    expect(short.result.alerts.expired).toBe(within);
    // Alerts that failed less than 2 hours before the end are still held then.
    expect(within).toBeGreaterThan(0);
    expect(within).toBeLessThan(failed.length);
  });

  it('holds them 2 days by default: none discarded in a 3-hour run, each with its expiry 2 days on', () => {
    const failed = long.jsonl('ground-truth.jsonl').filter((g) => g.outcome === 'failed');
    expect(failed.length).toBe(long.result.alerts.failed);
    expect(long.result.alerts.expired).toBe(0);
    const entered = entries(long);
    for (const g of failed) expect(parseTimestamp(g.trueFailedQueueExpiryTimestamp) - entered.get(g.alertId)!).toBe(2 * 86_400_000);
    // Delivered alerts never see the failed queue.
    expect(long.jsonl('ground-truth.jsonl').filter((g) => g.outcome === 'delivered').every((g) => g.trueFailedQueueExpiryTimestamp === undefined)).toBe(true);
  });
});
