/**
 * DUIS Service Responses (src/dcc/duis.ts) and the GBCS responses they carry
 * (src/dcc/gbcs-response.ts): every SRV of the catalogue, with every response
 * code, makes a document duis54.xsd accepts; the GBCS bytes follow the
 * general-signing layout with the response's CRA flag.
 */
import { describe, expect, it } from 'vitest';
import { SRV_CATALOGUE, RESPONSE_CODES } from '../../src/dcc/srvs.js';
import { duisId, serviceReference, serviceResponseXml } from '../../src/dcc/duis.js';
import { GbcsResponseBuilder, MESSAGE_CODE_UNSPECIFIED } from '../../src/dcc/gbcs-response.js';
import { HAVE_DUIS_XSD, duisSchemaErrors } from '../support/duis-xsd.js';

const T = Date.UTC(2026, 0, 15, 3, 4, 5, 678);
const USER = { hi: 0x90b3d51f, lo: 0x30020003 };
const ESME = { hi: 0x00db1201, lo: 0x12345678 };
const ACB = { hi: 0x90b3d51f, lo: 0x30000000 };

describe('GBCS Service Responses', () => {
  const gbcs = new GbcsResponseBuilder();

  it('lay out CRA flag 02, the echoed counter, the two system titles and the message code', () => {
    const b = Buffer.from(gbcs.base64({ counter: 2 ** 40 + 77, deviceEuiHi: ESME.hi, deviceEuiLo: ESME.lo, recipientEuiHi: USER.hi, recipientEuiLo: USER.lo }), 'base64');
    expect(b.subarray(0, 3).toString('hex')).toBe('df0902');
    expect(b.readBigUInt64BE(3)).toBe(2n ** 40n + 77n);
    expect(b.subarray(11, 20).toString('hex')).toBe('0800db120112345678');
    expect(b.subarray(20, 29).toString('hex')).toBe('0890b3d51f30020003');
    expect(b[29]).toBe(0);
    expect(b.readUInt16BE(31)).toBe(MESSAGE_CODE_UNSPECIFIED);
    expect(b.subarray(33).toString('hex')).toBe(`05c701${(77).toString(16).padStart(2, '0')}000000`);
  });

  it('take a message code when one is given, and refuse counters out of range', () => {
    const b = Buffer.from(gbcs.base64({ counter: 1, messageCode: 0x0015, deviceEuiHi: 1, deviceEuiLo: 2, recipientEuiHi: 3, recipientEuiLo: 4 }), 'base64');
    expect(b.readUInt16BE(31)).toBe(0x0015);
    expect(() => gbcs.base64({ counter: -1, deviceEuiHi: 1, deviceEuiLo: 2, recipientEuiHi: 3, recipientEuiLo: 4 })).toThrow(/counter -1/);
  });
});

describe('DUIS Service Responses', () => {
  it('name the ServiceReference as the SRV\'s first two parts', () => {
    expect(serviceReference('6.14.1')).toBe('6.14');
    expect(serviceReference('2.2')).toBe('2.2');
    expect(serviceReference('4.10')).toBe('4.10');
  });

  it.skipIf(!HAVE_DUIS_XSD)('validate against duis54.xsd for every SRV and response code (needs ../shared/duis)', async () => {
    const gbcs = new GbcsResponseBuilder();
    const docs = SRV_CATALOGUE.flatMap((d, i) =>
      RESPONSE_CODES.map((c, j) => {
        const counter = i * 10 + j;
        const device = c.code === 'I0';
        return {
          fileName: `${d.srv}-${c.code}.xml`,
          contents: serviceResponseXml({
            srv: d.srv,
            responseCode: c.duis,
            requestId: duisId(USER.hi, USER.lo, ESME.hi, ESME.lo, counter),
            responseId: device ? duisId(ESME.hi, ESME.lo, USER.hi, USER.lo, counter) : duisId(ACB.hi, ACB.lo, USER.hi, USER.lo, counter),
            responseDateTime: T,
            gbcsPayload: device ? gbcs.base64({ counter, deviceEuiHi: ESME.hi, deviceEuiLo: ESME.lo, recipientEuiHi: USER.hi, recipientEuiLo: USER.lo }) : undefined,
          }),
        };
      }),
    );
    expect(await duisSchemaErrors(docs)).toEqual([]);
  }, 120_000);
});
