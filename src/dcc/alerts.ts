/**
 * The alert catalogue: every alert the twin raises, who raises it, who
 * receives it, and how it travels (GBCS message code for Device Alerts, DUIS
 * body for DCC Alerts).
 *
 * Sources: DOMAIN.md "The alert journey"; seed 004 (Alerts Management: AD1,
 * 8F35, 8F36; DF2: 8F72, 8F1C; failure alerts N12, N13); seed 001 section 3.2
 * (Device Alerts aimed at the DSP's ACB become DCC Alerts N39, N53, N54, and
 * one Device Alert may trigger more than one DCC Alert) and section 5.2 (AD1;
 * 8F3F, 810D, 8F0F, 8F72 under Firmware Update; N39, N53, N54, N62);
 * ../shared/gbcs-rtds README (message codes 0x0067, 0x00CE, 0x1000, 0x1001).
 * Where the sources do not say, the entry carries an `assumption` naming what
 * was chosen.
 *
 * `code` is the catalogue key. For most entries it is the alert code itself;
 * the same GBCS alert raised by a PPMID or a CHF (which cannot target a User
 * directly, seed 001 section 3.2) is aimed at the DSP instead, so it has its
 * own entry keyed `<alert code>@<device>`.
 */

/** 'device': a Device Alert; 'csp': a DCC Alert from CSP information; 'dsp': a DCC Alert raised by the DSP. */
export type AlertKind = 'device' | 'csp' | 'dsp';
export type AlertRaiser = 'ESME' | 'GSME' | 'CHF' | 'PPMID' | 'CSP' | 'DSP';
/** 'dsp': a Device Alert aimed at the DSP's ACB, which raises DCC Alerts from it. */
export type AlertReceiver = 'supplier' | 'networkOperator' | 'dsp';
/** How the GBCS DATA-NOTIFICATION content of a Device Alert is laid out. */
export type GbcsContent =
  /** alert code, alert time, outage start, outage end (the ECS80 8F36 reference) */
  | 'outage'
  /** alert code, alert time (the GCA 8F30 reference) */
  | 'plain'
  /** alert code, alert time, 32-byte image hash (the FDRA 8F72 reference) */
  | 'firmwareHash';
/** The DUIS DCCAlert body a DCC Alert carries (duis54.xsd, complexType DCCAlert). */
export type DccAlertBody = 'PowerOutageEvent' | 'PPMIDAlert' | 'DualBandCHAlert' | 'CommsHubAlert' | 'CommandFailure';

export interface AlertDefinition {
  /** Catalogue key (the alert code, or `<alert code>@<device>`). */
  readonly code: string;
  readonly name: string;
  readonly kind: AlertKind;
  readonly raisedBy: AlertRaiser;
  readonly receiver: AlertReceiver;
  /** Device Alerts: the 16-bit GBCS alert code (0x8F36); DUIS AlertCode is its hex. */
  readonly alertCode?: number;
  /** Device Alerts: the GBCS message code (0x0067). */
  readonly messageCode?: number;
  readonly gbcsContent?: GbcsContent;
  /** Device Alerts aimed at the DSP: the DCC Alerts raised from it. */
  readonly dccAlertCodes: readonly string[];
  /** DCC Alerts: the DUIS body. */
  readonly dccBody?: DccAlertBody;
  /** Where the facts come from. */
  readonly source: string;
  /** What the sources leave open and the twin chose. */
  readonly assumption?: string;
}

const RTDS = '../shared/gbcs-rtds README';
const FIRMWARE_GROUP = 'seed 001 section 5.2 lists it under Firmware Update; its GBCS name and use case are not in the sources';

export const ALERT_CATALOGUE: readonly AlertDefinition[] = Object.freeze([
  {
    code: 'AD1', name: 'Power Outage Event (CSP notification of an outage of 3 minutes or more)',
    kind: 'csp', raisedBy: 'CSP', receiver: 'networkOperator', dccAlertCodes: [], dccBody: 'PowerOutageEvent',
    source: 'seed 001 section 5.2; seed 004 Alerts Management; duis54.xsd PowerOutageEvent',
  },
  {
    code: '8F35', name: 'Supply Outage Restored', kind: 'device', raisedBy: 'ESME', receiver: 'networkOperator',
    alertCode: 0x8f35, messageCode: 0x0067, gbcsContent: 'outage', dccAlertCodes: [],
    source: 'seed 004 Alerts Management',
    assumption: 'the RTDS gives only the 8F36 form of the supply-outage-restored alert; 8F35 uses the same use case (message code 0x0067, outage start and end)',
  },
  {
    code: '8F36', name: 'Supply Outage Restored - Outage >= 3 minutes', kind: 'device', raisedBy: 'ESME', receiver: 'networkOperator',
    alertCode: 0x8f36, messageCode: 0x0067, gbcsContent: 'outage', dccAlertCodes: [],
    source: `seed 004 Alerts Management; ${RTDS} (ECS80, message code 0x0067)`,
  },
  {
    code: '8F3F', name: 'Firmware Update alert 8F3F', kind: 'device', raisedBy: 'ESME', receiver: 'supplier',
    alertCode: 0x8f3f, messageCode: 0x1000, gbcsContent: 'plain', dccAlertCodes: [],
    source: 'seed 001 section 5.2',
    assumption: `${FIRMWARE_GROUP}; carried as a Generic Critical Alert (0x1000, ${RTDS})`,
  },
  {
    code: '810D', name: 'Firmware Update alert 810D', kind: 'device', raisedBy: 'ESME', receiver: 'supplier',
    alertCode: 0x810d, messageCode: 0x1001, gbcsContent: 'plain', dccAlertCodes: [],
    source: 'seed 001 section 5.2',
    assumption: `${FIRMWARE_GROUP}; carried as a Generic Non-Critical Alert (0x1001, like the 810E reference) but general-signed, not general-ciphered`,
  },
  {
    code: '8F0F', name: 'Firmware Update alert 8F0F', kind: 'device', raisedBy: 'ESME', receiver: 'supplier',
    alertCode: 0x8f0f, messageCode: 0x1000, gbcsContent: 'plain', dccAlertCodes: [],
    source: 'seed 001 section 5.2',
    assumption: `${FIRMWARE_GROUP}; carried as a Generic Critical Alert (0x1000, ${RTDS})`,
  },
  {
    code: '8F72', name: 'Firmware Verification Successful', kind: 'device', raisedBy: 'ESME', receiver: 'supplier',
    alertCode: 0x8f72, messageCode: 0x00ce, gbcsContent: 'firmwareHash', dccAlertCodes: [],
    source: `seed 004 DF2; ${RTDS} (FDRA, message code 0x00CE)`,
  },
  {
    code: '8F1C', name: 'Firmware Verification Failed', kind: 'device', raisedBy: 'ESME', receiver: 'supplier',
    alertCode: 0x8f1c, messageCode: 0x1000, gbcsContent: 'plain', dccAlertCodes: [],
    source: 'seed 004 DF2',
    assumption: `carried as a Generic Critical Alert (0x1000, ${RTDS}); no image hash`,
  },
  {
    code: '8F72@PPMID', name: 'Firmware Verification Successful (PPMID, to the ACB)', kind: 'device', raisedBy: 'PPMID', receiver: 'dsp',
    alertCode: 0x8f72, messageCode: 0x00ce, gbcsContent: 'firmwareHash', dccAlertCodes: ['N39'],
    source: 'seed 001 section 3.2 (PPMID Device Alerts reach Users as DCC Alerts)',
    assumption: 'a PPMID firmware alert becomes N39',
  },
  {
    code: '8F1C@PPMID', name: 'Firmware Verification Failed (PPMID, to the ACB)', kind: 'device', raisedBy: 'PPMID', receiver: 'dsp',
    alertCode: 0x8f1c, messageCode: 0x1000, gbcsContent: 'plain', dccAlertCodes: ['N39'],
    source: 'seed 001 section 3.2',
    assumption: 'a PPMID firmware alert becomes N39',
  },
  {
    code: '8F1C@CHF', name: 'Firmware Verification Failed (CHF, to the ACB)', kind: 'device', raisedBy: 'CHF', receiver: 'dsp',
    alertCode: 0x8f1c, messageCode: 0x1000, gbcsContent: 'plain', dccAlertCodes: ['N53', 'N54'],
    source: 'seed 001 section 3.2 (one Device Alert may trigger more than one DCC Alert)',
    assumption: 'a CHF alert to the ACB becomes N53 and N54',
  },
  {
    code: '8F72@CHF', name: 'Firmware Verification Successful (CHF, to the ACB)', kind: 'device', raisedBy: 'CHF', receiver: 'dsp',
    alertCode: 0x8f72, messageCode: 0x00ce, gbcsContent: 'firmwareHash', dccAlertCodes: ['N62'],
    source: 'seed 001 section 3.2',
    assumption: 'a CHF firmware alert to the ACB becomes N62',
  },
  {
    code: 'N39', name: 'DCC Alert carrying a PPMID Device Alert', kind: 'dsp', raisedBy: 'DSP', receiver: 'supplier',
    dccAlertCodes: [], dccBody: 'PPMIDAlert', source: 'seed 001 sections 3.2, 5.2',
    assumption: 'body PPMIDAlert (the sources name the code, not its body)',
  },
  {
    code: 'N53', name: 'DCC Alert carrying a Comms Hub Device Alert', kind: 'dsp', raisedBy: 'DSP', receiver: 'supplier',
    dccAlertCodes: [], dccBody: 'DualBandCHAlert', source: 'seed 001 sections 3.2, 5.2',
    assumption: 'body DualBandCHAlert (the sources name the code, not its body)',
  },
  {
    code: 'N54', name: 'DCC Alert carrying a Comms Hub Device Alert', kind: 'dsp', raisedBy: 'DSP', receiver: 'supplier',
    dccAlertCodes: [], dccBody: 'DualBandCHAlert', source: 'seed 001 sections 3.2, 5.2',
    assumption: 'body DualBandCHAlert (the sources name the code, not its body)',
  },
  {
    code: 'N62', name: 'DCC Alert carrying a Comms Hub firmware Device Alert', kind: 'dsp', raisedBy: 'DSP', receiver: 'supplier',
    dccAlertCodes: [], dccBody: 'CommsHubAlert', source: 'seed 001 section 5.2',
    assumption: 'body CommsHubAlert (the sources name the code, not its body)',
  },
  {
    code: 'N12', name: 'Failure alert after a request', kind: 'dsp', raisedBy: 'DSP', receiver: 'supplier',
    dccAlertCodes: [], dccBody: 'CommandFailure', source: 'seed 004 (Payload: failure alert codes N12, N13)',
    assumption: 'body CommandFailure (the request that failed and its device)',
  },
  {
    code: 'N13', name: 'Failure alert after a request', kind: 'dsp', raisedBy: 'DSP', receiver: 'supplier',
    dccAlertCodes: [], dccBody: 'CommandFailure', source: 'seed 004 (Payload: failure alert codes N12, N13)',
    assumption: 'body CommandFailure (the request that failed and its device)',
  },
] satisfies AlertDefinition[]);

/** Every catalogue key, in catalogue order (the index is the code index in the AlertTable). */
export const ALERT_CATALOGUE_CODES: readonly string[] = Object.freeze(ALERT_CATALOGUE.map((a) => a.code));

/**
 * The codes a scenario may name (background traffic, surges): every key but
 * the `<alert code>@<device>` variants, in catalogue order.
 */
export const ALERT_CODES: readonly string[] = Object.freeze(ALERT_CATALOGUE_CODES.filter((c) => !c.includes('@')));

const byCode = new Map<string, number>(ALERT_CATALOGUE.map((a, i) => [a.code, i]));

/** The catalogue entry for a key, or undefined. */
export function alertByCode(code: string): AlertDefinition | undefined {
  const i = byCode.get(code);
  return i === undefined ? undefined : ALERT_CATALOGUE[i];
}

/** Position of a key in ALERT_CATALOGUE, or -1. */
export function alertIndex(code: string): number {
  return byCode.get(code) ?? -1;
}

/** Like alertByCode, but a missing code is an error naming it. */
export function requireAlert(code: string): AlertDefinition {
  const a = alertByCode(code);
  if (!a) throw new Error(`unknown alert code "${code}": the catalogue knows ${ALERT_CATALOGUE_CODES.join(', ')}`);
  return a;
}

/** Upper-case 4-digit hex of a GBCS alert code, as DUIS AlertCode writes it (0x8f36 -> "8F36"). */
export function alertCodeHex(alertCode: number): string {
  return (alertCode & 0xffff).toString(16).toUpperCase().padStart(4, '0');
}
