/**
 * The request records' commonest ending (a success at the first attempt, no
 * GBT read) is written as one literal: it, and every ending one field away
 * from it, must spell what the fields spell one by one, which for records
 * whose values are all given spelled is JSON.stringify's text.
 */
import { describe, expect, it } from 'vitest';
import { serializeDspServiceAudit, type DspServiceAuditRecord } from '../../src/feeds/dsp-service-audit.js';
import { serializeRequestTruth, type RequestTruthRecord } from '../../src/feeds/request-truth.js';

const truth: RequestTruthRecord = {
  requestId: 'R0a1b2c3d-000000000042',
  srv: '4.1.1',
  timing: 'onDemand',
  serviceUser: 'SU "one"',
  region: 'north',
  businessProcess: 'schedule',
  processId: 'P0a1b2c3d-000000000007',
  step: 1,
  userAttempt: 1,
  targetResponseTimeMs: 30000,
  trueSentByUserTimestamp: '20260115103000.125',
  trueUserReceivedTimestamp: '20260115103004.500',
  outcome: 'success',
  responseCode: 'I0',
  attempts: 1,
  gbtBlocks: 0,
  gbtPackets: 0,
  excludable: false,
};

const audit: DspServiceAuditRecord = {
  requestId: 'R0a1b2c3d-000000000042',
  srv: '4.1.1',
  timing: 'onDemand',
  serviceUser: 'SU "one"',
  region: 'north',
  deviceId: '00124B0001A2B3C4',
  deviceType: 'ESME',
  businessProcess: 'schedule',
  processId: 'P0a1b2c3d-000000000007',
  step: 1,
  userAttempt: 1,
  targetResponseTimeMs: 30000,
  receivedFromUserTimestamp: '20260115103000.125',
  responseSentTimestamp: '20260115103004.400',
  outcome: 'success',
  responseCode: 'I0',
  retries: 0,
  excludable: false,
};

describe('the request records ending in a plain success', () => {
  it('request-truth.jsonl: the same text as the fields spelled one by one, for it and every ending one field away', () => {
    const endings: Array<Partial<RequestTruthRecord>> = [
      {},
      { outcome: 'failure', responseCode: 'E212' },
      { responseCode: 'E201' },
      { outcome: 'lost', responseCode: undefined },
      { attempts: 2 },
      { attempts: 0 },
      { gbtBlocks: 3 },
      { gbtPackets: 12 },
      { excludable: true, exclusionReason: 'notWaited' },
    ];
    for (const e of endings) {
      const r = { ...truth, ...e };
      expect(serializeRequestTruth(r)).toBe(JSON.stringify(r));
    }
  });

  it('dsp-service-audit.jsonl: the same, for it and every ending one field away', () => {
    const endings: Array<Partial<DspServiceAuditRecord>> = [
      {},
      { outcome: 'failure', responseCode: 'E212' },
      { responseCode: 'E1', excludable: true, exclusionReason: 'validFailure' },
      { retries: 1 },
      { excludable: true, exclusionReason: 'notWaited' },
    ];
    for (const e of endings) {
      const r = { ...audit, ...e };
      expect(serializeDspServiceAudit(r)).toBe(JSON.stringify(r));
    }
  });
});
