/**
 * The outage flow through a whole run: sub-system outages from the scenario
 * and their availability events (logged down when detected, up when over;
 * Planned Maintenance at its times), the gates they act on (a sub-system of
 * the User Interface holds traffic at the DSP; CSP South's WAN at CSP
 * South), the incidents they raise, Install and Leave's No-SMWAN incidents
 * from the 8.14.2 responses, the six-hour maintenance warning, the schemas
 * of every new file, and determinism.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../src/scenario/load.js';
import { runTwin } from '../../../src/twin.js';
import {
  AVAILABILITY_EVENTS_PATH, CSP_FORWARD_PATH, DSP_AST_PATH, DSP_SERVICE_AUDIT_PATH, INCIDENTS_PATH, INCIDENT_TRUTH_PATH, MemorySink,
  NO_SMWAN_INCIDENTS_PATH, OUTAGE_TRUTH_PATH, availabilityEventsSchema, incidentTruthSchema, incidentsSchema, noSmwanIncidentsSchema,
  outageTruthSchema, parseTimestamp,
} from '../../../src/feeds/index.js';

const SCENARIO = `
seed: 5
epoch: "2026-01-05T00:00:00Z"
duration: 3d
estate: { hubs: 3000 }
output: { duisBodies: false }
requests:
  traffic:
    - { srv: "4.6.1", perHubPerDay: 2, shape: flat }
    - { srv: "8.14.1", perHubPerDay: 0.05 }
    - { srv: "8.14.2", perHubPerDay: 0.05 }
outages:
  incidents:
    perMonth: { "3": 40, "4": 40, "5": 40 }
    powerOutageCategory: 2
events:
  - { type: subsystemOutage, at: 5h, subsystem: selfServicePortal, duration: 20s }
  - { type: subsystemOutage, at: 10h, subsystem: duiGateway, duration: 40m }
  - { type: powerOutage, at: 15h, areas: [12], share: 0.2, duration: 30m }
  - { type: subsystemOutage, at: 1d2h, subsystem: cspSouth, duration: 1h }
  - { type: plannedMaintenance, at: 1d20h, subsystem: smkiRepository, duration: 7h }
  - { type: subsystemOutage, at: 2d23h30m, subsystem: registrationDataInterface, duration: 2h }
`;

type Rec = Record<string, any>;
const H = 3_600_000;

async function run() {
  const scenario = parseScenario(SCENARIO, 'outages.yaml');
  const sink = new MemorySink();
  const result = await runTwin(scenario, { outDir: '/nonexistent', sink });
  return { scenario, sink, result };
}

const { scenario, sink, result } = await run();
const parse = (p: string): Rec[] => sink.lines(p).map((l) => JSON.parse(l) as Rec);
const ms = (s: string): number => parseTimestamp(s) - scenario.epoch;
const events = parse(AVAILABILITY_EVENTS_PATH);
const truth = parse(OUTAGE_TRUTH_PATH);
const incidents = parse(INCIDENTS_PATH);
const incidentTruth = parse(INCIDENT_TRUTH_PATH);
const nsw = parse(NO_SMWAN_INCIDENTS_PATH);
const end = scenario.duration;

describe('availability events and the true outages', () => {
  it('every record keeps to its schema', () => {
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    for (const [schema, recs] of [[availabilityEventsSchema, events], [outageTruthSchema, truth], [incidentsSchema, incidents], [incidentTruthSchema, incidentTruth], [noSmwanIncidentsSchema, nsw]] as const) {
      const v = ajv.compile(schema);
      expect(recs.length).toBeGreaterThan(0);
      for (const r of recs) expect(v(r) ? null : v.errors).toBeNull();
    }
  });

  it('logs an unplanned outage down when detected and up when over; Planned Maintenance at its times; nothing of an outage over before detection', () => {
    expect(truth.map((t) => t.subsystem)).toEqual(['selfServicePortal', 'duiGateway', 'cspSouth', 'smkiRepository', 'registrationDataInterface']);
    const byOutage = (id: string) => events.filter((e) => e.outageId === id);
    const [blip, dui, south, smki, rdi] = truth;
    expect(blip.detectedTimestamp).toBeUndefined();
    expect(byOutage(blip.outageId)).toEqual([]);
    for (const t of [dui, south]) {
      const [down, up] = byOutage(t.outageId);
      expect([down.event, up.event]).toEqual(['down', 'up']);
      expect(down.timestamp).toBe(t.detectedTimestamp);
      expect(ms(down.timestamp)).toBeGreaterThan(ms(t.trueStartTimestamp));
      expect(up.timestamp).toBe(t.trueEndTimestamp);
    }
    expect(south.region).toBe('South');
    expect(byOutage(south.outageId)[0].services).toBe('DCC User Interface');
    expect(byOutage(dui.outageId)[0].region).toBeUndefined();
    expect(byOutage(smki.outageId).map((e) => [e.event, e.timestamp])).toEqual([
      ['plannedMaintenanceStart', smki.trueStartTimestamp],
      ['plannedMaintenanceEnd', smki.trueEndTimestamp],
    ]);
    // Still down at the end of the run: logged down, never up; the truth knows when it ends.
    expect(byOutage(rdi.outageId).map((e) => e.event)).toEqual(['down']);
    expect(ms(rdi.trueEndTimestamp)).toBe(end + 1.5 * H);
  });

  it('warns of Planned Maintenance over six hours in a month (SEC H8)', () => {
    expect(result.warnings.filter((w) => w.includes('planned maintenance'))).toEqual([
      'planned maintenance in 2026-01 lasts 7.00 hours, over the 6 hours a month SEC Section H8 allows (seed 004, Requirement 3)',
    ]);
  });
});

describe('the gates outages act on', () => {
  const ast = parse(DSP_AST_PATH);
  const forward = parse(CSP_FORWARD_PATH);

  it('a User Interface sub-system holds traffic at the DSP: nothing received during it, the held alerts at its end', () => {
    const received = ast.map((a) => ms(a.dspReceivedTimestamp));
    expect(received.filter((t) => t >= 10 * H && t < 10 * H + 40 * 60_000)).toEqual([]);
    expect(received.filter((t) => t === 10 * H + 40 * 60_000).length).toBeGreaterThan(0);
  });

  it("CSP South's WAN down from the outage flow holds South's alerts at CSP South, as a componentOutage does", () => {
    const south = forward.filter((f) => f.csp === 'South').map((f) => ms(f.cspSentTimestamp));
    expect(south.filter((t) => t >= 26 * H && t < 27 * H)).toEqual([]);
    const central = forward.filter((f) => f.csp === 'Central').map((f) => ms(f.cspSentTimestamp));
    expect(central.filter((t) => t >= 26 * H && t < 27 * H).length).toBeGreaterThan(0);
    expect(south.filter((t) => t >= 27 * H && t < 27 * H + 1000).length).toBeGreaterThan(0);
  });
});

describe('incidents', () => {
  it('one per detected unplanned outage, opened when it is logged down, resolved when it is over; one for the power outage', () => {
    for (const t of truth.filter((x) => !x.planned && x.detectedTimestamp !== undefined)) {
      const i = incidentTruth.filter((x) => x.outageId === t.outageId);
      expect(i).toHaveLength(1);
      expect(i[0].openedTimestamp).toBe(t.detectedTimestamp);
      expect(ms(i[0].resolvedTimestamp)).toBeGreaterThanOrEqual(ms(t.trueEndTimestamp));
    }
    const south = incidentTruth.find((i) => i.subsystem === 'cspSouth')!;
    expect([south.category, south.resolverGroup, south.smets]).toEqual([2, 'CSP', 'SMETS2']);
    const power = incidentTruth.filter((i) => i.source === 'powerOutage');
    expect(power.map((i) => [i.category, i.resolverGroup, ms(i.openedTimestamp)])).toEqual([[2, 'other', 15 * H + 180_000]]);
    expect(new Set(incidentTruth.filter((i) => i.source === 'other').map((i) => i.category))).toEqual(new Set([3, 4, 5]));
  });

  it('the feed has what Remedy knew at the end (no later stamp, status to match); the truth has every stamp', () => {
    expect(incidents.map((i) => i.incidentId)).toEqual(incidentTruth.map((i) => i.incidentId));
    let cut = 0;
    incidents.forEach((f, k) => {
      const t = incidentTruth[k];
      for (const field of ['initialResponseTimestamp', 'resolvedTimestamp', 'closedTimestamp']) {
        if (ms(t[field]) <= end) expect(f[field]).toBe(t[field]);
        else {
          expect(f[field]).toBeUndefined();
          cut++;
        }
      }
      expect(f.status).toBe(f.closedTimestamp ? 'closed' : f.resolvedTimestamp ? 'resolved' : 'open');
      expect(t.status).toBe('closed');
      expect(f.targetResolutionMs).toBe(scenario.outages.incidents.targets[f.category as 1].resolution);
    });
    expect(cut).toBeGreaterThan(0);
    expect(incidents.find((i) => i.subsystem === 'registrationDataInterface')!.status).toBe('open');
  });
});

describe('Install and Leave', () => {
  it("each successful 8.14.2 to a CSP hub gets one No-SMWAN incident with the hub's GUID, submitted after the response, closed within 90 days", () => {
    const audit = parse(DSP_SERVICE_AUDIT_PATH).filter((a) => a.srv === '8.14.2' && a.responseCode === 'I0' && a.region !== 'SMETS1');
    const submittedInRun = nsw.length;
    expect(submittedInRun).toBeGreaterThan(50);
    expect(audit.length).toBeGreaterThanOrEqual(submittedInRun);
    const byGuid = new Map<string, Rec[]>();
    for (const a of audit) byGuid.set(a.deviceId, [...(byGuid.get(a.deviceId) ?? []), a]);
    for (const n of nsw) {
      const sent = (byGuid.get(n.GUID) ?? []).map((a) => ms(a.responseSentTimestamp));
      expect(sent.some((t) => t <= ms(n.submitDate)), n.incidentId).toBe(true);
      expect(n.csp).toBe(byGuid.get(n.GUID)![0].region);
      if (n.status === 'closed') {
        expect(ms(n.closedDate) - ms(n.submitDate)).toBeLessThanOrEqual(90 * 24 * H);
        expect(n.outcome).toBe('smwanEstablished');
      } else expect(n.closedDate).toBeUndefined();
    }
  });
});

describe('determinism', () => {
  it('the same scenario and seed give the same outage, incident and No-SMWAN files', async () => {
    const again = await run();
    for (const p of [AVAILABILITY_EVENTS_PATH, OUTAGE_TRUTH_PATH, INCIDENTS_PATH, INCIDENT_TRUTH_PATH, NO_SMWAN_INCIDENTS_PATH]) expect(again.sink.lines(p)).toEqual(sink.lines(p));
  });
});
