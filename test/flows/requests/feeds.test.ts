/**
 * The Service Request feeds beside the DSP's audit trail: CSP North's
 * sendMessage record of each SMETS2 North response (seed 001 section 4.2),
 * the S1SP's audit record of each SMETS1 response (CR1438's points), the DUIS Service Response each User receives, and the DSP's N12/N13 after
 * a failed future-dated or scheduled request, each checked against
 * request-truth.jsonl under docs/feeds.md "Who stamps what", against its
 * schema, and for determinism.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../src/scenario/load.js';
import { runTwin } from '../../../src/twin.js';
import {
  CSP_NORTH_RNI_PATH,
  DSP_AST_PATH,
  DSP_SERVICE_AUDIT_PATH,
  GROUND_TRUTH_PATH,
  MemorySink,
  REQUEST_TRUTH_PATH,
  S1SP_AUDIT_TRAIL_PATH,
  cspNorthRniSchema,
  s1spAuditTrailSchema,
  dspAstSchema,
  duisPath,
  groundTruthSchema,
  parseTimestamp,
  requestTruthSchema,
} from '../../../src/feeds/index.js';
import { HAVE_DUIS_XSD, duisSchemaErrors } from '../../support/duis-xsd.js';
import { buildWorld } from '../../../src/world.js';
import { DEVICE_TYPES } from '../../../src/estate/estate.js';
import { indexOfEui } from '../../../src/estate/eui.js';
import { s1spId } from '../../../src/dcc/ids.js';

const SCENARIO = `
seed: 9
duration: 4h
estate: { hubs: 3000, commissionedShare: 1 }
background: []
components: { commsHub: { requests: { noResponseShare: 0.2 } } }
events: [{ type: componentOutage, component: cspNorth, at: 2h, duration: 30m }]
requests:
  traffic:
    - { srv: "1.1.1", perHubPerDay: 1, futureDatedShare: 0.5, shape: flat }
    - { srv: "1.6", perHubPerDay: 1, shape: flat }
    - { srv: "4.8.1", perHubPerDay: 0.2, shape: flat }
    - { srv: "5.1", perHubPerDay: 1, shape: flat }
    - { srv: "8.1.1", perHubPerDay: 0.2, shape: flat }
    - { srv: "8.11", perHubPerDay: 0.2, shape: flat }
`;

type Rec = Record<string, any>;

async function run(): Promise<{ sink: MemorySink; users: string[] }> {
  const scenario = parseScenario(SCENARIO, 'request-feeds.yaml');
  const sink = new MemorySink();
  await runTwin(scenario, { outDir: '/nonexistent', sink });
  return { sink, users: scenario.serviceUsers.map((u) => u.id) };
}

const { sink, users } = await run();
const parse = (p: string): Rec[] => sink.lines(p).map((l) => JSON.parse(l) as Rec);
const truth = parse(REQUEST_TRUTH_PATH);
const audit = parse(DSP_SERVICE_AUDIT_PATH);
const ast = parse(DSP_AST_PATH);
const rni = parse(CSP_NORTH_RNI_PATH);
const ms = (s: unknown): number | undefined => (s === undefined ? undefined : parseTimestamp(s as string));
const truthById = new Map(truth.map((g) => [g.requestId as string, g]));
const auditById = new Map(audit.map((r) => [r.requestId as string, r]));
const namespace = /^R([0-9A-F]{8})-/.exec(truth[0].requestId)![1];
/** The request's counter (its DUIS RequestID's last part) is its serial. */
const serialOf = (requestId: string) => Number(requestId.split('-')[1]);
const duisLines = users.flatMap((u) => sink.lines(duisPath(u)).map((l) => ({ user: u, l })));
const responses = duisLines.filter((d) => d.l.includes('<sr:ResponseMessage>'));

function hex(b: Buffer, from: number, n: number): string {
  return b.subarray(from, from + n).toString('hex').toUpperCase();
}

describe("CSP North's sendMessage records of Service Responses (seed 001, 4.2)", () => {
  const responseRecords = rni.filter((r) => r.responseId.startsWith(`S${namespace}-`));
  const byRecord = new Map(truth.filter((g) => g.providerRecordId !== undefined).map((g) => [g.providerRecordId as string, g]));

  it('one per North response from a hub, in the seed\'s format, beside the alerts\' records', () => {
    const expected = truth.filter((g) => g.region === 'North' && g.providerRecordId !== undefined);
    expect(expected.length).toBeGreaterThan(200);
    expect(responseRecords.map((r) => r.responseId).sort()).toEqual(expected.map((g) => g.providerRecordId).sort());
    const v = new Ajv2020({ strict: true, allErrors: true }).compile(cspNorthRniSchema);
    for (const r of responseRecords) expect(v(r) ? null : v.errors).toBeNull();
  });

  it("stamps `timestamp` with CSP North's departure and `HubTimestamp` with the hub's SDK clock", () => {
    const wrong: string[] = [];
    for (const r of responseRecords) {
      const g = byRecord.get(r.responseId)!;
      if (ms(r.timestamp) !== ms(g.trueProviderResponseSentTimestamp)) wrong.push(`${r.responseId} timestamp`);
      if (ms(r.HubTimestamp) !== ms(g.trueHubResponseSentTimestamp)! + g.trueHubClockOffsetMs) wrong.push(`${r.responseId} HubTimestamp`);
    }
    expect(wrong).toEqual([]);
    expect(responseRecords.some((r) => byRecord.get(r.responseId)!.trueHubClockOffsetMs !== 0)).toBe(true);
  });

  it('carries a GBCS response: CRA flag 02, the command counter echoed, from the target device to its User', () => {
    for (const r of responseRecords) {
      const b = Buffer.from(r.payload, 'base64');
      const g = byRecord.get(r.responseId)!;
      expect(hex(b, 0, 3)).toBe('DF0902');
      expect(b.readBigUInt64BE(3)).toBe(BigInt(serialOf(g.requestId)));
      expect(hex(b, 12, 8)).toBe(auditById.get(g.requestId)!.deviceId);
      expect(b[b.length - 1]).toBe(0);
    }
  });

  it('sends none from Central, South or the S1SPs, and none for a request no hub answered', () => {
    expect(truth.filter((g) => g.region !== 'North' && g.providerRecordId !== undefined).length).toBeGreaterThan(100);
    const fromRni = new Set(responseRecords.map((r) => r.responseId));
    for (const g of truth) if (g.region !== 'North' && g.providerRecordId !== undefined) expect(fromRni.has(g.providerRecordId)).toBe(false);
    for (const g of truth) if (g.trueHubResponseSentTimestamp === undefined) expect(g.providerRecordId).toBeUndefined();
  });
});

describe("what the records say of each request's hub and device: the estate's and the network's own values", () => {
  // The same scenario's world, built again: the estate and the hubs' SDK clocks the run had.
  const { estate, net } = buildWorld(parseScenario(SCENARIO, 'request-feeds.yaml'));
  const hubOf = (eui: string): number => {
    const at = indexOfEui(eui)!;
    return at.kind === 'hub' ? at.index : estate.deviceHub[at.index];
  };

  it("deviceType is the DSP's inventory's type of the deviceId, or CHF for the hub", () => {
    const wrong: string[] = [];
    for (const r of audit) {
      const at = indexOfEui(r.deviceId)!;
      const expected = at.kind === 'hub' ? 'CHF' : DEVICE_TYPES[estate.deviceType[at.index]];
      if (r.deviceType !== expected) wrong.push(`${r.requestId}: ${r.deviceType}, not ${expected}`);
    }
    expect(wrong).toEqual([]);
    // This scenario's SRVs go to ESMEs and hubs; the business processes' test checks the GSME and GPF too.
    expect(new Set(audit.map((r) => r.deviceType))).toEqual(new Set(['CHF', 'ESME']));
  });

  it("trueHubClockOffsetMs is the hub's SDK clock offset, and a North response's commsHubId the hub's REP ID", () => {
    const wrong: string[] = [];
    for (const g of truth) {
      const r = auditById.get(g.requestId);
      if (r === undefined || g.region === 'SMETS1') continue;
      const hub = hubOf(r.deviceId);
      if (g.trueHubClockOffsetMs !== net.commsHub.sdkOffset(hub)) wrong.push(`${g.requestId} offset`);
      if (g.region === 'North' && g.providerRecordId !== undefined) {
        const rec = rni.find((x) => x.responseId === g.providerRecordId);
        if (rec !== undefined && rec.commsHubId !== estate.hubRepId[hub]) wrong.push(`${g.requestId} commsHubId`);
      }
    }
    expect(wrong).toEqual([]);
    expect(new Set(truth.map((g) => g.trueHubClockOffsetMs)).size).toBeGreaterThan(5);
  });

  it("an S1SP's audit record names the S1SP of the request's hub", () => {
    const records = parse(S1SP_AUDIT_TRAIL_PATH).filter((x) => x.srv !== undefined);
    const byRecord = new Map(truth.map((g) => [g.providerRecordId as string, g]));
    const wrong: string[] = [];
    for (const x of records) {
      const hub = hubOf(auditById.get(byRecord.get(x.auditId)!.requestId)!.deviceId);
      if (x.s1sp !== s1spId(estate.hubS1sp[hub])) wrong.push(`${x.auditId}: ${x.s1sp}`);
    }
    expect(wrong).toEqual([]);
    expect(new Set(records.map((x) => x.s1sp)).size).toBeGreaterThan(1);
  });
});

describe("the S1SP's audit records of SMETS1 responses (CR1438)", () => {
  const records = parse(S1SP_AUDIT_TRAIL_PATH).filter((r) => r.srv !== undefined);

  it('one per SMETS1 response from a hub, marked by `srv`, in the alerts\' schema', () => {
    const expected = truth.filter((g) => g.region === 'SMETS1' && g.providerRecordId !== undefined);
    expect(expected.length).toBeGreaterThan(100);
    expect(records.map((r) => r.auditId).sort()).toEqual(expected.map((g) => g.providerRecordId).sort());
    const v = new Ajv2020({ strict: true, allErrors: true }).compile(s1spAuditTrailSchema);
    for (const r of records) expect(v(r) ? null : v.errors).toBeNull();
    expect(v({ ...records[0], alertCode: '8F3F' })).toBe(false);
  });

  it("T1 the device's response, T2 and T4 the S1SP's receipt and send, T5 the DSP's receipt", () => {
    const byRecord = new Map(truth.map((g) => [g.providerRecordId as string, g]));
    const wrong: string[] = [];
    for (const r of records) {
      const g = byRecord.get(r.auditId)!;
      if (r.srv !== g.srv) wrong.push(`${r.auditId} srv`);
      if (ms(r.T1) !== ms(g.trueDeviceRespondedTimestamp ?? g.trueHubResponseSentTimestamp)) wrong.push(`${r.auditId} T1`);
      if (ms(r.T2) !== ms(g.trueProviderResponseTimestamp)) wrong.push(`${r.auditId} T2`);
      if (ms(r.T4) !== ms(g.trueProviderResponseSentTimestamp)) wrong.push(`${r.auditId} T4`);
      if (ms(r.T5) !== ms(g.trueDspResponseTimestamp)) wrong.push(`${r.auditId} T5`);
    }
    expect(wrong).toEqual([]);
    expect(records.some((r) => r.srv === '8.11')).toBe(true);
  });
});

describe('DUIS Service Responses', () => {
  it("one per response the User's gateway received, its ResponseDateTime the DSP's send", () => {
    const received = truth.filter((g) => g.trueUserReceivedTimestamp !== undefined);
    expect(responses.length).toBe(received.length);
    const wrong: string[] = [];
    for (const { user, l } of responses) {
      const counter = /<sr:RequestID>[^<]*:(\d+)<\/sr:RequestID>/.exec(l)![1];
      const id = `R${namespace}-${counter.padStart(12, '0')}`;
      const g = truthById.get(id)!;
      const a = auditById.get(id)!;
      if (g.serviceUser !== user) wrong.push(`${id} in ${user}'s file`);
      if (Date.parse(/<sr:ResponseDateTime>([^<]+)</.exec(l)![1]) !== ms(g.trueResponseSentTimestamp)) wrong.push(`${id} ResponseDateTime`);
      const code = /<sr:ResponseCode>([^<]+)</.exec(l)![1];
      if (code !== ({ E201: 'E20', E212: 'E21' } as Rec)[a.responseCode] && code !== a.responseCode) wrong.push(`${id} ${code} for ${a.responseCode}`);
      if (!l.includes(`<sr:ServiceReferenceVariant>${a.srv}</sr:ServiceReferenceVariant>`)) wrong.push(`${id} SRV`);
      // The device's response travels on when a SMETS2 hub answered.
      const payload = l.includes('<sr:GBCSPayload>');
      if (payload !== (g.providerRecordId !== undefined && g.region !== 'SMETS1')) wrong.push(`${id} payload ${payload}`);
    }
    expect(wrong).toEqual([]);
    expect(new Set(responses.map((d) => /<sr:ResponseCode>([^<]+)</.exec(d.l)![1]))).toEqual(new Set(['I0', 'E20', 'E21', 'E1', 'E3']));
  });

  it.skipIf(!HAVE_DUIS_XSD)('validate against duis54.xsd, one of each SRV and response code (needs ../shared/duis)', async () => {
    const seen = new Set<string>();
    const docs: Array<{ fileName: string; contents: string }> = [];
    for (const { l } of responses) {
      const kind = `${/<sr:ServiceReferenceVariant>([^<]+)</.exec(l)![1]}-${/<sr:ResponseCode>([^<]+)</.exec(l)![1]}`;
      if (seen.has(kind)) continue;
      seen.add(kind);
      docs.push({ fileName: `${kind}.xml`, contents: l });
    }
    expect(docs.length).toBeGreaterThan(8);
    expect(await duisSchemaErrors(docs)).toEqual([]);
  }, 120_000);
});

describe('N12 and N13 after a failed future-dated or scheduled request', () => {
  const failed = truth.filter((g) => g.failureAlertCode !== undefined);
  const astById = new Map(ast.map((a) => [a.alertId as string, a]));

  it('follow exactly the future-dated and scheduled E201 (N12) and E212 (N13) responses', () => {
    for (const g of truth) {
      const later = g.timing !== 'onDemand' && (g.responseCode === 'E201' || g.responseCode === 'E212');
      expect(g.failureAlertCode).toBe(later ? (g.responseCode === 'E212' ? 'N13' : 'N12') : undefined);
    }
    expect(new Set(failed.map((g) => g.failureAlertCode))).toEqual(new Set(['N12', 'N13']));
  });

  it('reach the requesting User as any DCC Alert: dsp-ast, ground truth, a CommandFailure naming the request', () => {
    const ground = new Map(parse(GROUND_TRUTH_PATH).map((g) => [g.alertId as string, g]));
    const vAst = new Ajv2020({ strict: true, allErrors: true }).compile(dspAstSchema);
    const vTruth = new Ajv2020({ strict: true, allErrors: true }).compile(groundTruthSchema);
    const commandFailures = new Map<string, string>();
    const wrongTimes: string[] = [];
    for (const { l } of duisLines) {
      const m = /<sr:DCCAlertCode>(N1[23])<.*<sr:CommandRequestID>([^<]+)</.exec(l);
      if (!m) continue;
      commandFailures.set(m[2], m[1]);
      // ResponseDateTime: the DSP's send of the alert, as for any DCC Alert.
      const alertId = `A${namespace}-${/<sr:ResponseID>[^<]*:(\d+)</.exec(l)![1].padStart(12, '0')}`;
      if (Date.parse(/<sr:ResponseDateTime>([^<]+)</.exec(l)![1]) !== ms(ground.get(alertId)!.truePassedToServiceUserTimestamp)) wrongTimes.push(alertId);
    }
    expect(wrongTimes).toEqual([]);
    for (const g of failed) {
      const a = astById.get(g.failureAlertId)!;
      expect(vAst(a) ? null : vAst.errors).toBeNull();
      expect(a).toMatchObject({ alertType: 'DCCAlert', alertCode: g.failureAlertCode, targetUser: g.serviceUser });
      expect(a.sourceId).toBeUndefined();
      expect(a.cspReceivedTimestamp).toBeUndefined();
      expect(a.cspPassedTimestamp).toBeUndefined();
      // Raised by the DSP as it sends the failed response.
      expect(a.dspReceivedTimestamp).toBe(g.trueResponseSentTimestamp);
      const t = ground.get(g.failureAlertId)!;
      expect(vTruth(t) ? null : vTruth.errors).toBeNull();
      expect(t.truePassedToServiceUserTimestamp).toBe(a.passedToServiceUserTimestamp);
    }
    const delivered = failed.filter((g) => astById.get(g.failureAlertId)!.passedToServiceUserTimestamp !== undefined);
    expect(delivered.length).toBeGreaterThan(20);
    for (const { l } of responses) {
      const requestId = /<sr:RequestID>([^<]+)</.exec(l)![1];
      const g = truthById.get(`R${namespace}-${requestId.split(':')[2].padStart(12, '0')}`)!;
      if (commandFailures.has(requestId)) expect(commandFailures.get(requestId)).toBe(g.failureAlertCode);
    }
    expect(commandFailures.size).toBeGreaterThan(20);
  });

  it.skipIf(!HAVE_DUIS_XSD)('CommandFailure bodies validate against duis54.xsd (needs ../shared/duis)', async () => {
    const docs = ['N12', 'N13'].map((code) => ({ fileName: `${code}.xml`, contents: duisLines.find((d) => d.l.includes(`<sr:DCCAlertCode>${code}<`))!.l }));
    expect(await duisSchemaErrors(docs)).toEqual([]);
  }, 120_000);
});

describe('the request truth', () => {
  it('keeps to its schema, and gives the same bytes for the same seed', async () => {
    const v = new Ajv2020({ strict: true, allErrors: true }).compile(requestTruthSchema);
    for (const g of truth) expect(v(g) ? null : v.errors).toBeNull();
    const again = await run();
    for (const p of [CSP_NORTH_RNI_PATH, S1SP_AUDIT_TRAIL_PATH, REQUEST_TRUTH_PATH, DSP_AST_PATH, ...users.map(duisPath)]) {
      expect(again.sink.lines(p)).toEqual(sink.lines(p));
    }
  });
});
