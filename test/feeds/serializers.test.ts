import { describe, expect, it } from 'vitest';
import Ajv2020 from 'ajv/dist/2020.js';
import {
  FEEDS,
  feed,
  serializeCspNorthRni,
  serializeCspForward,
  serializeS1spAuditTrail,
  serializeDspAst,
  serializeSuDelivery,
  serializeGroundTruth,
  cspNorthRniSchema,
  cspForwardSchema,
  s1spAuditTrailSchema,
  dspAstSchema,
  suDeliveriesSchema,
  groundTruthSchema,
  type CspNorthRniRecord,
  type CspForwardRecord,
  type S1spAuditTrailRecord,
  type DspAstRecord,
  type SuDeliveryRecord,
  type GroundTruthRecord,
  type JsonSchema,
} from '../../src/feeds/index.js';

const ajv = new Ajv2020.default({ allErrors: true, strict: true });
const validators = new Map<JsonSchema, ReturnType<typeof ajv.compile>>();
function validate(schema: JsonSchema, value: unknown): boolean {
  let v = validators.get(schema);
  if (!v) {
    v = ajv.compile(schema);
    validators.set(schema, v);
  }
  return v(value) as boolean;
}

interface Case<T> {
  name: string;
  schema: JsonSchema;
  serialize: (r: T) => string;
  full: T;
  /** Required fields only. */
  minimal: T;
  /** Keys in docs/feeds.md order. */
  order: string[];
}

const csN: Case<CspNorthRniRecord> = {
  name: 'csp-north-rni',
  schema: cspNorthRniSchema,
  serialize: serializeCspNorthRni,
  full: { responseId: 'RN-000000000001', commsHubId: 4294967295, payload: 'AAECAw==', timestamp: '20260115083000.350', HubTimestamp: '20260115082959.812' },
  minimal: { responseId: 'RN-2', commsHubId: 1000000007, payload: 'QUJD', timestamp: '20260115083000.350' },
  order: ['responseId', 'commsHubId', 'payload', 'timestamp', 'HubTimestamp'],
};
const csF: Case<CspForwardRecord> = {
  name: 'csp-forward',
  schema: cspForwardSchema,
  serialize: serializeCspForward,
  full: {
    messageId: 'CS-1', csp: 'Central', commsHubId: '00A1B2C3D4E5F607', payload: 'AAEC',
    HubTimestamp: '20260115083000.001', cspReceivedTimestamp: '20260115083000.101', cspSentTimestamp: '20260115083000.201',
  },
  minimal: { messageId: 'CS-2', csp: 'South', commsHubId: 'FFFFFFFFFFFFFFFF', payload: '', cspReceivedTimestamp: '20260115083000.101', cspSentTimestamp: '20260115083000.201' },
  order: ['messageId', 'csp', 'commsHubId', 'payload', 'HubTimestamp', 'cspReceivedTimestamp', 'cspSentTimestamp'],
};
const s1: Case<S1spAuditTrailRecord> = {
  name: 's1sp-audit-trail',
  schema: s1spAuditTrailSchema,
  serialize: serializeS1spAuditTrail,
  full: { auditId: 'S1-9', s1sp: 'S1SP-2', deviceId: '0011223344556677', alertCode: '8F36', T1: '20260115083000.000', T2: '20260115083001.000', T4: '20260115083002.000', T5: '20260115083003.000' },
  minimal: { auditId: 'S1-10', s1sp: 'S1SP-1', deviceId: '0011223344556677', alertCode: '8F36', T1: '20260115083000.000', T2: '20260115083001.000' },
  order: ['auditId', 's1sp', 'deviceId', 'alertCode', 'T1', 'T2', 'T4', 'T5'],
};
const ast: Case<DspAstRecord> = {
  name: 'dsp-ast',
  schema: dspAstSchema,
  serialize: serializeDspAst,
  full: {
    alertId: 'DA-1', sourceId: 'RN-1', alertType: 'DeviceAlert', alertCode: '8F36', region: 'North', deviceId: '0011223344556677',
    targetUser: 'DNO "North" \\ Scotland', chfReceivedTimestamp: '20260115083000.000', cspReceivedTimestamp: '20260115083000.350',
    cspPassedTimestamp: '20260115083000.350', dspReceivedTimestamp: '20260115083000.400', passedToServiceUserTimestamp: '20260115083000.500',
    serviceUserHandshakeTimestamp: '20260115083000.900', deliveryAttempts: 1, outcome: 'delivered', throttled: true,
    throttledAlertSequenceId: 3, throttledAlertCount: 40,
  },
  minimal: {
    alertId: 'DA-2', alertType: 'DCCAlert', alertCode: 'AD1', region: 'SMETS1', deviceId: '0011223344556677', targetUser: 'SUP-A',
    dspReceivedTimestamp: '20260115083000.400', deliveryAttempts: 0, outcome: 'rejected', throttled: false,
  },
  order: [
    'alertId', 'sourceId', 'alertType', 'alertCode', 'region', 'deviceId', 'targetUser', 'chfReceivedTimestamp', 'cspReceivedTimestamp',
    'cspPassedTimestamp', 'dspReceivedTimestamp', 'passedToServiceUserTimestamp', 'serviceUserHandshakeTimestamp', 'deliveryAttempts',
    'outcome', 'throttled', 'throttledAlertSequenceId', 'throttledAlertCount',
  ],
};
const su: Case<SuDeliveryRecord> = {
  name: 'su-deliveries',
  schema: suDeliveriesSchema,
  serialize: serializeSuDelivery,
  full: {
    deliveryId: 'DL-1', alertId: 'DA-1', userId: 'SUP,"A"\n', attempt: 2, alertCode: 'N39', sentTimestamp: '20260115083000.500',
    receivedTimestamp: '20260115083000.600', handshakeTimestamp: '20260115083000.900', outcome: 'acknowledged',
  },
  minimal: { deliveryId: 'DL-2', alertId: 'DA-1', userId: 'SUP-A', attempt: 1, alertCode: 'N39', sentTimestamp: '20260115083000.500', outcome: 'gatewayDown' },
  order: ['deliveryId', 'alertId', 'userId', 'attempt', 'alertCode', 'sentTimestamp', 'receivedTimestamp', 'handshakeTimestamp', 'outcome'],
};
const gt: Case<GroundTruthRecord> = {
  name: 'ground-truth',
  schema: groundTruthSchema,
  serialize: serializeGroundTruth,
  // Every field at once (no real journey has both an expiry and a loss): the layout, not a story.
  full: {
    alertId: 'DA-1', alertCode: '8F36', region: 'Central', targetUser: 'SUP-A', deviceId: '90B3D51F30010000', trueConditionTimestamp: '20260115082959.000',
    trueChfReceivedTimestamp: '20260115082959.100', trueWanSentTimestamp: '20260115082959.200', trueHubClockOffsetMs: -3,
    trueCspArrivalTimestamp: '20260115082959.900', trueCspDepartureTimestamp: '20260115083000.250', trueDspReceivedTimestamp: '20260115083000.400',
    truePassedToServiceUserTimestamp: '20260115083000.500', trueServiceUserReceivedTimestamp: '20260115083000.600', trueHandshakeTimestamp: '20260115083000.900',
    trueFailedQueueExpiryTimestamp: '20260117083000.900', outcome: 'failed', lostAt: 'cspNorth', lostReason: 'componentOutage', event: 'storm "Arwen"',
  },
  // An alert lost before the DSP: no alertId, no DSP receipt.
  minimal: { alertCode: 'AD1', region: 'South', targetUser: 'DNO-S', deviceId: '90B3D51F30010001', outcome: 'lost' },
  order: [
    'alertId', 'alertCode', 'region', 'targetUser', 'deviceId', 'trueConditionTimestamp', 'trueChfReceivedTimestamp', 'trueWanSentTimestamp',
    'trueHubClockOffsetMs', 'trueCspArrivalTimestamp', 'trueCspDepartureTimestamp', 'trueDspReceivedTimestamp', 'truePassedToServiceUserTimestamp',
    'trueServiceUserReceivedTimestamp', 'trueHandshakeTimestamp', 'trueFailedQueueExpiryTimestamp', 'outcome', 'lostAt', 'lostReason', 'event',
  ],
};

const CASES: Case<any>[] = [csN, csF, s1, ast, su, gt];

describe.each(CASES)('$name serializer', (c) => {
  it('the schema is the one the FEEDS registry lists', () => {
    expect(feed(c.name).schema).toBe(c.schema);
  });

  it('a full record: one line, parses back to the same object, keys in the documented order, valid', () => {
    const line = c.serialize(c.full);
    expect(line).not.toContain('\n');
    const parsed = JSON.parse(line);
    expect(parsed).toEqual(c.full);
    expect(Object.keys(parsed)).toEqual(c.order);
    expect(line).toBe(JSON.stringify(c.full, c.order)); // byte-identical to the slow path
    expect(validate(c.schema, parsed)).toBe(true);
  });

  it('optional fields absent are left out, and the record is still valid', () => {
    const line = c.serialize(c.minimal);
    const parsed = JSON.parse(line);
    expect(parsed).toEqual(c.minimal);
    expect(Object.keys(parsed)).toEqual(c.order.filter((k) => k in c.minimal));
    expect(line).not.toContain('null');
    expect(validate(c.schema, parsed)).toBe(true);
  });

  it('rejects a bad timestamp, a missing required field and an unknown field', () => {
    const tsKey = Object.keys(c.full).find((k) => typeof c.full[k] === 'string' && /^\d{14}\.\d{3}$/.test(c.full[k]))!;
    expect(validate(c.schema, { ...c.full, [tsKey]: '2026-01-15 08:30:00' })).toBe(false);
    expect(validate(c.schema, { ...c.full, [tsKey]: '20260115083000.35' })).toBe(false);
    const required = (c.schema.required as string[])[0];
    const missing = { ...c.full };
    delete missing[required];
    expect(validate(c.schema, missing)).toBe(false);
    // CSP North's records carry other fields too (seed 001, section 4.2: "other fields are included").
    expect(validate(c.schema, { ...c.full, extra: 1 })).toBe(c.schema === cspNorthRniSchema);
  });
});

describe('schema details', () => {
  it('enums, integers and id shapes are enforced', () => {
    expect(validate(dspAstSchema, { ...ast.full, region: 'north' })).toBe(false);
    expect(validate(dspAstSchema, { ...ast.full, outcome: 'lost' })).toBe(false);
    expect(validate(dspAstSchema, { ...ast.full, deliveryAttempts: 1.5 })).toBe(false);
    expect(validate(dspAstSchema, { ...ast.full, throttled: 'true' })).toBe(false);
    expect(validate(dspAstSchema, { ...ast.full, deviceId: '0011223344556g77' })).toBe(false);
    expect(validate(cspNorthRniSchema, { ...csN.full, commsHubId: 4294967296 })).toBe(false);
    expect(validate(cspNorthRniSchema, { ...csN.full, commsHubId: '1000000007' })).toBe(false);
    expect(validate(cspNorthRniSchema, { ...csN.full, payload: 'not base64!' })).toBe(false);
    expect(validate(cspForwardSchema, { ...csF.full, csp: 'North' })).toBe(false);
    expect(validate(suDeliveriesSchema, { ...su.full, attempt: 0 })).toBe(false);
    expect(validate(s1spAuditTrailSchema, { ...s1.full, s1sp: 'S1SP-0' })).toBe(false);
    expect(validate(dspAstSchema, { ...ast.full, sourceId: null })).toBe(false); // absent, never null
  });

  it('every registry entry has a schema that compiles strictly and a distinct path', () => {
    for (const f of FEEDS) expect(() => ajv.compile(f.schema)).not.toThrow();
    expect(new Set(FEEDS.map((f) => f.path)).size).toBe(FEEDS.length);
    expect(FEEDS.filter((f) => f.isFeed).every((f) => f.path.startsWith('feeds/'))).toBe(true);
    expect(feed('ground-truth').path).toBe('ground-truth.jsonl');
    expect(() => feed('nope')).toThrow(/no feed called "nope"/);
  });
});
