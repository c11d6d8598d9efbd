/**
 * Firmware campaigns end to end on a small estate: the feeds keep to their
 * schemas and agree with the alert feeds and the ground truth; devices of
 * makes that never acknowledge raise nothing; activation changes a device's
 * version (a later campaign from the new version finds exactly the devices
 * activated); the same seed gives the same bytes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { runYaml, type Rec, type Run } from '../../support/run.js';
import { HAVE_DUIS_XSD, duisSchemaErrors } from '../../support/duis-xsd.js';
import {
  FIRMWARE_COMMS_HUB_PATH, FIRMWARE_DAILY_PATH, FIRMWARE_S1SP_PATH, FIRMWARE_TRUTH_PATH,
  firmwareCommsHubSchema, firmwareDailySchema, firmwareS1spSchema, firmwareTruthSchema, type JsonSchema,
} from '../../../src/feeds/index.js';

const SCENARIO = `
seed: 11
duration: 7d
estate: { hubs: 1500 }
background: []
events:
  - { type: firmwareCampaign, at: 1h, deviceType: esme, toVersion: 3.0.0, perHour: 3000 }
  - { type: firmwareCampaign, at: 2h, deviceType: ppmid, toVersion: 1.1.0, perHour: 3000 }
  - { type: firmwareCampaign, at: 3h, deviceType: hub, toVersion: 1.2.0, regions: [north, smets1], perHour: 3000 }
  - { type: firmwareCampaign, at: 4d, deviceType: esme, fromVersion: 3.0.0, toVersion: 3.0.1, perHour: 3000 }
`;

const ajv = new Ajv2020.default({ allErrors: true, strict: true });
const sum = (rs: Rec[], f: string, where: (r: Rec) => boolean = () => true) => rs.filter(where).reduce((s, r) => s + (r[f] as number), 0);

describe('firmware campaigns', () => {
  let run: Run;
  let daily: Rec[];
  let truth: Rec[];
  beforeAll(async () => {
    run = await runYaml(SCENARIO);
    daily = run.jsonl(FIRMWARE_DAILY_PATH);
    truth = run.jsonl(FIRMWARE_TRUTH_PATH);
  }, 60_000);
  afterAll(() => run.remove());

  it('writes every firmware file to its schema', () => {
    const files: Array<[string, JsonSchema]> = [
      [FIRMWARE_DAILY_PATH, firmwareDailySchema], [FIRMWARE_COMMS_HUB_PATH, firmwareCommsHubSchema],
      [FIRMWARE_S1SP_PATH, firmwareS1spSchema], [FIRMWARE_TRUTH_PATH, firmwareTruthSchema],
    ];
    for (const [file, schema] of files) {
      const records = run.jsonl(file);
      expect(records.length, file).toBeGreaterThan(0);
      const validate = ajv.compile(schema);
      for (const r of records) expect(validate(r), `${file}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });

  it('counts in the daily feed what the devices and the DSP saw, 8F72 and 8F1C as the alert feeds carry them', () => {
    const ast = run.jsonl('feeds/dsp-ast.jsonl');
    const esme = (r: Rec) => r.deviceType === 'ESME';
    // The daily feed counts what the devices said; the AST names the device, the truth its type.
    const typeOf = new Map(truth.map((t) => [t.deviceId, t.deviceType]));
    const alerts = (code: string, type: string) => ast.filter((a) => a.alertCode === code && typeOf.get(a.deviceId) === type).length;
    expect(sum(daily, 'verified', esme)).toBe(alerts('8F72', 'ESME'));
    expect(sum(daily, 'verificationFailed', esme)).toBe(alerts('8F1C', 'ESME'));
    // PPMIDs cannot reach a User: their alerts go to the DSP's ACB and on as N39, unless the DSP
    // rejects one at validation, when the AST keeps it under its own code and no N39 follows.
    expect(sum(daily, 'verified', (r) => r.deviceType === 'PPMID') + sum(daily, 'verificationFailed', (r) => r.deviceType === 'PPMID')).toBe(
      ast.filter((a) => a.alertCode === 'N39').length + alerts('8F72', 'PPMID') + alerts('8F1C', 'PPMID'),
    );
    expect(ast.filter((a) => a.alertCode === '8F72' || a.alertCode === '8F1C').every((a) => typeOf.get(a.deviceId) === 'ESME' || a.outcome === 'rejected')).toBe(true);
    expect(sum(daily, 'targeted')).toBe(truth.filter((t) => t.deviceType !== 'CH').length);
    expect(sum(daily, 'activationSuccess')).toBe(truth.filter((t) => t.deviceType !== 'CH' && t.activation === 'success').length);
  });

  it('hears nothing from IOC and MDS PPMIDs: they are counted apart, and still activated', () => {
    const silentMakes = truth.filter((t) => t.make === 'IOC' || t.make === 'MDS');
    expect(silentMakes.length).toBeGreaterThan(0);
    for (const t of silentMakes) {
      if (t.distribution !== 'delivered' || t.region === 'SMETS1') continue;
      expect(t.verification).toBe('noAcknowledgement');
      expect(t.trueVerificationTimestamp).toBeUndefined();
    }
    expect(sum(daily, 'noAcknowledgement')).toBe(silentMakes.filter((t) => t.verification === 'noAcknowledgement').length);
    expect(silentMakes.some((t) => t.activation === 'success')).toBe(true);
  });

  it('meets the 5-day target for the hubs it reaches; hubs without SMWAN miss it', () => {
    const esme = truth.filter((t) => t.campaignId === 'FW-1');
    const delivered = esme.filter((t) => t.distribution === 'delivered');
    expect(delivered.length / esme.length).toBeGreaterThan(0.9);
    for (const t of esme.filter((x) => x.distribution === 'failed')) expect(t.trueTargetMissedTimestamp).toBeDefined();
  });

  it('activation changes the device version: a campaign from the new version targets exactly the devices activated before it', () => {
    const activatedBefore = truth.filter((t) => t.campaignId === 'FW-1' && t.activation === 'success' && t.trueActivationResponseTimestamp < '20260119').length;
    const second = truth.filter((t) => t.campaignId === 'FW-4');
    expect(second.length).toBe(activatedBefore);
    expect(second.every((t) => t.fromVersion === '3.0.0')).toBe(true);
  });

  it('Comms Hub firmware: attempts, deliveries and activations by day and region, only in the campaign regions', () => {
    const hubs = run.jsonl(FIRMWARE_COMMS_HUB_PATH);
    expect(new Set(hubs.map((h) => h.region))).toEqual(new Set(['North', 'SMETS1']));
    const hubTruth = truth.filter((t) => t.deviceType === 'CH');
    expect(sum(hubs, 'attempts')).toBe(hubTruth.length);
    expect(sum(hubs, 'activations')).toBe(hubTruth.filter((t) => t.activation === 'success').length);
    // SMETS1 hubs: the S1SP reports each upload and activation with its round trip (CR1440).
    const s1 = run.jsonl(FIRMWARE_S1SP_PATH).filter((r) => r.deviceType === 'CH');
    expect(s1.filter((r) => r.stage === 'upload').length).toBe(hubTruth.filter((t) => t.region === 'SMETS1' && t.distribution !== 'pending').length);
  });

  it("raises the firmware path's DCC Alerts at their stages, to the supplier", () => {
    const ast = run.jsonl('feeds/dsp-ast.jsonl');
    const count = (code: string) => ast.filter((a) => a.alertCode === code).length;
    const devices = truth.filter((t) => t.deviceType !== 'CH');
    expect(count('N41')).toBe(devices.filter((t) => t.distribution === 'delivered' && t.region !== 'SMETS1').length);
    expect(count('N40')).toBe(devices.filter((t) => t.distribution === 'failed').length);
    expect(count('N42')).toBe(devices.filter((t) => t.verification === 'noAcknowledgement').length);
    expect(count('N43')).toBe(devices.filter((t) => t.activation === 'failure').length);
    expect(count('N44')).toBe(truth.filter((t) => t.deviceType === 'CH' && t.activation === 'success').length);
    expect(count('N41')).toBeGreaterThan(0);
    expect(count('N40')).toBeGreaterThan(0);
  });

  it.skipIf(!HAVE_DUIS_XSD)('writes DUIS bodies of 8F72, 8F1C and N40-N44 that keep to duis54.xsd (skipped without ../shared/duis)', async () => {
    const small = await runYaml(
      `seed: 3\nduration: 6d\nestate: { hubs: 300 }\nbackground: []\nevents:\n` +
        `  - { type: firmwareCampaign, at: 1h, deviceType: esme, toVersion: 2.2.0 }\n` +
        `  - { type: firmwareCampaign, at: 1h, deviceType: ppmid, toVersion: 1.1.0 }\n` +
        `  - { type: firmwareCampaign, at: 1h, deviceType: hub, toVersion: 1.2.0 }\n`,
      { duis: true },
    );
    try {
      const lines = ['SUPPLIER-A', 'SUPPLIER-B', 'SUPPLIER-C', 'SUPPLIER-D', 'SUPPLIER-E'].flatMap((u) =>
        readFileSync(path.join(small.dir, `feeds/duis/${u}.ndxml`), 'utf8').split('\n').filter((l) => l !== ''),
      );
      const pick = (re: RegExp) => lines.filter((l) => re.test(l)).slice(0, 3);
      const docs = [
        ...pick(/<sr:AlertCode>8F72</), ...pick(/<sr:AlertCode>8F1C</),
        ...['N40', 'N41', 'N42', 'N43', 'N44'].flatMap((c) => pick(new RegExp(`<sr:DCCAlertCode>${c}<`))),
      ];
      for (const c of ['N41', 'N44']) expect(docs.some((d) => d.includes(`<sr:DCCAlertCode>${c}<`)), c).toBe(true);
      expect(await duisSchemaErrors(docs.map((contents, i) => ({ fileName: `doc${i}.xml`, contents })))).toEqual([]);
    } finally {
      small.remove();
    }
  }, 60_000);

  it('gives the same bytes for the same seed', async () => {
    const again = await runYaml(SCENARIO);
    try {
      for (const f of [FIRMWARE_DAILY_PATH, FIRMWARE_TRUTH_PATH, FIRMWARE_S1SP_PATH, 'feeds/dsp-ast.jsonl']) {
        expect(readFileSync(path.join(again.dir, f), 'utf8')).toBe(readFileSync(path.join(run.dir, f), 'utf8'));
      }
    } finally {
      again.remove();
    }
  }, 60_000);
});
