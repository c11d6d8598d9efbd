/**
 * Long reads as GBT blocks (seed 002, footnote 1: "1 packet per ten seconds
 * is 1 hr 50 mins (=6600 seconds) for 200 GBT blocks"): the time comes from
 * the model (3 SMWAN packets a block, one in ten sent again, every packet
 * through the CSP), so it grows with the days asked for and with load.
 */
import { describe, expect, it } from 'vitest';
import { runRequests, rtt } from './support.js';

const scenario = (days: number, more = '', background = '[]') => `
seed: 3
duration: 4h
estate: { hubs: 500, regions: { north: 1 }, commissionedShare: 1 }
background: ${background}
components:
  commsHub: { requests: { noResponseShare: 0, authenticationFailureShare: 0 } }
  dsp: { requests: { rejectionShare: 0, authenticationFailureShare: 0 } }
  ${more}
requests:
  secmp0053: true
  traffic:
    - { srv: "4.8.1", perHubPerDay: 0.1, days: ${days}, shape: flat }
`;

const reads = async (days: number, more = '', background = '[]') => {
  const run = await runRequests(scenario(days, more, background));
  const ok = run.audit.filter((r) => r.srv === '4.8.1' && r.responseCode === 'I0');
  const truth = new Map(run.truth.map((r) => [r.requestId, r]));
  return { run, ok, rtts: ok.map((r) => rtt(r, run.t)), truth: ok.map((r) => truth.get(r.requestId)!) };
};
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('GBT block reads', () => {
  it('take about 6600 s for 200 blocks (400 days at 96 readings a block)', async () => {
    const { rtts, truth } = await reads(400);
    expect(rtts.length).toBeGreaterThan(3);
    for (const t of truth) expect(t.gbtBlocks).toBe(200);
    // 3.3 packets a block on average: about 660 packets, 10 s apart.
    expect(mean(truth.map((t) => t.gbtPackets as number)) / 200).toBeCloseTo(3.3, 1);
    for (const ms of rtts) {
      expect(ms).toBeGreaterThan(6_200_000);
      expect(ms).toBeLessThan(7_000_000);
    }
  });

  it('grow with the days of data asked for', async () => {
    const week = await reads(7);
    const month = await reads(30);
    expect(mean(month.rtts)).toBeGreaterThan(3 * mean(week.rtts));
    // 7 days: 4 blocks, about 13 packets, about 2 minutes.
    expect(mean(week.rtts)).toBeGreaterThan(100_000);
    expect(mean(week.rtts)).toBeLessThan(160_000);
  });

  it('grow with load on the CSP', async () => {
    const quiet = await reads(30);
    // CSP North passing 2 messages a second with 8F3F alerts from every hub every few minutes.
    const busy = await reads(30, 'cspNorth: { capacityPerSecond: 2 }', '[{ code: 8F3F, perHubPerDay: 300 }]');
    expect(busy.rtts.length).toBeGreaterThan(3);
    expect(mean(busy.rtts)).toBeGreaterThan(mean(quiet.rtts) * 1.2);
  });
});
