/**
 * The service request journey end to end on small estates: every hop in
 * order, records that keep to their schemas, the SECMP0053 switch,
 * future-dated clocks, the DSP's retries (seed 002, 3.5.1), E212 timeouts,
 * excludable failures, and determinism.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { dspServiceAuditSchema, requestTruthSchema, REQUEST_TRUTH_TIME_FIELDS, DSP_AST_PATH, GROUND_TRUTH_PATH, CSP_NORTH_RNI_PATH } from '../../../src/feeds/index.js';
import { runRequests, rtt, type Rec } from './support.js';
import { defaultRequestTraffic } from '../../../src/scenario/requests.js';

const base = (requests: string, more = '') => `
seed: 5
duration: 6h
estate: { hubs: 3000, commissionedShare: 1 }
background: []
${more}
requests:
${requests}
`;


describe('the default request mix', async () => {
  const run = await runRequests(base('  {}'));

  it('answers every request it sends, once, and writes one audit record and one truth record each', () => {
    expect(run.result.requests.sent).toBeGreaterThan(5_000);
    expect(run.audit.length).toBe(run.result.requests.answered);
    expect(run.truth.length).toBe(run.audit.length + run.result.requests.lost);
    expect(new Set(run.audit.map((r) => r.requestId)).size).toBe(run.audit.length);
  });

  it('writes records that keep to their schemas', () => {
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    const a = ajv.compile(dspServiceAuditSchema);
    const t = ajv.compile(requestTruthSchema);
    for (const r of run.audit) expect(a(r) ? null : a.errors).toBeNull();
    for (const r of run.truth) expect(t(r) ? null : t.errors).toBeNull();
  });

  it('passes every hop in order, and the audit trail shows the DSP its true times', () => {
    const truth = new Map(run.truth.map((r) => [r.requestId, r]));
    for (const r of run.audit) {
      const g = truth.get(r.requestId)!;
      const times = REQUEST_TRUTH_TIME_FIELDS.filter((h) => h !== 'trueClockStartTimestamp').filter((h) => g[h] !== undefined).map((h) => run.t(g[h]));
      expect(times).toEqual([...times].sort((x, y) => x - y));
      expect(r.responseSentTimestamp).toBe(g.trueResponseSentTimestamp);
      expect(r.receivedFromUserTimestamp).toBe(g.trueDspReceivedTimestamp);
      expect(r.retries).toBe(Math.max(0, (g.attempts as number) - 1));
    }
  });

  it('sends scheduled reads (5.1) overnight from the DSP, with no request from the User', () => {
    const reads = run.audit.filter((r) => r.srv === '5.1');
    expect(reads.length).toBeGreaterThan(1000);
    for (const r of reads) {
      expect(r.timing).toBe('scheduled');
      expect(r.receivedFromUserTimestamp).toBeUndefined();
      expect(r.executionTimestamp).toBeDefined();
    }
    const early = reads.filter((r) => run.t(r.executionTimestamp) < 5 * 3_600_000).length;
    expect(early / reads.length).toBeGreaterThan(0.9);
  });

  it("makes each lone stream's request a one-step process instance of its own, and names what each request's target is", () => {
    const perProcess = new Map<unknown, number>();
    for (const r of run.audit) perProcess.set(r.processId, (perProcess.get(r.processId) ?? 0) + 1);
    const lone = new Set(defaultRequestTraffic().map((s) => s.srv));
    const process: Record<string, string> = { '5.1': 'Billing', '4.6.1': 'Billing', '2.2': 'Prepayment Top Up', '8.14.1': 'Install and Commission', '4.10': 'Distribution Networks Post I&C', '4.8.1': 'Billing' };
    const type: Record<string, string> = { '5.1': 'ESME', '8.11': 'CHF', '8.14.1': 'CHF', '8.7.2': 'GPF', '4.8.1': 'ESME' };
    let lones = 0;
    for (const r of run.audit) {
      expect(r.processId).toMatch(/^P[0-9A-F]{8}-\d{12}$/);
      if (lone.has(r.srv as string)) {
        expect([perProcess.get(r.processId), r.step, r.userAttempt]).toEqual([1, 1, 1]);
        lones++;
      }
      if (process[r.srv as string] !== undefined) expect(r.businessProcess).toBe(process[r.srv as string]);
      if (type[r.srv as string] !== undefined) expect(r.deviceType).toBe(type[r.srv as string]);
    }
    expect(lones).toBeGreaterThan(0);
    const truth = new Map(run.truth.map((r) => [r.requestId, r]));
    const fields = ['businessProcess', 'processId', 'step', 'userAttempt', 'excludable', 'exclusionReason'] as const;
    for (const r of run.audit) expect(fields.map((f) => truth.get(r.requestId)![f])).toEqual(fields.map((f) => r[f]));
  });

  it('answers DSP-only SRVs (8.1.1, 8.14.1) without the CSP', () => {
    const own = run.audit.filter((r) => r.srv === '8.1.1' || r.srv === '8.14.1' || r.srv === '6.21');
    for (const r of own) expect(r.sentToProviderTimestamp).toBeUndefined();
  });

  it('gives the same records for the same seed', async () => {
    const again = await runRequests(base('  {}'));
    expect(again.sink.lines('feeds/dsp-service-audit.jsonl')).toEqual(run.sink.lines('feeds/dsp-service-audit.jsonl'));
  });
});

describe('SECMP0053', () => {
  const traffic = (on: boolean) =>
    base(`  secmp0053: ${on}
  traffic:
    - { srv: "6.14.1", perHubPerDay: 0.5, shape: flat }
    - { srv: "4.8.1", perHubPerDay: 0.05, days: 30, shape: flat }`);

  it('moves 6.14.1 from deferred 24 h to on demand 30 s, and 4.8.1 from 30 s to 5600 s', async () => {
    const before = await runRequests(traffic(false));
    const after = await runRequests(traffic(true));
    const of = (run: typeof before, n: string) => run.audit.filter((r) => r.srv === n && r.outcome === 'success');
    for (const r of of(before, '6.14.1')) expect(r.targetResponseTimeMs).toBe(86_400_000);
    for (const r of of(after, '6.14.1')) expect(r.targetResponseTimeMs).toBe(30_000);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
    // Deferred, 6.14.1 waited minutes to hours before; on demand it takes seconds.
    expect(median(of(before, '6.14.1').map((r) => rtt(r, before.t)))).toBeGreaterThan(60_000);
    expect(median(of(after, '6.14.1').map((r) => rtt(r, after.t)))).toBeLessThan(30_000);
    // A month of profile data misses 30 s and makes 5600 s.
    const within = (run: typeof before) => of(run, '4.8.1').filter((r) => rtt(r, run.t) <= (r.targetResponseTimeMs as number)).length / of(run, '4.8.1').length;
    expect(of(before, '4.8.1').length).toBeGreaterThan(10);
    expect(within(before)).toBe(0);
    expect(within(after)).toBe(1);
  });
});

describe('prepayment top-ups (2.2)', () => {
  it('go only to premises in prepayment mode', async () => {
    const traffic = `  traffic:
    - { srv: "2.2", perHubPerDay: 1, shape: flat }
    - { srv: "1.6", perHubPerDay: 0.2, shape: flat }`;
    const none = await runRequests(base(traffic).replace('commissionedShare: 1 }', 'commissionedShare: 1, prepaymentShare: 0 }'));
    expect(none.audit.filter((r) => r.srv === '2.2')).toEqual([]);
    expect(none.audit.filter((r) => r.srv === '1.6').length).toBeGreaterThan(50);
    const half = await runRequests(base(traffic).replace('commissionedShare: 1 }', 'commissionedShare: 1, prepaymentShare: 0.5 }'));
    // 1500 prepayment premises, one top-up a day each, for 6 hours: about 375.
    const topUps = half.audit.filter((r) => r.srv === '2.2').length;
    expect(topUps).toBeGreaterThan(300);
    expect(topUps).toBeLessThan(450);
  });
});

describe('future-dated requests', () => {
  it('start the RTT clock at their execution time', async () => {
    const run = await runRequests(base(`  traffic:
    - { srv: "1.1.1", perHubPerDay: 0.5, futureDatedShare: 1, shape: flat }`));
    const fd = run.audit.filter((r) => r.timing === 'futureDated');
    expect(fd.length).toBeGreaterThan(50);
    for (const r of fd) {
      expect(run.t(r.executionTimestamp)).toBeGreaterThanOrEqual(run.t(r.receivedFromUserTimestamp));
      if (r.sentToProviderTimestamp !== undefined) expect(run.t(r.sentToProviderTimestamp)).toBeGreaterThanOrEqual(run.t(r.executionTimestamp));
      // Timed from execution, an on-time answer is within seconds though it was sent hours before.
      if (r.outcome === 'success') expect(rtt(r, run.t)).toBeLessThan(30_000);
    }
  });
});

describe('retries and timeouts (seed 002, 3.5.1)', () => {
  const silent = `components: { commsHub: { requests: { noResponseShare: 1 } } }`;

  it('retries 4.6.1 every 1840 s, then answers E201 within 3900 s', async () => {
    const run = await runRequests(base(`  traffic: [{ srv: "4.6.1", perHubPerDay: 0.1, shape: flat }]`, silent));
    const done = run.audit.filter((r) => r.responseCode === 'E201');
    expect(done.length).toBeGreaterThan(20);
    for (const r of done) {
      expect(r.retries).toBe(2);
      const span = run.t(r.lastSentToProviderTimestamp) - run.t(r.sentToProviderTimestamp);
      expect(span).toBeGreaterThanOrEqual(2 * 1_840_000);
      expect(span).toBeLessThan(2 * 1_840_000 + 1_000);
      expect(rtt(r, run.t)).toBeLessThan(3_900_000);
      expect(r.excludable).toBe(false);
    }
  });

  it('retries 4.8.2 three times 40 s apart', async () => {
    const run = await runRequests(base(`  traffic: [{ srv: "4.8.2", perHubPerDay: 0.1, shape: flat }]`, silent));
    const done = run.audit.filter((r) => r.responseCode === 'E201');
    expect(done.length).toBeGreaterThan(20);
    for (const r of done) {
      expect(r.retries).toBe(3);
      expect(run.t(r.lastSentToProviderTimestamp) - run.t(r.sentToProviderTimestamp)).toBeGreaterThanOrEqual(120_000);
    }
  });

  it('answers E212 when the CSP holds the request past the DSP timeout', async () => {
    const run = await runRequests(
      base(`  traffic: [{ srv: "1.6", perHubPerDay: 5, regions: [north], shape: flat }]`, `events: [{ type: componentOutage, component: cspNorth, at: 2h, duration: 30m }]`),
    );
    const timedOut = run.audit.filter((r) => r.responseCode === 'E212');
    expect(timedOut.length).toBeGreaterThan(20);
    for (const r of timedOut) {
      // Sent to CSP North while it was down; answered at the 5-minute timeout, not when the CSP came back.
      expect(run.t(r.sentToProviderTimestamp)).toBeGreaterThanOrEqual(2 * 3_600_000 - 5 * 60_000);
      expect(run.t(r.sentToProviderTimestamp)).toBeLessThan(2.5 * 3_600_000);
      expect(r.responseReceivedTimestamp).toBeUndefined();
      expect(run.t(r.responseSentTimestamp) - run.t(r.sentToProviderTimestamp)).toBeLessThan(300_000 + 1_000);
    }
    expect(run.audit.filter((r) => r.responseCode === 'E212' && run.t(r.sentToProviderTimestamp) < 110 * 60_000)).toEqual([]);
  });

  it('marks User errors and authentication failures excludable', async () => {
    const run = await runRequests(base(`  traffic: [{ srv: "1.6", perHubPerDay: 0.2, shape: flat }]`, `components: { dsp: { requests: { rejectionShare: 1 } } }`));
    expect(run.audit.length).toBeGreaterThan(100);
    for (const r of run.audit) {
      expect(r).toMatchObject({ responseCode: 'E3', outcome: 'failure', excludable: true, exclusionReason: 'validFailure' });
      expect(r.sentToProviderTimestamp).toBeUndefined();
    }
    // The schema holds exclusionReason to excludable, both ways.
    const valid = new Ajv2020({ strict: false }).compile(dspServiceAuditSchema);
    const { exclusionReason: _, ...without } = run.audit[0];
    expect(valid(run.audit[0])).toBe(true);
    expect(valid(without)).toBe(false);
    expect(valid({ ...without, excludable: false, exclusionReason: 'validFailure' })).toBe(false);
  });
});

describe('requests and alerts share the components', () => {
  it('leave the alert feeds as they were when capacities are unlimited (own random streams)', async () => {
    const unlimited = `background: [{ code: 8F3F, perHubPerDay: 1 }]
components: { cspNorth: { capacityPerSecond: 0 }, cspCentral: { capacityPerSecond: 0 }, cspSouth: { capacityPerSecond: 0 }, s1sp: { capacityPerSecond: 0 } }
serviceUsers:
${['UKPN:[10,12,19]', 'NGED:[11,14,21,22]', 'SPEN:[13,18]', 'NPG:[15,23]', 'ENWL:[16]', 'SSEN:[17,20]'].map((d) => `  - { id: DNO-${d.split(':')[0]}, role: networkOperator, areas: ${d.split(':')[1]}, capacityPerSecond: 0 }`).join('\n')}
  - { id: SUPPLIER-A, role: supplier, capacityPerSecond: 0 }`;
    const without = await runRequests(`seed: 5\nduration: 2h\nestate: { hubs: 2000 }\n${unlimited}`);
    // On-demand requests only: a failed future-dated or scheduled one brings an N12/N13, which is alert traffic.
    const onDemand = ['1.6', '4.8.1', '6.5', '8.11'].map((n) => `    - { srv: "${n}", perHubPerDay: 0.5, shape: flat }`).join('\n');
    const withRequests = await runRequests(`seed: 5\nduration: 2h\nestate: { hubs: 2000 }\n${unlimited}\nrequests:\n  traffic:\n${onDemand}`);
    expect(withRequests.audit.length).toBeGreaterThan(100);
    expect(withRequests.truth.some((g) => g.providerRecordId !== undefined && g.region === 'North')).toBe(true);
    // Record ids carry the run's namespace (a hash of the scenario, which differs); all else is equal,
    // but for CSP North's records of the Service Responses (responseId S...).
    const bare = (lines: readonly string[]) => lines.filter((l) => !l.startsWith('{"responseId":"S')).map((l) => l.replace(/"([AMR])[0-9A-F]{8}-/g, '"$1-'));
    for (const p of [DSP_AST_PATH, GROUND_TRUTH_PATH, CSP_NORTH_RNI_PATH]) expect(bare(withRequests.sink.lines(p))).toEqual(bare(without.sink.lines(p)));
  });
});

export type { Rec };
