/**
 * The DSP's per-User throttle paces every DUIS message it sends a User,
 * alerts and Service Responses alike (DOMAIN.md: the DSP throttles during
 * storms): a surge of alerts to the Users holds their responses, and the
 * audit trail shows the hold between the response's receipt and its send.
 */
import { describe, expect, it } from 'vitest';
import { runRequests, type Rec } from './support.js';

const day = (surge: boolean) => `
seed: 3
duration: 2h
estate: { hubs: 4000, commissionedShare: 1 }
background: []
components: { dsp: { throttlePerUserPerSecond: 3 } }
${surge ? 'events:\n  - { type: alertSurge, code: 8F3F, at: 30m, duration: 30m, perHubPerDay: 500 }' : ''}
requests:
  traffic: [{ srv: "1.6", perHubPerDay: 2, shape: flat }]
`;

/** The DSP's hold of a response: from its receipt from the CSP to its send to the User, ms. */
const hold = (r: Rec, t: (ts: unknown) => number) => t(r.responseSentTimestamp) - t(r.responseReceivedTimestamp);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe("the DSP's per-User throttle", async () => {
  const calm = await runRequests(day(false));
  const storm = await runRequests(day(true));
  /** Requests whose responses came back while the surge was on (30 to 60 minutes). */
  const during = (run: typeof calm) =>
    run.audit.filter((r) => r.responseCode === 'I0' && run.t(r.responseReceivedTimestamp) > 35 * 60_000 && run.t(r.responseReceivedTimestamp) < 60 * 60_000);

  it('holds Service Responses behind a surge of alerts to the same Users, as the audit trail shows', () => {
    const calmHolds = during(calm).map((r) => hold(r, calm.t));
    const stormHolds = during(storm).map((r) => hold(r, storm.t));
    expect(calmHolds.length).toBeGreaterThan(50);
    expect(stormHolds.length).toBeGreaterThan(50);
    expect(Math.max(...calmHolds)).toBeLessThan(1_000);
    expect(mean(stormHolds)).toBeGreaterThan(30_000);
    expect(storm.result.requests.throttled).toBeGreaterThan(stormHolds.length / 2);
    // Without the surge only the rare response that follows another within a third of a second waits.
    expect(calm.result.requests.throttled).toBeLessThan(calm.result.requests.answered / 100);
  });

  it('paces the responses it holds at the throttle rate', () => {
    // Each User's held responses and alerts leave at most 3 a second: its responses alone no faster.
    const byUser = new Map<unknown, number[]>();
    for (const r of during(storm)) {
      if (!byUser.has(r.serviceUser)) byUser.set(r.serviceUser, []);
      byUser.get(r.serviceUser)!.push(storm.t(r.responseSentTimestamp));
    }
    for (const sent of byUser.values()) {
      sent.sort((a, b) => a - b);
      for (let k = 1; k < sent.length; k++) expect(sent[k] - sent[k - 1]).toBeGreaterThanOrEqual(333 - 1);
    }
  });
});
