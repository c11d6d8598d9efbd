/**
 * Business processes as orchestrations (src/flows/requests/processes.ts) on
 * small estates: an install's SRVs in seed 004 Table 1's order under one
 * processId, each step sent after the previous one's success; top-ups
 * resent until they succeed, each resend a new userAttempt of the same step;
 * Users that do not wait, and the failures it causes marked notWaited; the
 * default processes' volumes against the default mix; `traffic` alone still
 * meaning only its streams.
 */
import { describe, expect, it } from 'vitest';
import { defaultMix } from '../../../src/scenario/requests.js';
import { defaultProcesses, DEFAULT_PROCESS_OPTIONS } from '../../../src/scenario/processes.js';
import { runRequests, type Rec } from './support.js';
import { buildWorld } from '../../../src/world.js';
import { DEVICE_TYPES } from '../../../src/estate/estate.js';
import { indexOfEui } from '../../../src/estate/eui.js';
import { CSP_NORTH_RNI_PATH } from '../../../src/feeds/index.js';

const base = (requests: string, more = '', estate = '{ hubs: 3000, commissionedShare: 1 }') => `
seed: 11
duration: 12h
epoch: 2026-01-15T06:00:00Z
estate: ${estate}
background: []
${more}
requests:
${requests}
`;

const USERS = `serviceUsers:
  - { id: SUPPLIER-A, role: supplier }
  - { id: SUPPLIER-B, role: supplier }
${['UKPN:[10,12,19]', 'NGED:[11,14,21,22]', 'SPEN:[13,18]', 'NPG:[15,23]', 'ENWL:[16]', 'SSEN:[17,20]'].map((d) => `  - { id: DNO-${d.split(':')[0]}, role: networkOperator, areas: ${d.split(':')[1]} }`).join('\n')}`;

/** Records grouped by processId, each group in step and attempt order. */
function byProcess(records: Rec[]): Map<string, Rec[]> {
  const m = new Map<string, Rec[]>();
  for (const r of records) {
    const id = r.processId as string;
    if (!m.has(id)) m.set(id, []);
    m.get(id)!.push(r);
  }
  for (const list of m.values()) list.sort((a, b) => (a.step as number) - (b.step as number) || (a.userAttempt as number) - (b.userAttempt as number));
  return m;
}

const INSTALL = ['8.11', '6.21', '8.1.1', '8.1.1', '8.7.2', '6.20.1', '1.1.1', '6.8', '8.14.1'];

describe('Install and Commission', async () => {
  const run = await runRequests(
    base(`  traffic: []
  processes: { installAndCommission: { perHubPerDay: 0.05 } }
  installAndLeaveShare: 0.2
  nonWaitingShare: 0`),
  );
  const installs = [...byProcess(run.truth).values()];

  it("sends seed 004 Table 1's sequence under one processId, steps numbered in order, ending 8.14.1 (or 8.14.2 alone without SMWAN)", () => {
    // About 100 expected: 0.05 a day on the 2,100 SMETS2 hubs (SMETS1 meters are no longer installed), 95% of the day's installs in these 12 hours.
    expect(installs.length).toBeGreaterThan(60);
    let complete = 0;
    let leave = 0;
    for (const steps of installs) {
      expect(new Set(steps.map((r) => r.businessProcess))).toEqual(new Set(['Install and Commission']));
      const firsts = steps.filter((r) => r.userAttempt === 1);
      expect(firsts.map((r) => r.step)).toEqual(firsts.map((_, k) => k + 1));
      const srvs = firsts.map((r) => r.srv as string);
      if (srvs[0] === '8.14.2') {
        expect(srvs).toEqual(['8.14.2']);
        leave++;
        continue;
      }
      // Electricity only: the sequence without the GSME's 8.1.1 and 8.7.2.
      const expected = srvs.length === INSTALL.length ? INSTALL : INSTALL.filter((s, k) => k !== 3 && k !== 4);
      expect(srvs).toEqual(expected.slice(0, srvs.length));
      if (srvs.length === expected.length && steps.at(-1)!.outcome === 'success') complete++;
    }
    expect(complete).toBeGreaterThan(installs.length / 2);
    expect(leave).toBeGreaterThan(5);
  });

  it('sends each step only once the previous one succeeded at the User, after a failure the same step again', () => {
    let checked = 0;
    for (const steps of installs) {
      for (let k = 1; k < steps.length; k++) {
        const prev = steps[k - 1];
        const next = steps[k];
        expect(run.t(next.trueSentByUserTimestamp)).toBeGreaterThanOrEqual(run.t(prev.trueUserReceivedTimestamp));
        if (prev.outcome === 'success') expect([next.step, next.userAttempt]).toEqual([(prev.step as number) + 1, 1]);
        else expect([next.step, next.userAttempt]).toEqual([prev.step, (prev.userAttempt as number) + 1]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('names in deviceType what each step is about: the hub (CHF), the ESME, the GSME commissioned, the GPF joined', () => {
    const types = new Set(run.audit.filter((r) => r.srv === '8.1.1').map((r) => r.deviceType));
    expect(types).toEqual(new Set(['ESME', 'GSME']));
    for (const r of run.audit) {
      if (['8.11', '6.21', '8.14.1', '8.14.2'].includes(r.srv as string)) expect(r.deviceType).toBe('CHF');
      if (r.srv === '8.7.2') expect(r.deviceType).toBe('GPF');
    }
    // And the type is the estate's own for the deviceId the record names.
    const { estate } = buildWorld(run.scenario);
    for (const r of run.audit) {
      const at = indexOfEui(r.deviceId as string)!;
      expect(r.deviceType, r.requestId as string).toBe(at.kind === 'hub' ? 'CHF' : DEVICE_TYPES[estate.deviceType[at.index]]);
    }
  });

  it("gives CSP North's record of each response the hub's REP ID, and the truth the hub's clock offset, as the process read them with its premises", () => {
    const { estate, net } = buildWorld(run.scenario);
    const hubOf = (eui: string) => {
      const at = indexOfEui(eui)!;
      return at.kind === 'hub' ? at.index : estate.deviceHub[at.index];
    };
    const auditById = new Map(run.audit.map((r) => [r.requestId as string, r]));
    const byRecord = new Map(run.truth.filter((g) => g.providerRecordId !== undefined).map((g) => [g.providerRecordId as string, g]));
    const rni = run.sink.lines(CSP_NORTH_RNI_PATH).map((l) => JSON.parse(l) as Rec).filter((r) => byRecord.has(r.responseId as string));
    expect(rni.length).toBeGreaterThan(50);
    for (const r of rni) {
      const hub = hubOf(auditById.get(byRecord.get(r.responseId as string)!.requestId as string)!.deviceId as string);
      expect(r.commsHubId, r.responseId as string).toBe(estate.hubRepId[hub]);
    }
    // Some REP IDs are past 2^31: they must come through unsigned.
    expect(rni.some((r) => (r.commsHubId as number) > 0x7fffffff)).toBe(true);
    for (const g of run.truth) {
      const r = auditById.get(g.requestId as string);
      if (r !== undefined && g.region !== 'SMETS1') expect(g.trueHubClockOffsetMs, g.requestId as string).toBe(net.commsHub.sdkOffset(hubOf(r.deviceId as string)));
    }
  });
});

describe('Prepayment Top Up', async () => {
  const run = await runRequests(
    base(
      `  traffic: []
  processes: { topUp: { perHubPerDay: 2, attempts: 4 } }`,
      'components: { commsHub: { requests: { noResponseShare: 0.4 } } }',
      '{ hubs: 3000, commissionedShare: 1, prepaymentShare: 0.5 }',
    ),
  );
  const topUps = [...byProcess(run.audit).values()];

  it('is resent by the User after each failure, as new userAttempts of step 1 under one processId, until it succeeds or the attempts run out', () => {
    let resent = 0;
    for (const sends of topUps) {
      expect(sends.map((r) => r.srv)).toEqual(sends.map(() => '2.2'));
      expect(sends.map((r) => r.step)).toEqual(sends.map(() => 1));
      expect(sends.map((r) => r.userAttempt)).toEqual(sends.map((_, k) => k + 1));
      expect(sends.slice(0, -1).every((r) => r.outcome === 'failure')).toBe(true);
      expect(sends.length).toBeLessThanOrEqual(4);
      if (sends.at(-1)!.outcome === 'failure' && run.t(sends.at(-1)!.responseSentTimestamp) < 11 * 3_600_000) expect(sends.length).toBe(4);
      if (sends.length > 1) resent++;
    }
    expect(resent).toBeGreaterThan(100);
    // The DCC's own retries are apart from the User's resends.
    expect(run.audit.every((r) => r.retries === 0)).toBe(true);
  });
});

describe('a User that does not wait', async () => {
  const run = await runRequests(
    base(
      `  traffic: []
  processes: { changeOfTenancy: { perHubPerDay: 0.1 }, changeOfSupplier: { perHubPerDay: 0.1 } }
  nonWaitingUsers: [SUPPLIER-A]`,
      `${USERS}\ncomponents: { commsHub: { requests: { noResponseShare: 0.2 } } }`,
    ),
  );
  const processes = [...byProcess(run.truth).values()];
  const of = (user: string) => processes.filter((p) => p[0].serviceUser === user);

  it('sends every step without waiting for the previous response, and never resends', () => {
    let early = 0;
    for (const steps of of('SUPPLIER-A')) {
      expect(steps.map((r) => r.userAttempt)).toEqual(steps.map(() => 1));
      for (let k = 1; k < steps.length; k++) if (run.t(steps[k].trueSentByUserTimestamp) < run.t(steps[k - 1].trueUserReceivedTimestamp)) early++;
    }
    expect(early).toBeGreaterThan(100);
    for (const steps of of('SUPPLIER-B')) for (let k = 1; k < steps.length; k++) expect(run.t(steps[k].trueSentByUserTimestamp)).toBeGreaterThanOrEqual(run.t(steps[k - 1].trueUserReceivedTimestamp));
  });

  it('has the failures of steps that reached the device before an earlier step was carried out marked excludable, exclusionReason notWaited; the waiting User none', () => {
    const notWaited = run.audit.filter((r) => r.exclusionReason === 'notWaited');
    expect(notWaited.length).toBeGreaterThan(20);
    for (const r of notWaited) {
      expect(r).toMatchObject({ serviceUser: 'SUPPLIER-A', outcome: 'failure', excludable: true });
      expect(r.step).toBeGreaterThan(1);
    }
    // Each reached the hub while an earlier step of its process had failed or had not yet got there.
    const byId = byProcess(run.truth);
    const truth = new Map(run.truth.map((r) => [r.requestId, r]));
    for (const a of notWaited) {
      const r = truth.get(a.requestId as string)!;
      const earlier = byId.get(r.processId as string)!.filter((p) => (p.step as number) < (r.step as number));
      const blocked = earlier.some((p) => p.outcome !== 'success' || run.t(p.trueHubReceivedTimestamp ?? p.trueDspReceivedTimestamp) > run.t(r.trueHubReceivedTimestamp));
      expect(blocked).toBe(true);
    }
    expect(run.audit.filter((r) => r.serviceUser === 'SUPPLIER-B' && r.exclusionReason === 'notWaited')).toEqual([]);
  });
});

describe('the default processes', () => {
  it("send each SRV at about the default mix's daily volume (2.2 billion messages a month for 32 million meters)", () => {
    const steps: Record<string, string[]> = {
      installAndCommission: ['8.11', '6.21', '8.1.1', '6.20.1', '1.1.1', '6.8', '8.14.1'],
      changeOfSupplier: ['6.23', '1.1.1', '6.8'],
      changeOfTenancy: ['3.2', '3.5', '1.1.1', '1.6'],
      changeOfMode: ['2.1', '1.6', '1.1.1'],
      tariffUpdate: ['1.1.1'],
      topUp: ['2.2'],
      scheduledRead: ['5.1'],
      onDemandRead: ['4.6.1'],
    };
    const sent = new Map<string, number>();
    for (const p of defaultProcesses()) {
      const share = p.kind === 'installAndCommission' ? 1 - DEFAULT_PROCESS_OPTIONS.installAndLeaveShare : 1;
      for (const srv of steps[p.kind]) sent.set(srv, (sent.get(srv) ?? 0) + p.perHubPerDay * share);
    }
    for (const s of defaultMix()) {
      if (!sent.has(s.srv)) continue;
      expect(sent.get(s.srv)! / s.perHubPerDay, s.srv).toBeGreaterThan(0.75);
      expect(sent.get(s.srv)! / s.perHubPerDay, s.srv).toBeLessThan(1.6);
    }
    const total = [...sent.values()].reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(3.5);
  });

  it('do not run when a scenario gives its own traffic and names no process', async () => {
    const run = await runRequests(base(`  traffic: [{ srv: "1.6", perHubPerDay: 0.05 }]`));
    expect(run.audit.length).toBeGreaterThan(20);
    expect(new Set(run.audit.map((r) => r.srv))).toEqual(new Set(['1.6']));
    expect(new Set(run.audit.map((r) => r.processId)).size).toBe(run.audit.length);
  });
});
