import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { ALERT_CATALOGUE } from '../../src/dcc/alerts.js';
import { GbcsAlertBuilder } from '../../src/dcc/gbcs.js';
import { dccAlertXml, deviceAlertXml, duisId, euiText, type DccAlertXmlArgs } from '../../src/dcc/duis.js';
import { xsDateTime } from '../../src/dcc/time.js';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const duisDir = path.resolve(projectRoot, '../shared/duis');

const T = Date.UTC(2024, 5, 1, 12, 30, 15, 250);
const NO = { hi: 0x90b3d51f, lo: 0x30020000 };
const SUPPLIER = { hi: 0x90b3d51f, lo: 0x30010000 };
const DSP = { hi: 0x00000000, lo: 0x00000001 };
const ESME = { hi: 0xbc1e2b3c, lo: 0x00010203 };
const CH = { hi: 0xbc1e2b3c, lo: 0x000a0b0c };

function sampleDocuments(): Array<{ name: string; xml: string }> {
  const gbcs = new GbcsAlertBuilder();
  const docs: Array<{ name: string; xml: string }> = [];
  let counter = 1000;
  for (const a of ALERT_CATALOGUE) {
    for (const throttled of [false, true]) {
      const th = throttled ? { throttledAlertSequenceId: 17, throttledAlertCount: 4242 } : {};
      const to = a.receiver === 'networkOperator' ? NO : SUPPLIER;
      counter++;
      if (a.kind === 'device') {
        const payload = gbcs.payloadBase64({
          alertCode: a.alertCode!, originatorCounter: counter, deviceEuiHi: ESME.hi, deviceEuiLo: ESME.lo,
          recipientEuiHi: to.hi, recipientEuiLo: to.lo, alertTime: T, outageStart: T - 600_000, outageEnd: T - 1000,
        });
        docs.push({
          name: `${a.code}${throttled ? '-throttled' : ''}.xml`,
          xml: deviceAlertXml({
            alertCode: a.alertCode!, deviceEuiHi: ESME.hi, deviceEuiLo: ESME.lo, recipientEuiHi: to.hi, recipientEuiLo: to.lo,
            counter, responseDateTime: T + 2000, gbcsPayload: payload, ...th,
          }),
        });
      } else {
        const args: DccAlertXmlArgs = {
          dccAlertCode: a.code, originatorEuiHi: DSP.hi, originatorEuiLo: DSP.lo, recipientEuiHi: to.hi, recipientEuiLo: to.lo,
          counter, responseDateTime: T + 2000, deviceEuiHi: CH.hi, deviceEuiLo: CH.lo,
          eventTime: T - 180_000, mpxn: '1200012345678', deviceAlertCode: 0x8f72, messageCode: 0x00ce, requestCounter: 77, ...th,
          // The firmware path's alerts (N40-N44) describe the image and its target; the others ignore it.
          firmware: { requestCounter: 78, targetEuiHi: ESME.hi, targetEuiLo: ESME.lo, version: '2.2.0', deviceVersion: '2.1.0', deviceType: 'ESME', ok: true, hubAlertCode: 0x8f84 },
        };
        docs.push({ name: `${a.code}${throttled ? '-throttled' : ''}.xml`, xml: dccAlertXml(args) });
        if (!throttled && a.dccBody !== 'PowerOutageEvent' && a.dccBody !== 'CommandFailure' && a.dccBody !== 'CSPFirmwareDeliveryStatus') {
          // The optional parts of the body left out.
          docs.push({ name: `${a.code}-minimal.xml`, xml: dccAlertXml({ ...args, eventTime: undefined, messageCode: undefined }) });
        }
      }
    }
  }
  return docs;
}

async function validate(docs: Array<{ name: string; xml: string }>) {
  const read = (f: string) => readFileSync(path.join(duisDir, f), 'utf8');
  return validateXML({
    xml: docs.map((d) => ({ fileName: d.name, contents: d.xml })),
    schema: [{ fileName: 'duis54.xsd', contents: read('duis54.xsd') }],
    preload: ['mmc54.xsd', 'xmldsig-core-schema.xsd', 'XMLSchema.dtd', 'datatypes.dtd'].map((f) => ({ fileName: f, contents: read(f) })),
  });
}

describe.skipIf(!existsSync(duisDir))('DUIS documents against duis54.xsd (needs ../shared/duis next to the project)', () => {
  it('every message kind validates: each device alert, AD1, N39, N53, N54, N62, N12, N13, throttled and not', async () => {
    const docs = sampleDocuments();
    const codes = new Set(docs.map((d) => d.name.replace(/(-throttled|-minimal)?\.xml$/, '')));
    for (const c of ['AD1', '8F35', '8F36', '8F3F', '810D', '8F0F', '8F72', '8F1C', 'N39', 'N53', 'N54', 'N62', 'N12', 'N13']) expect(codes.has(c), c).toBe(true);
    expect(docs.filter((d) => d.xml.includes('ThrottledAlertCount')).length).toBe(ALERT_CATALOGUE.length);
    const result = await validate(docs);
    expect(result.errors.map((e) => e.rawMessage)).toEqual([]);
    expect(result.valid).toBe(true);
  }, 120_000);

  it('a deliberately broken document fails validation', async () => {
    const good = dccAlertXml({
      dccAlertCode: 'AD1', originatorEuiHi: DSP.hi, originatorEuiLo: DSP.lo, recipientEuiHi: NO.hi, recipientEuiLo: NO.lo,
      counter: 1, responseDateTime: T, deviceEuiHi: CH.hi, deviceEuiLo: CH.lo, eventTime: T, mpxn: '1200012345678',
    });
    const broken = [
      { name: 'bad-code.xml', xml: good.replace('<sr:DCCAlertCode>AD1<', '<sr:DCCAlertCode>N32<') },
      { name: 'bad-response-code.xml', xml: good.replace('>I0<', '>I1<') },
      { name: 'bad-order.xml', xml: good.replace(/<sr:ResponseCode>I0<\/sr:ResponseCode>(<sr:ResponseDateTime>[^<]*<\/sr:ResponseDateTime>)/, '$1<sr:ResponseCode>I0</sr:ResponseCode>') },
    ];
    for (const b of broken) expect(b.xml, b.name).not.toBe(good);
    const result = await validate(broken);
    expect(result.valid).toBe(false);
    // Every broken file is named in an error (summary lines carry no location).
    const failed = new Set(result.errors.flatMap((e) => (e.loc ? [e.loc.fileName] : [])));
    expect([...failed].sort()).toEqual(broken.map((b) => b.name).sort());
  }, 120_000);
});

describe('DUIS builders', () => {
  it('write one line with the exact header and body of a Device Alert', () => {
    const xml = deviceAlertXml({
      alertCode: 0x8f36, deviceEuiHi: 0x00db1234, deviceEuiLo: 0x567890a0, recipientEuiHi: NO.hi, recipientEuiLo: NO.lo,
      counter: 0x7d3, responseDateTime: Date.UTC(2015, 0, 1, 0, 0, 1, 5), gbcsPayload: 'AAEC', throttledAlertSequenceId: 3, throttledAlertCount: 9,
    });
    expect(xml).toBe(
      '<sr:Response xmlns:sr="http://www.dccinterface.co.uk/ServiceUserGateway" schemaVersion="5.4"><sr:Header>' +
      '<sr:ResponseID>00-DB-12-34-56-78-90-A0:90-B3-D5-1F-30-02-00-00:2003</sr:ResponseID><sr:ResponseCode>I0</sr:ResponseCode>' +
      '<sr:ResponseDateTime>2015-01-01T00:00:01.005Z</sr:ResponseDateTime></sr:Header><sr:Body><sr:DeviceAlertMessage>' +
      '<sr:AlertCode>8F36</sr:AlertCode><sr:ThrottledAlertSequenceId>3</sr:ThrottledAlertSequenceId><sr:ThrottledAlertCount>9</sr:ThrottledAlertCount>' +
      '<sr:GBCSPayload>AAEC</sr:GBCSPayload></sr:DeviceAlertMessage></sr:Body></sr:Response>',
    );
  });

  it('writes AD1 with PowerOutageEvent and N12 with CommandFailure', () => {
    const base = { originatorEuiHi: DSP.hi, originatorEuiLo: DSP.lo, recipientEuiHi: NO.hi, recipientEuiLo: NO.lo, counter: 5, responseDateTime: T, deviceEuiHi: CH.hi, deviceEuiLo: CH.lo };
    const ad1 = dccAlertXml({ ...base, dccAlertCode: 'AD1', eventTime: Date.UTC(2024, 0, 2, 3, 4, 5), mpxn: 'A&B' });
    expect(ad1).toContain('<sr:DCCAlertCode>AD1</sr:DCCAlertCode><sr:DCCAlert><sr:PowerOutageEvent><sr:CommsHubDeviceID>BC-1E-2B-3C-00-0A-0B-0C</sr:CommsHubDeviceID><sr:StartDateTime>2024-01-02T03:04:05.000Z</sr:StartDateTime><sr:MPxN>A&amp;B</sr:MPxN></sr:PowerOutageEvent>');
    expect(ad1).not.toContain('Throttled');
    const n12 = dccAlertXml({ ...base, dccAlertCode: 'N12', requestCounter: 42 });
    expect(n12).toContain('<sr:CommandFailure><sr:CommandRequestID>90-B3-D5-1F-30-02-00-00:BC-1E-2B-3C-00-0A-0B-0C:42</sr:CommandRequestID><sr:DeviceID>BC-1E-2B-3C-00-0A-0B-0C</sr:DeviceID></sr:CommandFailure>');
    expect(n12).not.toMatch(/\n/);
  });

  it('formats EUIs, ids and times', () => {
    expect(euiText(0xffffffff, 0)).toBe('FF-FF-FF-FF-00-00-00-00');
    expect(duisId(0, 1, 2, 3, 2 ** 53 - 1)).toBe('00-00-00-00-00-00-00-01:00-00-00-02-00-00-00-03:9007199254740991');
    expect(xsDateTime(Date.UTC(2023, 11, 31, 23, 59, 59, 999))).toBe('2023-12-31T23:59:59.999Z');
    expect(xsDateTime(Date.UTC(2024, 0, 1))).toBe('2024-01-01T00:00:00.000Z');
    expect(xsDateTime(Date.UTC(1969, 11, 31, 23, 0, 0, 1))).toBe('1969-12-31T23:00:00.001Z');
  });

  it('rejects bad input with a message naming the field', () => {
    const base = { originatorEuiHi: 0, originatorEuiLo: 0, recipientEuiHi: 0, recipientEuiLo: 0, counter: 1, responseDateTime: T, deviceEuiHi: 0, deviceEuiLo: 0 };
    expect(() => dccAlertXml({ ...base, dccAlertCode: 'N7' })).toThrow(/"N7" has no DUIS body/);
    expect(() => dccAlertXml({ ...base, dccAlertCode: 'AD1', eventTime: T })).toThrow(/AD1: PowerOutageEvent needs/);
    expect(() => dccAlertXml({ ...base, dccAlertCode: 'AD1', eventTime: T, mpxn: '12345678901234' })).toThrow(/1 to 13/);
    expect(() => dccAlertXml({ ...base, dccAlertCode: 'N39' })).toThrow(/N39: needs deviceAlertCode/);
    expect(() => dccAlertXml({ ...base, dccAlertCode: 'N13' })).toThrow(/N13: CommandFailure needs requestCounter/);
    expect(() => dccAlertXml({ ...base, dccAlertCode: 'N53', deviceAlertCode: 1, throttledAlertCount: -1 })).toThrow(/ThrottledAlertCount -1/);
    expect(() => deviceAlertXml({ ...base, alertCode: 0x8f36, gbcsPayload: '', counter: 1.5 })).toThrow(/counter 1.5/);
  });
});
