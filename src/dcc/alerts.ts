/**
 * The alert catalogue: every alert the twin raises, who raises it, who
 * receives it, and how it travels (GBCS message code for Device Alerts, DUIS
 * body for DCC Alerts).
 *
 * Sources: DOMAIN.md "The alert journey"; seed 004 (Alerts Management: AD1,
 * 8F35, 8F36; DF2: 8F72, 8F1C; failure alerts N12, N13); seed 001 section 3.2
 * (Device Alerts aimed at the DSP's ACB become DCC Alerts N39, N53, N54, and
 * one Device Alert may trigger more than one DCC Alert) and section 5.2 (the
 * SIT sample: AD1; 8F3F, 810D, 8F0F; 8F72 (Firmware Update); N39, N53, N54,
 * N62); the GBCS alert code table for the names (8F3F tamper, 810D and 8F0F
 * prepayment credit, 8F72 and 8F1C firmware verification); mmc54.xsd and
 * duis54.xsd for the bodies (DualBandCHAlert is for Sub-GHz events, so only a
 * Sub-GHz CHF alert becomes N53/N54); ../shared/gbcs-rtds README (message
 * codes 0x0067, 0x00CE, 0x1000, 0x1001).
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
export type DccAlertBody =
  | 'PowerOutageEvent' | 'PPMIDAlert' | 'DualBandCHAlert' | 'CommsHubAlert' | 'CommandFailure'
  // The firmware path (duis54.xsd): a distribution given up, the CSP's delivery to the CHF, a version
  // the device does not run, a Comms Hub image activated (the CHF's transfer to another device is a
  // CommsHubAlert with FirmwareTransferAlert).
  | 'FirmwareDistributionFailure' | 'CSPFirmwareDeliveryStatus' | 'FirmwareVersionMismatch' | 'CommsHubFirmwareActivation';

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
  /** Device Alerts: the parsed body mmc54.xsd gives the alert (DeviceAlertMessagePayload), where it gives one. */
  readonly deviceAlertBody?: 'FirmwareVerificationDeviceAlert';
  /** A DCC Alert of the firmware path (N40-N44): its body describes an SRV 11.1 target (src/flows/firmware/). */
  readonly firmwarePath?: boolean;
  /** Raised only by meters in prepayment mode (the estate's payment mode). */
  readonly prepaymentOnly?: boolean;
  /** Where the facts come from. */
  readonly source: string;
  /** What the sources leave open and the twin chose. */
  readonly assumption?: string;
}

const RTDS = '../shared/gbcs-rtds README';
/** seed 001 section 5.2 lists 8F3F, 810D and 8F0F in the SIT sample; their names are the GBCS alert code table's (DOMAIN.md). */
const SIT_SAMPLE = 'seed 001 section 5.2 (SIT sample); name per the GBCS alert code table (DOMAIN.md "The alert journey")';
const FIRMWARE_VERIFICATION =
  'mmc54.xsd FirmwareVerificationDeviceAlertType ("Returned by device alerts 0x8F1C & 0x8F72": ManufacturerImageHash)';
const FDRA = `the Firmware Distribution Receipt Alert use case (0x00CE, ${RTDS}) with the image hash, as ${FIRMWARE_VERIFICATION} gives both codes one body`;

/** N53 and N54: the same body, from the same Sub-GHz hub alert. */
function dualBandDccAlert(code: 'N53' | 'N54'): AlertDefinition {
  return {
    code, name: 'DCC Alert carrying a dual-band Comms Hub Sub-GHz Device Alert', kind: 'dsp', raisedBy: 'DSP', receiver: 'supplier',
    dccAlertCodes: [], dccBody: 'DualBandCHAlert', source: 'seed 001 sections 3.2, 5.2; duis54.xsd DualBandCHAlert (Sub-GHz events of a dual-band CHF)',
    assumption: 'body DualBandCHAlert, carrying only Sub-GHz CHF alerts (the seeds name the code, not its body)',
  };
}

/**
 * The firmware path's DCC Alerts (seed 000 CR1421, CR1440: "DSP tracking and notification to
 * Service Users (new DCC Alerts at various stages of distribution: CSP -> Comms Hub ->
 * ESME/GSME/PPMID)"; CR1423). The seeds name the stages, duis54.xsd the bodies, neither the codes.
 */
function firmwareDccAlert(code: string, name: string, dccBody: DccAlertBody, when: string): AlertDefinition {
  return {
    code, name, kind: 'dsp', raisedBy: 'DSP', receiver: 'supplier', dccAlertCodes: [], dccBody, firmwarePath: true,
    source: `seed 000 CR1421, CR1423, CR1440 (DCC Alerts at each stage of firmware distribution); duis54.xsd ${dccBody === 'CommsHubAlert' ? 'CommsHubAlert with FirmwareTransferAlert' : dccBody}`,
    assumption: `the code ${code} is the twin's choice among the DCC Alert codes DUIS allows (N1-N65; the sources name none, and give only the body); raised ${when}, to the supplier that sent SRV 11.1`,
  };
}

/** N12 and N13: failure alerts after a request. */
function failureDccAlert(code: 'N12' | 'N13'): AlertDefinition {
  return {
    code, name: 'Failure alert after a request', kind: 'dsp', raisedBy: 'DSP', receiver: 'supplier',
    dccAlertCodes: [], dccBody: 'CommandFailure', source: 'seed 004 (Payload: failure alert codes N12, N13); duis54.xsd CommandFailure',
    assumption: 'body CommandFailure (the request that failed and its device)',
  };
}

export const ALERT_CATALOGUE: readonly AlertDefinition[] = Object.freeze([
  {
    code: 'AD1', name: 'Power Outage Event (CSP notification of an outage of 3 minutes or more)',
    kind: 'csp', raisedBy: 'CSP', receiver: 'networkOperator', dccAlertCodes: [], dccBody: 'PowerOutageEvent',
    source: 'seed 001 section 5.2; seed 004 Alerts Management; duis54.xsd PowerOutageEvent (CommsHubDeviceID, StartDateTime, MPxN)',
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
    code: '8F3F', name: 'Unauthorised Physical Access (tamper detect)', kind: 'device', raisedBy: 'ESME', receiver: 'supplier',
    alertCode: 0x8f3f, messageCode: 0x1000, gbcsContent: 'plain', dccAlertCodes: [],
    source: SIT_SAMPLE,
    assumption: `carried as a Generic Critical Alert (0x1000, ${RTDS}); raised by the ESME (a GSME's own tamper alert is not modelled)`,
  },
  {
    code: '810D', name: 'Combined Credit Below Low Credit Threshold (prepayment mode)', kind: 'device', raisedBy: 'ESME', receiver: 'supplier',
    alertCode: 0x810d, messageCode: 0x1001, gbcsContent: 'plain', dccAlertCodes: [], prepaymentOnly: true,
    source: SIT_SAMPLE,
    assumption: `carried as a Generic Non-Critical Alert (0x1001, like the 810E reference) but general-signed, not general-ciphered; raised by the premises' ESME when the premises is in prepayment mode`,
  },
  {
    code: '8F0F', name: 'Credit Below Disablement Threshold (prepayment mode)', kind: 'device', raisedBy: 'ESME', receiver: 'supplier',
    alertCode: 0x8f0f, messageCode: 0x1000, gbcsContent: 'plain', dccAlertCodes: [], prepaymentOnly: true,
    source: SIT_SAMPLE,
    assumption: `carried as a Generic Critical Alert (0x1000, ${RTDS}); raised by the premises' ESME when the premises is in prepayment mode`,
  },
  {
    code: '8F72', name: 'Firmware Verification Successful', kind: 'device', raisedBy: 'ESME', receiver: 'supplier',
    alertCode: 0x8f72, messageCode: 0x00ce, gbcsContent: 'firmwareHash', dccAlertCodes: [], deviceAlertBody: 'FirmwareVerificationDeviceAlert',
    source: `seed 004 DF2; seed 001 section 5.2 (Firmware Update); ${RTDS} (FDRA, message code 0x00CE); ${FIRMWARE_VERIFICATION}`,
  },
  {
    code: '8F1C', name: 'Firmware Verification Failed', kind: 'device', raisedBy: 'ESME', receiver: 'supplier',
    alertCode: 0x8f1c, messageCode: 0x00ce, gbcsContent: 'firmwareHash', dccAlertCodes: [], deviceAlertBody: 'FirmwareVerificationDeviceAlert',
    source: `seed 004 DF2; ${FIRMWARE_VERIFICATION}`,
    assumption: `the RTDS has no 8F1C; it travels as ${FDRA}`,
  },
  {
    code: '8F72@PPMID', name: 'Firmware Verification Successful (PPMID, to the ACB)', kind: 'device', raisedBy: 'PPMID', receiver: 'dsp',
    alertCode: 0x8f72, messageCode: 0x00ce, gbcsContent: 'firmwareHash', dccAlertCodes: ['N39'], deviceAlertBody: 'FirmwareVerificationDeviceAlert',
    source: 'seed 001 section 3.2 (PPMID Device Alerts reach Users as DCC Alerts: N39)',
  },
  {
    code: '8F1C@PPMID', name: 'Firmware Verification Failed (PPMID, to the ACB)', kind: 'device', raisedBy: 'PPMID', receiver: 'dsp',
    alertCode: 0x8f1c, messageCode: 0x00ce, gbcsContent: 'firmwareHash', dccAlertCodes: ['N39'], deviceAlertBody: 'FirmwareVerificationDeviceAlert',
    source: 'seed 001 section 3.2',
    assumption: `travels as ${FDRA}`,
  },
  {
    code: '8F72@CHF', name: 'Firmware Verification Successful (CHF, to the ACB)', kind: 'device', raisedBy: 'CHF', receiver: 'dsp',
    alertCode: 0x8f72, messageCode: 0x00ce, gbcsContent: 'firmwareHash', dccAlertCodes: ['N62'], deviceAlertBody: 'FirmwareVerificationDeviceAlert',
    source: 'seed 001 sections 3.2, 5.2',
    assumption: 'a Comms Hub firmware alert to the ACB becomes N62 (CommsHubAlert, the firmware path\'s hub body: DOMAIN.md "The alert journey")',
  },
  {
    code: '8F1C@CHF', name: 'Firmware Verification Failed (CHF, to the ACB)', kind: 'device', raisedBy: 'CHF', receiver: 'dsp',
    alertCode: 0x8f1c, messageCode: 0x00ce, gbcsContent: 'firmwareHash', dccAlertCodes: ['N62'], deviceAlertBody: 'FirmwareVerificationDeviceAlert',
    source: 'seed 001 sections 3.2, 5.2',
    assumption: `a Comms Hub firmware alert to the ACB becomes N62 (CommsHubAlert), never N53/N54, whose DualBandCHAlert body is for Sub-GHz events; travels as ${FDRA}`,
  },
  {
    code: '8F8D@CHF', name: 'Sub-GHz event of a dual-band CHF (to the ACB)', kind: 'device', raisedBy: 'CHF', receiver: 'dsp',
    alertCode: 0x8f8d, messageCode: 0x1000, gbcsContent: 'plain', dccAlertCodes: ['N53', 'N54'],
    source: 'seed 001 section 3.2 (N53 and N54 carry Device Alerts aimed at the DSP; one Device Alert may trigger more than one DCC Alert); duis54.xsd DualBandCHAlert (its events are all Sub-GHz: channel change, duty cycle, capacity)',
    assumption: 'the sources name no GBCS code for a Sub-GHz event: 0x8F8D is a stand-in for one, carried as a Generic Critical Alert, and each such alert yields both N53 and N54',
  },
  {
    code: 'N39', name: 'DCC Alert carrying a PPMID Device Alert', kind: 'dsp', raisedBy: 'DSP', receiver: 'supplier',
    dccAlertCodes: [], dccBody: 'PPMIDAlert', source: 'seed 001 sections 3.2, 5.2; duis54.xsd PPMIDAlert (DeviceID, DeviceAlertCode, Timestamp)',
    assumption: 'body PPMIDAlert: the schema\'s body for a PPMID\'s alert (the seeds name the code, not its body)',
  },
  dualBandDccAlert('N53'),
  dualBandDccAlert('N54'),
  {
    code: 'N62', name: 'DCC Alert carrying a Comms Hub firmware Device Alert', kind: 'dsp', raisedBy: 'DSP', receiver: 'supplier',
    dccAlertCodes: [], dccBody: 'CommsHubAlert', source: 'seed 001 section 5.2; duis54.xsd CommsHubAlert (CommsHubDeviceID, AlertCode, TimeStamp; optional FirmwareTransferAlert)',
    assumption: 'body CommsHubAlert, the firmware path\'s body for the hub\'s own alerts (DOMAIN.md); FirmwareTransferAlert (a transfer to another device) left out',
  },
  failureDccAlert('N12'),
  failureDccAlert('N13'),
  firmwareDccAlert('N40', 'Firmware distribution failure', 'FirmwareDistributionFailure', 'when the CSP or S1SP gives a device up'),
  firmwareDccAlert('N41', 'CSP firmware delivery status', 'CSPFirmwareDeliveryStatus', "when the CSP reports the image complete at the device's Comms Hub"),
  firmwareDccAlert('N42', 'Comms Hub firmware transfer to a device', 'CommsHubAlert', 'when the CHF has passed the image to a device that never acknowledges one itself (seed 003: IOC/MDS PPMIDs), its word being all the DCC gets; it carries CHF alert code 0x8F84, a stand-in (the sources name none)'),
  firmwareDccAlert('N43', 'Firmware version mismatch', 'FirmwareVersionMismatch', 'when SRV 11.3 fails: the device runs another version than the one the SMI records for it after the campaign'),
  firmwareDccAlert('N44', 'Comms Hub firmware activation', 'CommsHubFirmwareActivation', 'when a Comms Hub image is activated (seed 003: the DCC "can report on activation of the image")'),
] satisfies AlertDefinition[]);

/** Every catalogue key, in catalogue order (the index is the code index in the AlertTable). */
export const ALERT_CATALOGUE_CODES: readonly string[] = Object.freeze(ALERT_CATALOGUE.map((a) => a.code));

/**
 * The codes a scenario may name (background traffic, surges): every key but
 * the `<alert code>@<device>` variants and the firmware path's DCC Alerts
 * (they follow a firmwareCampaign's stages), in catalogue order.
 */
export const ALERT_CODES: readonly string[] = Object.freeze(
  ALERT_CATALOGUE.filter((a) => !a.code.includes('@') && a.firmwarePath !== true).map((a) => a.code),
);

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
