/**
 * A small storm, end to end, with expectations worked out from the
 * scenario: one CSP North area loses power for 45 minutes, a second area in
 * CSP South for 2 minutes (under the AD1 threshold).
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { HAVE_DUIS_XSD, duisSchemaErrors } from '../../support/duis-xsd.js';
import { decodeGbcsAlert } from '../../support/gbcs-decoder.js';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Ajv2020 from 'ajv/dist/2020.js';
import { parseScenario } from '../../../src/scenario/load.js';
import { runTwin, type RunResult } from '../../../src/twin.js';
import { FEEDS, parseTimestamp, parseAlertThroughputRow, WINDOW_MS } from '../../../src/feeds/index.js';
import type { Scenario } from '../../../src/scenario/types.js';
import { buildEstate } from '../../../src/estate/index.js';
import { SMETS1 } from '../../../src/dcc/regions.js';
import { NETWORK_OPERATOR_AREAS } from '../../../src/dcc/areas.js';

const SCENARIO = `
seed: 11
epoch: 2026-01-15T00:00:00Z
duration: 3h
estate:
  hubs: 6000
components:
  commsHub:
    lastGaspSuccessShare: 1
  dsp:
    rejectionShare: 0
background: []
events:
  - { type: powerOutage, label: north-45m, at: 30m, areas: [17], duration: 45m, restorationSpread: 30s }
  - { type: powerOutage, label: south-2m, at: 1h, areas: [22], duration: 2m, restorationSpread: 0 }
`;

type Rec = Record<string, unknown>;
const readJsonl = (file: string): Rec[] =>
  readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Rec);
const ms = (s: unknown) => parseTimestamp(s as string);

let dir: string;
let scenario: Scenario;
let result: RunResult;
let ast: Rec[];
let truth: Rec[];

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'dcc-twin-storm-'));
  scenario = parseScenario(SCENARIO, 'storm.yaml');
  result = await runTwin(scenario, { outDir: dir });
  ast = readJsonl(path.join(dir, 'feeds/dsp-ast.jsonl'));
  truth = readJsonl(path.join(dir, 'ground-truth.jsonl'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a small power-outage storm', () => {
  it('raises AD1 for every SMETS2 hub with WAN of the 45-minute outage and none for the 2-minute one', () => {
    const ad1 = ast.filter((r) => r.alertCode === 'AD1');
    expect(ad1.length).toBe(estateHubs(17, false, 'wan'));
    expect(ad1.length).toBeGreaterThan(50);
    expect(result.outages.lastGasps).toBe(estateHubs(17, false, 'wan') + estateHubs(22, false, 'wan'));
    expect(ad1.every((r) => r.region === 'North' && r.alertType === 'DCCAlert' && r.targetUser === 'DNO-SSEN')).toBe(true);
  });

  it('loses at the hub every last gasp and alert of a hub installed and left without SMWAN, and says so in the ground truth', () => {
    const noWan = estateHubs(17, false, 'noWan') + estateHubs(22, false, 'noWan');
    const noWanAll = estateHubs(17, true, 'noWan') + estateHubs(22, true, 'noWan');
    expect(noWan).toBeGreaterThan(0);
    expect(result.outages.lastGaspsNoWan).toBe(noWan);
    // The AD1s CSP North would have raised for the 45-minute outage (none for 2 minutes).
    const lostAd1 = truth.filter((r) => r.alertCode === 'AD1' && r.outcome === 'lost');
    expect(lostAd1.length).toBe(estateHubs(17, false, 'noWan'));
    expect(result.outages.ad1Lost).toBe(lostAd1.length);
    for (const r of lostAd1) expect(r).toMatchObject({ lostAt: 'commsHub', lostReason: 'noWan', region: 'North', targetUser: 'DNO-SSEN' });
    // Every restoration alert of those hubs (SMETS1 included: no WAN to their S1SP either).
    const lostRestorations = truth.filter((r) => r.alertCode !== 'AD1' && r.outcome === 'lost');
    expect(lostRestorations.length).toBe(noWanAll);
    expect(result.alerts.lostNoWan).toBe(noWanAll);
    for (const r of lostRestorations) {
      expect(r).toMatchObject({ lostAt: 'commsHub', lostReason: 'noWan' });
      expect(r.alertId).toBeUndefined();
      expect(r.trueWanSentTimestamp).toBeUndefined();
      expect(r.trueDspReceivedTimestamp).toBeUndefined();
    }
    // No feed carries them: the DSP's records are the alerts that reached it.
    const astDevices = new Set(ast.map((r) => r.deviceId));
    for (const r of [...lostAd1, ...lostRestorations]) expect(astDevices.has(r.deviceId)).toBe(false);
  });

  it('sends 8F36 from every meter back after 45 minutes and 8F35 after 2 minutes', () => {
    const byEvent = (label: string, code: string) => truth.filter((r) => r.event === label && r.alertCode === code).length;
    // Every hub of the area loses power (share 1), SMETS1 hubs too.
    const north = estateHubs(17, true);
    const south = estateHubs(22, true);
    expect(north + south).toBe(result.outages.hubsOff);
    expect(byEvent('north-45m', '8F36')).toBe(north);
    expect(byEvent('north-45m', '8F35')).toBe(0);
    expect(byEvent('south-2m', '8F35')).toBe(south);
    expect(byEvent('south-2m', '8F36')).toBe(0);
    expect(byEvent('south-2m', 'AD1')).toBe(0);
  });

  it("stamps CSP North's departure about 350 ms after arrival", () => {
    const north = truth.filter((r) => r.region === 'North' && r.alertCode !== 'AD1' && r.outcome !== 'lost');
    const gaps = north.map((r) => ms(r.trueCspDepartureTimestamp) - ms(r.trueCspArrivalTimestamp));
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    expect(north.length).toBeGreaterThan(100);
    expect(Math.abs(mean - 350)).toBeLessThan(5);
    // What the DSP reports as cspReceived for North is that departure.
    const rni = readJsonl(path.join(dir, 'feeds/csp-north-rni.jsonl'));
    expect(rni.length).toBe(north.length);
    const astNorth = ast.filter((r) => r.region === 'North' && r.alertType === 'DeviceAlert');
    const rniById = new Map(rni.map((r) => [r.responseId, r]));
    for (const r of astNorth) expect(r.cspReceivedTimestamp).toBe(rniById.get(r.sourceId)!.timestamp);
  });

  it('never delivers before an alert is raised, and every hop follows the previous one', () => {
    const order = [
      'trueConditionTimestamp', 'trueChfReceivedTimestamp', 'trueWanSentTimestamp', 'trueCspArrivalTimestamp',
      'trueCspDepartureTimestamp', 'trueDspReceivedTimestamp', 'truePassedToServiceUserTimestamp', 'trueHandshakeTimestamp',
    ];
    for (const r of truth) {
      let last = -Infinity;
      for (const k of order) {
        if (r[k] === undefined) continue;
        const t = ms(r[k]);
        expect(t, `${r.alertId} ${k}`).toBeGreaterThanOrEqual(last);
        last = t;
      }
    }
  });

  it('delivers every alert to the network operator of its area', () => {
    expect(ast.every((r) => r.outcome === 'delivered' || r.outcome === 'failed')).toBe(true);
    expect(result.alerts.delivered + result.alerts.failed).toBe(ast.length);
    const users = new Set(ast.map((r) => r.targetUser));
    expect([...users].sort()).toEqual(['DNO-NGED', 'DNO-SSEN']);
  });

  it('writes records that validate against their schemas', () => {
    const ajv = new Ajv2020.default({ strict: true, allErrors: true });
    for (const f of FEEDS) {
      const validate = ajv.compile(f.schema);
      // A storm has no firmware campaign: the firmware files are not written.
      if (f.onlyWith !== undefined && !existsSync(path.join(dir, f.path))) continue;
      const text = readFileSync(path.join(dir, f.path), 'utf8');
      const lines = text.split('\n').filter((l) => l !== '');
      const records = f.kind === 'csv' ? lines.slice(1).map(parseAlertThroughputRow) : lines.map((l) => JSON.parse(l));
      for (const r of records) expect(validate(r) ? null : { feed: f.name, errors: validate.errors }).toBeNull();
    }
  });

  it('cuts the 15-minute throughput at quarter hours, counting every alert once', () => {
    const lines = readFileSync(path.join(dir, 'feeds/alert-throughput-15min.csv'), 'utf8').trim().split('\n');
    const rows = lines.slice(1).map(parseAlertThroughputRow);
    const total = rows.reduce((a, r) => a + r.receivedByDsp, 0);
    expect(total).toBe(ast.length);
    const expected = new Map<string, number>();
    for (const r of ast) {
      const t = ms(r.dspReceivedTimestamp);
      const key = `${t - (t % WINDOW_MS)}|${r.region}|${r.alertCode}`;
      expected.set(key, (expected.get(key) ?? 0) + 1);
    }
    for (const r of rows) {
      const start = ms(r.windowStart);
      expect(start % WINDOW_MS).toBe(0);
      expect(ms(r.windowEnd) - start).toBe(WINDOW_MS);
      expect(r.receivedByDsp).toBe(expected.get(`${start}|${r.region}|${r.alertCode}`));
    }
  });

  it('gives byte-identical feeds for the same scenario and seed', async () => {
    const again = mkdtempSync(path.join(os.tmpdir(), 'dcc-twin-storm-'));
    try {
      await runTwin(parseScenario(SCENARIO, 'storm.yaml'), { outDir: again });
      const files = (d: string) => listFiles(d).filter((f) => !f.startsWith('report') && !f.startsWith('metrics'));
      expect(files(again)).toEqual(files(dir));
      for (const f of files(dir)) expect(readFileSync(path.join(again, f)).equals(readFileSync(path.join(dir, f))), f).toBe(true);
      const other = mkdtempSync(path.join(os.tmpdir(), 'dcc-twin-storm-'));
      try {
        await runTwin(parseScenario(SCENARIO.replace('seed: 11', 'seed: 12'), 'storm.yaml'), { outDir: other });
        expect(readFileSync(path.join(other, 'feeds/dsp-ast.jsonl')).equals(readFileSync(path.join(dir, 'feeds/dsp-ast.jsonl')))).toBe(false);
      } finally {
        rmSync(other, { recursive: true, force: true });
      }
    } finally {
      rmSync(again, { recursive: true, force: true });
    }
  });
});

function listFiles(d: string, prefix = ''): string[] {
  return readdirSync(path.join(d, prefix), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(d, path.join(prefix, e.name)) : [path.join(prefix, e.name)]))
    .sort();
}

/** Hubs of the estate in an area (built independently from the same config and seed), all or those with or without WAN. */
function estateHubs(area: number, withSmets1: boolean, wan: 'all' | 'wan' | 'noWan' = 'all'): number {
  const suppliers = scenario.serviceUsers.filter((u) => u.role === 'supplier').map((u) => u.marketShare);
  const estate = buildEstate(scenario.estate, scenario.seed, NETWORK_OPERATOR_AREAS, suppliers);
  let n = 0;
  for (let h = 0; h < estate.hubCount; h++) {
    if (estate.hubArea[h] !== area || (!withSmets1 && estate.hubRegion[h] === SMETS1)) continue;
    if (wan === 'all' || estate.isCommissioned(h) === (wan === 'wan')) n++;
  }
  return n;
}

describe('what the Service User receives in the storm', () => {
  it('carries in DUIS the same GBCS payload CSP North passed to the DSP, and the payload decodes to the alert', () => {
    const rni = readJsonl(path.join(dir, 'feeds/csp-north-rni.jsonl'));
    const lines = readFileSync(path.join(dir, 'feeds/duis/DNO-SSEN.ndxml'), 'utf8').trim().split('\n');
    const payloadsInDuis = new Set(lines.map((l) => /<sr:GBCSPayload>([^<]+)</.exec(l)?.[1]).filter((p) => p !== undefined));
    const restored = rni.filter((r) => {
      const d = decodeGbcsAlert(Buffer.from(r.payload as string, 'base64'));
      return d.content.format === 'dlms' && d.content.alertCode === 0x8f36;
    });
    expect(restored.length).toBeGreaterThan(50);
    for (const r of restored) {
      expect(payloadsInDuis.has(r.payload as string)).toBe(true);
      const d = decodeGbcsAlert(Buffer.from(r.payload as string, 'base64'));
      expect(d.craFlag).toBe(3);
      expect(d.messageCode).toBe(0x0067);
      expect(d.signatureLength).toBe(0);
    }
  });

  it.skipIf(!HAVE_DUIS_XSD)('sends DUIS documents that validate against duis54.xsd (needs ../shared/duis)', async () => {
    const files = readdirSync(path.join(dir, 'feeds/duis'));
    const docs: Array<{ fileName: string; contents: string }> = [];
    for (const f of files) {
      const lines = readFileSync(path.join(dir, 'feeds/duis', f), 'utf8').split('\n').filter((l) => l !== '');
      // The first document of each kind, throttled or not, per User.
      const seen = new Set<string>();
      for (const l of lines) {
        const kind = `${/<sr:(?:DCC)?AlertCode>([^<]+)</.exec(l)?.[1]}|${l.includes('Throttled')}`;
        if (seen.has(kind)) continue;
        seen.add(kind);
        docs.push({ fileName: `${f}-${docs.length}.xml`, contents: l });
      }
    }
    expect(docs.some((d) => d.contents.includes('<sr:DCCAlertCode>AD1<'))).toBe(true);
    expect(docs.some((d) => d.contents.includes('<sr:ThrottledAlertCount>'))).toBe(true);
    expect(await duisSchemaErrors(docs)).toEqual([]);
  }, 120_000);
});
