import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ALERT_CATALOGUE } from '../../src/dcc/alerts.js';
import { GbcsAlertBuilder, defaultMessageCode, testSigningPublicKey } from '../../src/dcc/gbcs.js';
import { decodeGbcsAlert, hexToBytes, NotGeneralSigning, type DlmsAlertContent } from '../support/gbcs-decoder.js';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const rtdsDir = path.resolve(projectRoot, '../shared/gbcs-rtds');
const readHex = (name: string) => hexToBytes(readFileSync(path.join(rtdsDir, name), 'utf8'));

const T_2015 = Date.UTC(2015, 0, 1, 0, 0, 0);
const T_OUT_START = Date.UTC(2014, 11, 31, 23, 50, 0);
const T_OUT_END = Date.UTC(2014, 11, 31, 23, 59, 0);

describe.skipIf(!existsSync(rtdsDir))('GBCS reference alerts (needs ../shared/gbcs-rtds next to the project)', () => {
  it('reads the ECS80 8F36 example field by field as the README documents it', () => {
    const d = decodeGbcsAlert(readHex('ECS80_NA_8F36_ALERT_GBCS.HEX'));
    expect(d.craFlag).toBe(3);
    expect(d.originatorCounter).toBe(0x7d3n);
    expect(d.originatorSystemTitle).toBe('00DB1234567890A0');
    expect(d.recipientSystemTitle).toBe('90B3D51F30020000');
    expect(d.headerDateTime).toBeNull();
    expect(d.messageCode).toBe(0x0067);
    expect(d.contentLength).toBe(53);
    const c = d.content as DlmsAlertContent;
    expect(c.format).toBe('dlms');
    expect(c.invokeId).toBe(0x200007d3);
    expect(c.elements).toBe(4);
    expect(c.alertCode).toBe(0x8f36);
    expect(c.dateTimes).toEqual(['2015-01-01T00:00:00.000Z', '2014-12-31T23:50:00.000Z', '2014-12-31T23:59:00.000Z']);
    expect(d.signatureLength).toBe(64);
    expect(d.signature.slice(0, 8)).toBe('C9D61E2D');
    expect(d.length).toBe(152);
  });

  it('reads every general-signing reference alert and reports the general-ciphering ones', () => {
    const expected: Record<string, { messageCode: number; alertCode: number; signed: boolean } | 'ciphered'> = {
      'ECS80_NA_8F36_ALERT_GBCS.HEX': { messageCode: 0x0067, alertCode: 0x8f36, signed: true },
      'FDRA-DLMS_NA_8F72_ALERT_GBCS.HEX': { messageCode: 0x00ce, alertCode: 0x8f72, signed: true },
      'FDRA-ZigBee_NA_8F72_ALERT_GBCS.HEX': { messageCode: 0x00cf, alertCode: 0x8f72, signed: true },
      'GCA-DLMS_NA_8F30_ALERT_GBCS.HEX': { messageCode: 0x1000, alertCode: 0x8f30, signed: true },
      'GCA-ZigBee_NA_8F30_ALERT_GBCS.HEX': { messageCode: 0x1000, alertCode: 0x8f30, signed: true },
      // 810E generic non-critical alerts are general-ciphered (MAC), not general-signed.
      'GNCA-DLMS_NA_810E_ALERT_GBCS.HEX': 'ciphered',
      'GNCA-ZigBee_NA_810E_ALERT_GBCS.HEX': 'ciphered',
    };
    const files = readdirSync(rtdsDir).filter((f) => f.endsWith('.HEX')).sort();
    expect(files).toEqual(Object.keys(expected).sort());
    for (const f of files) {
      const want = expected[f];
      const bytes = readHex(f);
      if (want === 'ciphered') {
        expect(() => decodeGbcsAlert(bytes), f).toThrow(NotGeneralSigning);
        continue;
      }
      const d = decodeGbcsAlert(bytes);
      expect(d.length, f).toBe(bytes.length);
      expect(d.craFlag, f).toBe(3);
      expect(d.messageCode, f).toBe(want.messageCode);
      expect(d.content.alertCode, f).toBe(want.alertCode);
      expect(d.signatureLength, f).toBe(want.signed ? 64 : 0);
      if (d.content.format === 'dlms') expect(d.content.dateTimes[0], f).toBe('2015-01-01T00:00:00.000Z');
      else expect(d.content.alertTime, f).toBe('2015-01-01T00:00:00.000Z');
    }
    const fdra = decodeGbcsAlert(readHex('FDRA-DLMS_NA_8F72_ALERT_GBCS.HEX')).content as DlmsAlertContent;
    expect(fdra.octetStrings).toEqual(['01'.repeat(32)]);
  });

  it('builds the 8F36 reference byte for byte up to the signature', () => {
    const ref = readHex('ECS80_NA_8F36_ALERT_GBCS.HEX');
    const built = new GbcsAlertBuilder().payload({
      alertCode: 0x8f36, originatorCounter: 0x7d3,
      deviceEuiHi: 0x00db1234, deviceEuiLo: 0x567890a0,
      recipientEuiHi: 0x90b3d51f, recipientEuiLo: 0x30020000,
      alertTime: T_2015, outageStart: T_OUT_START, outageEnd: T_OUT_END,
    });
    const prefix = 34 + 53;
    expect(Buffer.from(built.subarray(0, prefix)).toString('hex')).toBe(Buffer.from(ref.subarray(0, prefix)).toString('hex'));
    expect(built[prefix]).toBe(0x00);
    expect(built.length).toBe(prefix + 1);
  });

  it('builds the GCA 8F30 and FDRA 8F72 references up to the signature', () => {
    const b = new GbcsAlertBuilder({ imageHash: new Uint8Array(32).fill(1) });
    const common = { originatorCounter: 0x7d0, deviceEuiHi: 0x00db1234, deviceEuiLo: 0x567890a0, recipientEuiHi: 0x90b3d51f, recipientEuiLo: 0x30010000, alertTime: T_2015 };
    for (const [file, alertCode, messageCode] of [
      ['GCA-DLMS_NA_8F30_ALERT_GBCS.HEX', 0x8f30, 0x1000],
      ['FDRA-DLMS_NA_8F72_ALERT_GBCS.HEX', 0x8f72, 0x00ce],
    ] as const) {
      const ref = readHex(file);
      const built = b.payload({ ...common, alertCode, messageCode });
      expect(built.length, file).toBe(ref.length - 64);
      expect(built.subarray(0, built.length - 1).toString('hex'), file).toBe(Buffer.from(ref.subarray(0, built.length - 1)).toString('hex'));
    }
  });
});

describe('GbcsAlertBuilder', () => {
  const deviceAlerts = ALERT_CATALOGUE.filter((a) => a.kind === 'device');

  it('has a device alert for every GBCS layout it builds', () => {
    expect(new Set(deviceAlerts.map((a) => a.gbcsContent))).toEqual(new Set(['outage', 'plain', 'firmwareHash']));
  });

  it('payloads decode to exactly the fields put in, for every device alert in the catalogue', () => {
    const b = new GbcsAlertBuilder();
    let i = 0;
    for (const a of deviceAlerts) {
      i++;
      const counter = 2 ** 40 + 0x123456 * i; // above 32 bits, to exercise both halves
      const alertTime = Date.UTC(2024, 1, 29, 13, 7, 9 + i, 870); // leap day; ms dropped
      const outageStart = Date.UTC(2023, 11, 31, 23, 59, 1);
      const outageEnd = Date.UTC(2024, 0, 1, 0, 4, 2);
      const payload = b.payloadBase64({
        alertCode: a.alertCode!, originatorCounter: counter,
        deviceEuiHi: 0xbc1e2b3c, deviceEuiLo: 0x00010000 + i, recipientEuiHi: 0x90b3d51f, recipientEuiLo: 0x30010000 + i,
        alertTime, outageStart, outageEnd,
      });
      const d = decodeGbcsAlert(Buffer.from(payload, 'base64'));
      expect(d.craFlag, a.code).toBe(3);
      expect(d.originatorCounter, a.code).toBe(BigInt(counter));
      expect(d.originatorSystemTitle, a.code).toBe(`BC1E2B3C${(0x00010000 + i).toString(16).toUpperCase().padStart(8, '0')}`);
      expect(d.recipientSystemTitle, a.code).toBe(`90B3D51F${(0x30010000 + i).toString(16).toUpperCase()}`);
      expect(d.messageCode, a.code).toBe(a.messageCode);
      expect(d.signatureLength, a.code).toBe(0);
      const c = d.content as DlmsAlertContent;
      expect(c.invokeId, a.code).toBe(0x20000000 + ((0x123456 * i) & 0xffffff));
      expect(c.alertCode, a.code).toBe(a.alertCode);
      const at = `2024-02-29T13:07:${String(9 + i).padStart(2, '0')}.000Z`;
      if (a.gbcsContent === 'outage') {
        expect(c.elements, a.code).toBe(4);
        expect(c.dateTimes, a.code).toEqual([at, '2023-12-31T23:59:01.000Z', '2024-01-01T00:04:02.000Z']);
      } else if (a.gbcsContent === 'firmwareHash') {
        expect(c.elements, a.code).toBe(3);
        expect(c.dateTimes, a.code).toEqual([at]);
        expect(c.octetStrings, a.code).toEqual(['00'.repeat(32)]);
        expect(c.imageHash, a.code).toBe('00'.repeat(32));
      } else {
        expect(c.elements, a.code).toBe(2);
        expect(c.dateTimes, a.code).toEqual([at]);
        expect(c.imageHash, a.code).toBeNull();
      }
    }
  });

  it('8F1C carries the manufacturer image hash like 8F72, in the same use case (mmc54.xsd: "Returned by device alerts 0x8F1C & 0x8F72")', () => {
    const hash = Uint8Array.from({ length: 32 }, (_, i) => (i * 37 + 11) & 0xff);
    const b = new GbcsAlertBuilder({ imageHash: hash });
    for (const code of [0x8f72, 0x8f1c]) {
      const d = decodeGbcsAlert(b.payload({ alertCode: code, originatorCounter: 5, deviceEuiHi: 1, deviceEuiLo: 2, recipientEuiHi: 3, recipientEuiLo: 4, alertTime: T_2015 }));
      expect(d.messageCode, code.toString(16)).toBe(0x00ce);
      const c = d.content as DlmsAlertContent;
      expect(c.alertCode).toBe(code);
      expect(c.imageHash, code.toString(16)).toBe(Buffer.from(hash).toString('hex').toUpperCase());
    }
  });

  it('writes a "not specified" date-time for a missing outage time', () => {
    const bytes = new GbcsAlertBuilder().payload({
      alertCode: 0x8f35, originatorCounter: 1, deviceEuiHi: 1, deviceEuiLo: 2, recipientEuiHi: 3, recipientEuiLo: 4, alertTime: T_2015,
    });
    expect((decodeGbcsAlert(bytes).content as DlmsAlertContent).dateTimes).toEqual(['2015-01-01T00:00:00.000Z', null, null]);
  });

  it('positional and named forms agree, and the same inputs give the same bytes', () => {
    const b = new GbcsAlertBuilder();
    const named = b.payloadBase64({ alertCode: 0x8f72, originatorCounter: 99, deviceEuiHi: 5, deviceEuiLo: 6, recipientEuiHi: 7, recipientEuiLo: 8, alertTime: T_2015 });
    b.base64(0x8f36, -1, 1, 1, 1, 1, 1, T_2015, T_2015, T_2015); // another template in between
    expect(b.base64(0x8f72, -1, 99, 5, 6, 7, 8, T_2015, NaN, NaN)).toBe(named);
    expect(new GbcsAlertBuilder().payloadBase64({ alertCode: 0x8f72, originatorCounter: 99, deviceEuiHi: 5, deviceEuiLo: 6, recipientEuiHi: 7, recipientEuiLo: 8, alertTime: T_2015 })).toBe(named);
  });

  it('takes the message code from the catalogue, or the caller', () => {
    expect(defaultMessageCode(0x8f36)).toBe(0x0067);
    expect(defaultMessageCode(0x8f72)).toBe(0x00ce);
    expect(defaultMessageCode(0x9999)).toBe(0x1000);
    const bytes = new GbcsAlertBuilder().payload({ alertCode: 0x8f36, messageCode: 0x0068, originatorCounter: 1, deviceEuiHi: 0, deviceEuiLo: 0, recipientEuiHi: 0, recipientEuiLo: 0, alertTime: T_2015 });
    expect(decodeGbcsAlert(bytes).messageCode).toBe(0x0068);
  });

  it('rejects a counter or alert code out of range with a clear message', () => {
    const b = new GbcsAlertBuilder();
    expect(() => b.base64(0x8f36, -1, -1, 0, 0, 0, 0, T_2015, NaN, NaN)).toThrow(/originatorCounter -1/);
    expect(() => b.base64(0x10000, -1, 1, 0, 0, 0, 0, T_2015, NaN, NaN)).toThrow(/alert code 65536/);
  });

  it('signs with ECDSA P-256 over the bytes after DF to the end of the content, verifiable with the public key', () => {
    const b = new GbcsAlertBuilder({ sign: true });
    const pub = testSigningPublicKey();
    for (const a of deviceAlerts) {
      const bytes = b.payload({ alertCode: a.alertCode!, originatorCounter: 7, deviceEuiHi: 1, deviceEuiLo: 2, recipientEuiHi: 3, recipientEuiLo: 4, alertTime: T_2015, outageStart: T_OUT_START, outageEnd: T_OUT_END });
      const d = decodeGbcsAlert(bytes);
      expect(d.signatureLength, a.code).toBe(64);
      const sig = Buffer.from(d.signature, 'hex');
      expect(verify('sha256', d.signedBytes, { key: pub, dsaEncoding: 'ieee-p1363' }, sig), a.code).toBe(true);
      const tampered = Buffer.from(d.signedBytes);
      tampered[20] ^= 1;
      expect(verify('sha256', tampered, { key: pub, dsaEncoding: 'ieee-p1363' }, sig), a.code).toBe(false);
    }
  });
});
