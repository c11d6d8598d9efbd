/**
 * Device Alerts aimed at the DSP (the ACB): the DSP raises DCC Alerts from
 * them, sometimes more than one (seed 001 section 3.2), and delivers those
 * to the supplier.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScenario } from '../../../src/scenario/load.js';
import { runTwin } from '../../../src/twin.js';

type Rec = Record<string, unknown>;
const readJsonl = (file: string): Rec[] => readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Rec);

let dir: string;
let ast: Rec[];

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'dcc-twin-acb-'));
  const scenario = parseScenario(
    `seed: 4\nduration: 6h\nestate: { hubs: 4000, regions: { north: 0.5, central: 0.5 } }\n` +
      `components: { dsp: { rejectionShare: 0 } }\n` +
      `background:\n  - { code: N39, perHubPerDay: 0.2 }\n  - { code: N53, perHubPerDay: 0.2 }\n  - { code: N62, perHubPerDay: 0.1 }\n`,
    'acb.yaml',
  );
  await runTwin(scenario, { outDir: dir });
  ast = readJsonl(path.join(dir, 'feeds/dsp-ast.jsonl'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('DCC Alerts raised from Device Alerts aimed at the DSP', () => {
  it('turns each PPMID alert into one N39, each hub Sub-GHz alert into an N53 and an N54, each hub firmware alert into one N62, all to suppliers', () => {
    const codes = new Map<string, number>();
    for (const r of ast) codes.set(r.alertCode as string, (codes.get(r.alertCode as string) ?? 0) + 1);
    expect([...codes.keys()].sort()).toEqual(['N39', 'N53', 'N54', 'N62']);
    expect(codes.get('N53')).toBe(codes.get('N54'));
    expect(ast.every((r) => r.alertType === 'DCCAlert' && String(r.targetUser).startsWith('SUPPLIER-'))).toBe(true);
    // N53 and N54 come in pairs from one Device Alert: same source record, same hub, same DSP receipt.
    const bySource = new Map<unknown, Rec[]>();
    for (const r of ast.filter((x) => x.alertCode === 'N53' || x.alertCode === 'N54')) bySource.set(r.sourceId, [...(bySource.get(r.sourceId) ?? []), r]);
    for (const pair of bySource.values()) {
      expect(pair.map((r) => r.alertCode).sort()).toEqual(['N53', 'N54']);
      expect(pair[0].deviceId).toBe(pair[1].deviceId);
      expect(pair[0].dspReceivedTimestamp).toBe(pair[1].dspReceivedTimestamp);
      expect(pair[0].alertId).not.toBe(pair[1].alertId);
    }
  });

  it('sends the supplier a DCCAlertMessage carrying the device alert', () => {
    const body = readFileSync(path.join(dir, 'feeds/duis/SUPPLIER-A.ndxml'), 'utf8');
    expect(body).toMatch(/<sr:DCCAlertCode>N39<\/sr:DCCAlertCode>.*<sr:PPMIDAlert>.*<sr:DeviceAlertCode>8F72<\/sr:DeviceAlertCode>/);
    expect(body).toMatch(/<sr:DCCAlertCode>N53<\/sr:DCCAlertCode>.*<sr:DualBandCHAlert>.*<sr:DeviceAlertCode>8F8D<\/sr:DeviceAlertCode>/);
    expect(body).toMatch(/<sr:DCCAlertCode>N62<\/sr:DCCAlertCode>.*<sr:CommsHubAlert>.*<sr:AlertCode>8F72<\/sr:AlertCode>/);
  });

  it('never puts a hub firmware alert in a Sub-GHz body (DualBandCHAlert)', () => {
    const lines = readFileSync(path.join(dir, 'feeds/duis/SUPPLIER-A.ndxml'), 'utf8').split('\n');
    const dualBand = lines.filter((l) => l.includes('<sr:DualBandCHAlert>'));
    expect(dualBand.length).toBeGreaterThan(0);
    for (const l of dualBand) expect(l).not.toMatch(/<sr:DeviceAlertCode>8F(72|1C)</);
  });
});
