import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  ALERT_CATALOGUE,
  ALERT_CATALOGUE_CODES,
  alertByCode,
  alertCodeHex,
  alertIndex,
  requireAlert,
  ALERT_CODES,
} from '../../src/dcc/alerts.js';

describe('alert catalogue', () => {
  it('holds every code a scenario may name, each once', () => {
    for (const c of ALERT_CODES) expect(alertByCode(c)?.code, c).toBe(c);
    expect(new Set(ALERT_CATALOGUE_CODES).size).toBe(ALERT_CATALOGUE_CODES.length);
    expect(alertIndex('8F36')).toBe(ALERT_CATALOGUE_CODES.indexOf('8F36'));
    expect(alertIndex('nope')).toBe(-1);
    expect(alertByCode('nope')).toBeUndefined();
    expect(() => requireAlert('8F99')).toThrow(/unknown alert code "8F99"/);
  });

  it('records the facts the sources give', () => {
    expect(alertByCode('AD1')).toMatchObject({ kind: 'csp', raisedBy: 'CSP', receiver: 'networkOperator', dccBody: 'PowerOutageEvent' });
    expect(alertByCode('8F36')).toMatchObject({ kind: 'device', raisedBy: 'ESME', receiver: 'networkOperator', alertCode: 0x8f36, messageCode: 0x0067, gbcsContent: 'outage' });
    expect(alertByCode('8F35')).toMatchObject({ receiver: 'networkOperator', gbcsContent: 'outage' });
    expect(alertByCode('8F72')).toMatchObject({ receiver: 'supplier', messageCode: 0x00ce, gbcsContent: 'firmwareHash' });
    expect(alertByCode('8F1C')).toMatchObject({ receiver: 'supplier', alertCode: 0x8f1c });
    for (const c of ['N12', 'N13', 'N39', 'N53', 'N54', 'N62']) expect(alertByCode(c)?.kind, c).toBe('dsp');
  });

  it('names 8F3F, 810D, 8F0F as the GBCS alert code table does; only 8F72 and 8F1C are firmware alerts', () => {
    expect(alertByCode('8F3F')?.name).toMatch(/^Unauthorised Physical Access/);
    expect(alertByCode('810D')?.name).toMatch(/^Combined Credit Below Low Credit Threshold/);
    expect(alertByCode('8F0F')?.name).toMatch(/^Credit Below Disablement Threshold/);
    const firmware = ALERT_CATALOGUE.filter((a) => a.kind === 'device' && /firmware/i.test(a.name)).map((a) => a.alertCode);
    expect(new Set(firmware)).toEqual(new Set([0x8f72, 0x8f1c]));
    // Prepayment alerts come only from prepayment meters; nothing else is limited so.
    expect(ALERT_CATALOGUE.filter((a) => a.prepaymentOnly).map((a) => a.code).sort()).toEqual(['810D', '8F0F']);
  });

  it('gives 8F72 and 8F1C, from every device, the firmware verification body and the image hash (mmc54.xsd)', () => {
    const verification = ALERT_CATALOGUE.filter((a) => a.alertCode === 0x8f72 || a.alertCode === 0x8f1c);
    expect(verification.length).toBe(6);
    for (const a of verification) {
      expect(a, a.code).toMatchObject({ messageCode: 0x00ce, gbcsContent: 'firmwareHash', deviceAlertBody: 'FirmwareVerificationDeviceAlert' });
    }
  });

  it('turns only Sub-GHz hub alerts into N53/N54 (DualBandCHAlert), hub firmware alerts into N62, PPMID alerts into N39', () => {
    const raisers = (dcc: string) => ALERT_CATALOGUE.filter((a) => a.dccAlertCodes.includes(dcc)).map((a) => a.code).sort();
    expect(raisers('N53')).toEqual(['8F8D@CHF']);
    expect(raisers('N54')).toEqual(['8F8D@CHF']);
    expect(raisers('N62')).toEqual(['8F1C@CHF', '8F72@CHF']);
    expect(raisers('N39')).toEqual(['8F1C@PPMID', '8F72@PPMID']);
    expect(alertByCode('N53')?.dccBody).toBe('DualBandCHAlert');
    expect(alertByCode('N62')?.dccBody).toBe('CommsHubAlert');
    // A body the seeds do not give is an assumption said next to the entry.
    for (const a of ALERT_CATALOGUE.filter((x) => x.kind === 'dsp')) expect(a.assumption, a.code).toMatch(/body/);
  });

  it('is consistent: device alerts have GBCS fields, DCC alerts a body, ACB alerts name DCC alerts that exist', () => {
    const raisedFromDevice = new Set<string>();
    for (const a of ALERT_CATALOGUE) {
      if (a.kind === 'device') {
        expect(a.alertCode, a.code).toBeTypeOf('number');
        expect(a.messageCode, a.code).toBeTypeOf('number');
        expect(a.gbcsContent, a.code).toBeDefined();
        expect(a.code.startsWith(alertCodeHex(a.alertCode!)), a.code).toBe(true);
        expect(a.dccBody, a.code).toBeUndefined();
        if (a.receiver === 'dsp') {
          expect(a.dccAlertCodes.length, a.code).toBeGreaterThan(0);
          for (const d of a.dccAlertCodes) {
            expect(alertByCode(d)?.kind, `${a.code} -> ${d}`).toBe('dsp');
            raisedFromDevice.add(d);
          }
        } else expect(a.dccAlertCodes, a.code).toEqual([]);
      } else {
        expect(a.dccBody, a.code).toBeDefined();
        expect(a.receiver, a.code).not.toBe('dsp');
        expect(a.alertCode, a.code).toBeUndefined();
      }
    }
    // Seed 001 section 3.2: the DCC Alerts that carry Device Alert information, one Device Alert possibly giving several.
    expect([...raisedFromDevice].sort()).toEqual(['N39', 'N53', 'N54', 'N62']);
    expect(ALERT_CATALOGUE.some((a) => a.dccAlertCodes.length > 1)).toBe(true);
  });

  it('writes alert codes as DUIS hexBinary', () => {
    expect(alertCodeHex(0x8f36)).toBe('8F36');
    expect(alertCodeHex(0x810d)).toBe('810D');
    expect(alertCodeHex(0x67)).toBe('0067');
  });
});

const xsd = path.resolve(fileURLToPath(new URL('../..', import.meta.url)), '../shared/duis/duis54.xsd');

describe.skipIf(!existsSync(xsd))('catalogue against duis54.xsd (needs ../shared/duis next to the project)', () => {
  it('every DCC Alert code is in the schema DCCAlertCode enumeration and its body is a DCCAlert choice', () => {
    const text = readFileSync(xsd, 'utf8');
    const dccAlertMessage = text.slice(text.indexOf('<xs:complexType name="DCCAlertMessage">'));
    const dccAlert = text.slice(text.indexOf('<xs:complexType name="DCCAlert">'), text.indexOf('<xs:complexType name="DCCAlertMessage">'));
    for (const a of ALERT_CATALOGUE.filter((x) => x.kind !== 'device')) {
      expect(dccAlertMessage.includes(`<xs:enumeration value="${a.code}"/>`), a.code).toBe(true);
      expect(dccAlert.includes(`<xs:element name="${a.dccBody}" type="sr:${a.dccBody}"/>`), a.code).toBe(true);
    }
  });
});
