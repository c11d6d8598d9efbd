/**
 * What a feed may carry (docs/feeds.md, "Who stamps what"): every feed
 * timestamp is a point of the true journey as its producer's clock reads it,
 * and nothing its producer cannot know. A small storm raising every alert
 * kind the twin raises (a power outage with AD1, 8F35 and 8F36; background
 * streams of every code, N39, N53, N54 and N62 included; a surge; SMETS1 hubs
 * through their S1SP) is checked field by field against ground-truth.jsonl:
 *
 *   hub SDK clock  HubTimestamp, chfReceivedTimestamp, AD1's StartDateTime:
 *                  true WAN send (the power failure for AD1) + the hub's offset
 *   device clock   GBCS alert time, DUIS Timestamp/TimeStamp, T1: the true
 *                  condition, to the second in GBCS
 *   CSP clock      CSP North timestamp: its departure (never its arrival, for
 *                  the Device Alert and every DCC Alert raised from it);
 *                  Central/South: arrival and departure
 *   S1SP clock     T2, T4; T5 the DSP's receipt (the S1SP's delivery confirmed)
 *   DSP clock      dspReceived, passedToServiceUser (= DUIS ResponseDateTime),
 *                  handshake (its receipt of the User's)
 *   gateway clock  receivedTimestamp: first receipt at the gateway
 *
 * Every clock but the hubs' SDK clocks reads true time in the twin: their
 * known offset is 0.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseScenario } from '../../../src/scenario/load.js';
import { runTwin } from '../../../src/twin.js';
import { parseTimestamp } from '../../../src/feeds/index.js';
import { decodeGbcsAlert, type DlmsAlertContent } from '../../support/gbcs-decoder.js';
import { HAVE_DUIS_XSD, duisSchemaErrors } from '../../support/duis-xsd.js';

const SCENARIO = `
seed: 21
duration: 3h
estate: { hubs: 6000, ppmidShare: 0.5, prepaymentShare: 0.3 }
components:
  cspSouth: { ad1Threshold: 1m }
background:
  - { code: 8F3F, perHubPerDay: 0.4 }
  - { code: 810D, perHubPerDay: 1 }
  - { code: 8F0F, perHubPerDay: 1 }
  - { code: 8F72, perHubPerDay: 0.3 }
  - { code: 8F1C, perHubPerDay: 0.3 }
  - { code: N39, perHubPerDay: 0.4 }
  - { code: N53, perHubPerDay: 0.3 }
  - { code: N54, perHubPerDay: 0.3 }
  - { code: N62, perHubPerDay: 0.3 }
events:
  - { type: powerOutage, label: north, at: 30m, areas: [17], duration: 30m, restorationSpread: 30s }
  - { type: powerOutage, label: south, at: 90m, areas: [22], duration: 2m, restorationSpread: 0 }
  - { type: alertSurge, label: surge, at: 1h, code: 8F3F, regions: [north, smets1], perHubPerDay: 6, duration: 20m }
`;

type Rec = Record<string, any>;
const readJsonl = (file: string): Rec[] => readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Rec);
/** Feed timestamp to ms; undefined stays undefined. */
const ms = (s: unknown): number | undefined => (s === undefined ? undefined : parseTimestamp(s as string));
const toSecond = (t: number) => Math.floor(t / 1000) * 1000;

let dir: string;
let truthById: Map<string, Rec>;
let truth: Rec[];
let ast: Rec[];
/** For each CSP / S1SP record id, the ground truth of an alert that came from it. */
let truthBySource: Map<string, Rec>;
const mismatches: string[] = [];

/** Records a mismatch when `feed` is not the truth point `expected` (both in ms; both absent is a match). */
function same(what: string, feed: number | undefined, expected: number | undefined): void {
  if (feed !== expected) mismatches.push(`${what}: feed ${feed} truth ${expected}`);
}

const hubTime = (g: Rec, trueMs: number | undefined) => (trueMs === undefined ? undefined : trueMs + g.trueHubClockOffsetMs);

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'dcc-twin-clocks-'));
  await runTwin(parseScenario(SCENARIO, 'clocks.yaml'), { outDir: dir });
  truth = readJsonl(path.join(dir, 'ground-truth.jsonl'));
  ast = readJsonl(path.join(dir, 'feeds/dsp-ast.jsonl'));
  truthById = new Map(truth.filter((g) => g.alertId !== undefined).map((g) => [g.alertId, g]));
  truthBySource = new Map();
  for (const a of ast) if (a.sourceId !== undefined && !truthBySource.has(a.sourceId)) truthBySource.set(a.sourceId, truthById.get(a.alertId)!);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => {
  mismatches.length = 0;
});

describe('every feed timestamp is its producer-clock reading of a true point', () => {
  it('raises every alert kind the twin raises, in every region', () => {
    const codes = new Set(ast.map((a) => a.alertCode));
    for (const c of ['AD1', '8F35', '8F36', '8F3F', '810D', '8F0F', '8F72', '8F1C', '8F8D', 'N39', 'N53', 'N54', 'N62']) {
      // 8F8D (the Sub-GHz hub alert) and the ACB-aimed firmware alerts appear in the AST only when rejected.
      if (c === '8F8D') continue;
      expect(codes.has(c), c).toBe(true);
    }
    expect(new Set(ast.map((a) => a.region))).toEqual(new Set(['North', 'Central', 'South', 'SMETS1']));
    expect(ast.filter((a) => a.region === 'North' && a.alertType === 'DCCAlert' && a.alertCode !== 'AD1').length).toBeGreaterThan(20);
  });

  it('dsp-ast.jsonl: hub, CSP and DSP points on their clocks; CSP North only by its departure', () => {
    for (const a of ast) {
      const g = truthById.get(a.alertId)!;
      const id = `${a.alertId} ${a.alertCode} ${a.region}`;
      const s1 = a.region === 'SMETS1';
      const viaRni = a.region === 'North' && a.sourceId !== undefined;
      if (s1) same(`${id} chfReceived`, ms(a.chfReceivedTimestamp), undefined);
      else if (a.chfReceivedTimestamp !== undefined) same(`${id} chfReceived`, ms(a.chfReceivedTimestamp), hubTime(g, ms(g.trueWanSentTimestamp)));
      same(`${id} cspReceived`, ms(a.cspReceivedTimestamp), ms(viaRni ? g.trueCspDepartureTimestamp : g.trueCspArrivalTimestamp));
      same(`${id} cspPassed`, ms(a.cspPassedTimestamp), ms(s1 ? g.trueDspReceivedTimestamp : g.trueCspDepartureTimestamp));
      same(`${id} dspReceived`, ms(a.dspReceivedTimestamp), ms(g.trueDspReceivedTimestamp));
      same(`${id} passed`, ms(a.passedToServiceUserTimestamp), ms(g.truePassedToServiceUserTimestamp));
      same(`${id} handshake`, ms(a.serviceUserHandshakeTimestamp), ms(g.trueHandshakeTimestamp));
    }
    expect(mismatches).toEqual([]);
    // The rule bites: CSP North's DCC Alerts are ~350 ms late against the true arrival, as its Device Alerts are.
    const northDcc = ast.filter((a) => a.region === 'North' && a.alertType === 'DCCAlert' && a.sourceId !== undefined);
    for (const a of northDcc) {
      const g = truthById.get(a.alertId)!;
      expect(ms(a.cspReceivedTimestamp)! - ms(g.trueCspArrivalTimestamp)!).toBeGreaterThanOrEqual(300);
    }
  });

  it('csp-north-rni.jsonl and csp-forward.jsonl: the hub SDK clock, the CSP clock, and the device clock in the payload', () => {
    const rni = readJsonl(path.join(dir, 'feeds/csp-north-rni.jsonl'));
    const forward = readJsonl(path.join(dir, 'feeds/csp-forward.jsonl'));
    expect(rni.length).toBeGreaterThan(100);
    expect(forward.length).toBeGreaterThan(100);
    const payloadTime = (r: Rec, g: Rec) => {
      const c = decodeGbcsAlert(Buffer.from(r.payload, 'base64')).content as DlmsAlertContent;
      same(`${r.responseId ?? r.messageId} GBCS alert time`, Date.parse(c.dateTimes[0]!), toSecond(ms(g.trueConditionTimestamp)!));
    };
    let offsets = 0;
    for (const r of rni) {
      const g = truthBySource.get(r.responseId)!;
      same(`${r.responseId} timestamp`, ms(r.timestamp), ms(g.trueCspDepartureTimestamp));
      if (r.HubTimestamp !== undefined) same(`${r.responseId} HubTimestamp`, ms(r.HubTimestamp), hubTime(g, ms(g.trueWanSentTimestamp)));
      if (g.trueHubClockOffsetMs !== 0) offsets++;
      payloadTime(r, g);
    }
    for (const r of forward) {
      const g = truthBySource.get(r.messageId)!;
      if (r.HubTimestamp !== undefined) same(`${r.messageId} HubTimestamp`, ms(r.HubTimestamp), hubTime(g, ms(g.trueWanSentTimestamp)));
      same(`${r.messageId} cspReceived`, ms(r.cspReceivedTimestamp), ms(g.trueCspArrivalTimestamp));
      same(`${r.messageId} cspSent`, ms(r.cspSentTimestamp), ms(g.trueCspDepartureTimestamp));
      payloadTime(r, g);
    }
    expect(mismatches).toEqual([]);
    // Hub clocks are offset per hub, mostly by a few ms at most: the offsets are real but small.
    expect(offsets).toBeGreaterThan(0);
    expect(truth.every((g) => g.trueHubClockOffsetMs === undefined || Math.abs(g.trueHubClockOffsetMs) <= 2000)).toBe(true);
  });

  it("s1sp-audit-trail.jsonl: the device's T1, the S1SP's T2 and T4, T5 the DSP's receipt", () => {
    const audit = readJsonl(path.join(dir, 'feeds/s1sp-audit-trail.jsonl'));
    expect(audit.length).toBeGreaterThan(50);
    for (const r of audit) {
      const g = truthBySource.get(r.auditId)!;
      same(`${r.auditId} T1`, ms(r.T1), ms(g.trueConditionTimestamp));
      same(`${r.auditId} T2`, ms(r.T2), ms(g.trueCspArrivalTimestamp));
      same(`${r.auditId} T4`, ms(r.T4), ms(g.trueCspDepartureTimestamp));
      same(`${r.auditId} T5`, ms(r.T5), ms(g.trueDspReceivedTimestamp));
    }
    expect(mismatches).toEqual([]);
  });

  it("su-deliveries.jsonl: the DSP's send, the gateway's receipt, the handshake's arrival", () => {
    const deliveries = readJsonl(path.join(dir, 'feeds/su-deliveries.jsonl'));
    const firstReceipt = new Set<string>();
    for (const d of deliveries) {
      const g = truthById.get(d.alertId)!;
      if (d.attempt === 1) same(`${d.deliveryId} sent`, ms(d.sentTimestamp), ms(g.truePassedToServiceUserTimestamp));
      if (d.receivedTimestamp !== undefined && !firstReceipt.has(d.alertId)) {
        firstReceipt.add(d.alertId);
        same(`${d.deliveryId} received`, ms(d.receivedTimestamp), ms(g.trueServiceUserReceivedTimestamp));
      }
      if (d.outcome === 'acknowledged') same(`${d.deliveryId} handshake`, ms(d.handshakeTimestamp), ms(g.trueHandshakeTimestamp));
    }
    expect(firstReceipt.size).toBeGreaterThan(500);
    expect(mismatches).toEqual([]);
  });

  it("DUIS bodies: ResponseDateTime is the DSP's send; AD1's StartDateTime the hub's stamp; carried alert times the device's", () => {
    const namespace = /^A([0-9A-F]{8})-/.exec(ast[0].alertId)![1];
    const deviceAlertBySource = new Map(ast.filter((a) => a.alertType === 'DeviceAlert').map((a) => [a.sourceId, a]));
    const astById = new Map(ast.map((a) => [a.alertId, a]));
    const kinds = new Set<string>();
    for (const f of readdirSync(path.join(dir, 'feeds/duis'))) {
      for (const l of readFileSync(path.join(dir, 'feeds/duis', f), 'utf8').split('\n').filter((x) => x !== '')) {
        const counter = /<sr:ResponseID>[^<]*:(\d+)<\/sr:ResponseID>/.exec(l)![1].padStart(12, '0');
        const dcc = /<sr:DCCAlertCode>([^<]+)</.exec(l)?.[1];
        const a = dcc !== undefined ? astById.get(`A${namespace}-${counter}`)! : deviceAlertBySource.get(`M${namespace}-${counter}`)!;
        const g = truthById.get(a.alertId)!;
        kinds.add(dcc ?? 'DeviceAlert');
        same(`${a.alertId} ResponseDateTime`, Date.parse(/<sr:ResponseDateTime>([^<]+)</.exec(l)![1]), ms(g.truePassedToServiceUserTimestamp));
        const start = /<sr:StartDateTime>([^<]+)</.exec(l)?.[1];
        if (start !== undefined) same(`${a.alertId} StartDateTime`, Date.parse(start), hubTime(g, ms(g.trueConditionTimestamp)));
        const carried = /<sr:Time[sS]tamp>([^<]+)</.exec(l)?.[1];
        if (carried !== undefined) same(`${a.alertId} Timestamp`, Date.parse(carried), toSecond(ms(g.trueConditionTimestamp)!));
      }
    }
    expect([...kinds].sort()).toEqual(['AD1', 'DeviceAlert', 'N39', 'N53', 'N54', 'N62']);
    expect(mismatches).toEqual([]);
  });
});

describe('every DCC Alert body the run sends validates against duis54.xsd', () => {
  it.skipIf(!HAVE_DUIS_XSD)('one document of each kind per User (needs ../shared/duis)', async () => {
    const docs: Array<{ fileName: string; contents: string }> = [];
    for (const f of readdirSync(path.join(dir, 'feeds/duis'))) {
      const seen = new Set<string>();
      for (const l of readFileSync(path.join(dir, 'feeds/duis', f), 'utf8').split('\n').filter((x) => x !== '')) {
        const kind = /<sr:(?:DCC)?AlertCode>([^<]+)</.exec(l)![1];
        if (seen.has(kind)) continue;
        seen.add(kind);
        docs.push({ fileName: `${f}-${kind}.xml`, contents: l });
      }
    }
    const bodies = new Set(docs.map((d) => /<sr:DCCAlert><sr:(\w+)>/.exec(d.contents)?.[1]).filter((b) => b !== undefined));
    expect([...bodies].sort()).toEqual(['CommsHubAlert', 'DualBandCHAlert', 'PPMIDAlert', 'PowerOutageEvent']);
    expect(await duisSchemaErrors(docs)).toEqual([]);
  }, 120_000);
});
