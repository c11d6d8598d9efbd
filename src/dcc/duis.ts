/**
 * The DUIS wire format: what a Service User receives, DUIS V5.4 `sr:Response` documents (schema
 * ../shared/duis/duis54.xsd), one line each, built from string templates.
 *
 * - Header: ResponseID (`<originator EUI>:<target EUI>:<counter>`, the
 *   schema's ResponseIDType), ResponseCode I0 (success; the code an alert
 *   carries), ResponseDateTime (xs:dateTime, UTC).
 * - Body: DeviceAlertMessage (AlertCode, optional ThrottledAlertSequenceId and
 *   ThrottledAlertCount, GBCSPayload) or DCCAlertMessage (DCCAlertCode,
 *   optional throttling fields, DCCAlert with the body the alert catalogue
 *   names for the code).
 * - Service Responses: Header with RequestID (`<User>:<device>:<counter>`,
 *   the request as the User sent it) before ResponseID, the response's own
 *   ResponseCode (DUIS spells the seeds' E201/E212 as E20/E21); Body a
 *   ResponseMessage naming the ServiceReference and ServiceReferenceVariant,
 *   with the device's GBCSPayload when one came back. The schema requires a
 *   Body (no header-only response); a response with nothing from a device
 *   (a DSP-only SRV, a failure) has the ResponseMessage with the two
 *   references alone, which the schema allows. Assumption: SMETS1 responses
 *   are written as ResponseMessage too (DUIS's SMETS1ResponseMessage carries
 *   S1SP data the twin does not model).
 */
import { alertByCode, alertCodeHex, type DccAlertBody } from './alerts.js';
import { xsDateTime } from './time.js';

export const DUIS_NAMESPACE = 'http://www.dccinterface.co.uk/ServiceUserGateway';
/** sr:Response@schemaVersion (xs:decimal). */
export const DUIS_SCHEMA_VERSION = '5.4';
/** ResponseCode of an alert: I0, success. */
export const ALERT_RESPONSE_CODE = 'I0';

const OPEN = `<sr:Response xmlns:sr="${DUIS_NAMESPACE}" schemaVersion="${DUIS_SCHEMA_VERSION}"><sr:Header>`;
const TWO32 = 4294967296;

const HEX2: string[] = [];
for (let i = 0; i < 256; i++) HEX2.push(i.toString(16).toUpperCase().padStart(2, '0'));

/** An EUI-64 as DUIS writes it: `90-B3-D5-1F-30-01-00-00`. */
export function euiText(hi: number, lo: number): string {
  return (
    HEX2[(hi >>> 24) & 0xff] + '-' + HEX2[(hi >>> 16) & 0xff] + '-' + HEX2[(hi >>> 8) & 0xff] + '-' + HEX2[hi & 0xff] + '-' +
    HEX2[(lo >>> 24) & 0xff] + '-' + HEX2[(lo >>> 16) & 0xff] + '-' + HEX2[(lo >>> 8) & 0xff] + '-' + HEX2[lo & 0xff]
  );
}

function counterText(n: number, what: string): string {
  if (!(Number.isInteger(n) && n >= 0 && n <= Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`${what} ${n} is not an integer in 0..2^53-1`);
  }
  return String(n);
}

/** `<originator>:<target>:<counter>`, the shape of the schema's ResponseIDType and RequestIDType. */
export function duisId(originatorHi: number, originatorLo: number, targetHi: number, targetLo: number, counter: number): string {
  return euiText(originatorHi, originatorLo) + ':' + euiText(targetHi, targetLo) + ':' + counterText(counter, 'counter');
}

/** Header and the Body's opening; an alert has no RequestID. */
function header(responseId: string, responseDateTime: number, responseCode = ALERT_RESPONSE_CODE, requestId?: string): string {
  return OPEN + (requestId === undefined ? '' : '<sr:RequestID>' + requestId + '</sr:RequestID>') +
    '<sr:ResponseID>' + responseId + '</sr:ResponseID><sr:ResponseCode>' + responseCode +
    '</sr:ResponseCode><sr:ResponseDateTime>' + xsDateTime(responseDateTime) + '</sr:ResponseDateTime></sr:Header><sr:Body>';
}

function throttling(sequenceId: number | undefined, count: number | undefined): string {
  let s = '';
  if (sequenceId !== undefined && sequenceId === sequenceId) {
    s += '<sr:ThrottledAlertSequenceId>' + unsignedInt(sequenceId, 'ThrottledAlertSequenceId') + '</sr:ThrottledAlertSequenceId>';
  }
  if (count !== undefined && count === count) {
    s += '<sr:ThrottledAlertCount>' + unsignedInt(count, 'ThrottledAlertCount') + '</sr:ThrottledAlertCount>';
  }
  return s;
}

function unsignedInt(n: number, what: string): string {
  if (!(Number.isInteger(n) && n >= 0 && n < TWO32)) throw new RangeError(`${what} ${n} is not an xs:unsignedInt`);
  return String(n);
}

function escapeText(s: string): string {
  return s.replace(/[<>&]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&amp;'));
}

export interface DeviceAlertXmlArgs {
  /** 16-bit GBCS alert code (0x8F36); written as hex. */
  alertCode: number;
  deviceEuiHi: number;
  deviceEuiLo: number;
  /** The receiving User's EUI-64. */
  recipientEuiHi: number;
  recipientEuiLo: number;
  /** The device's originator counter (the GBCS CRA counter). */
  counter: number;
  /** Unix ms. */
  responseDateTime: number;
  /** Base64 GBCS alert. */
  gbcsPayload: string;
  throttledAlertSequenceId?: number;
  throttledAlertCount?: number;
}

/** A DeviceAlertMessage; ResponseID = device : User : originator counter. */
export function deviceAlertXml(a: DeviceAlertXmlArgs): string {
  return header(duisId(a.deviceEuiHi, a.deviceEuiLo, a.recipientEuiHi, a.recipientEuiLo, a.counter), a.responseDateTime) +
    '<sr:DeviceAlertMessage><sr:AlertCode>' + alertCodeHex(a.alertCode) + '</sr:AlertCode>' +
    throttling(a.throttledAlertSequenceId, a.throttledAlertCount) +
    '<sr:GBCSPayload>' + a.gbcsPayload + '</sr:GBCSPayload></sr:DeviceAlertMessage></sr:Body></sr:Response>';
}

export interface DccAlertXmlArgs {
  /** AD1, N39, N53, N54, N62, N12, N13. */
  dccAlertCode: string;
  /** The DSP's EUI-64, originator of DCC Alerts. */
  originatorEuiHi: number;
  originatorEuiLo: number;
  recipientEuiHi: number;
  recipientEuiLo: number;
  /** The DSP's counter for this alert. */
  counter: number;
  responseDateTime: number;
  throttledAlertSequenceId?: number;
  throttledAlertCount?: number;
  /** The device concerned: the Comms Hub (AD1, N53, N54, N62), the PPMID (N39), the command's target (N12, N13). */
  deviceEuiHi: number;
  deviceEuiLo: number;
  /** AD1: StartDateTime (required); N39, N62: Timestamp (optional). Unix ms. */
  eventTime?: number;
  /** AD1: the import MPxN (1-13 characters). */
  mpxn?: string;
  /** N39, N53, N54, N62: the Device Alert the DCC Alert carries. */
  deviceAlertCode?: number;
  /** N53, N54: GBCSHexadecimalMessageCode (optional). */
  messageCode?: number;
  /** N12, N13: counter of the failed request (CommandRequestID = User : device : counter). */
  requestCounter?: number;
  /** The firmware path's alerts (N40-N44): what the body says of the image and its target. */
  firmware?: FirmwareAlertDetail;
}

/** The firmware path's DCC Alert bodies (duis54.xsd): the SRV 11.1 they follow, the image, the device. */
export interface FirmwareAlertDetail {
  /** Counter of the User's SRV 11.1 (UpdateFirmwareRequestID = User : target device : counter). */
  requestCounter: number;
  /** The device the image is for (the alert's own device is its Comms Hub for N41, N42). */
  targetEuiHi: number;
  targetEuiLo: number;
  /** DUIS FirmwareVersion: 1 to 8 characters. */
  version: string;
  /** N43: the version the device still runs. */
  deviceVersion?: string;
  deviceType: 'ESME' | 'GSME' | 'PPMID' | 'CHF';
  /** N41: CommsHubTransferStatus; N42: FileTransferSuccess or FileTransferFailure. */
  ok: boolean;
  /** N42: the CHF's alert code carried (hex). */
  hubAlertCode?: number;
}

/** A DCCAlertMessage with the body the alert catalogue names for the code. */
export function dccAlertXml(a: DccAlertXmlArgs): string {
  const def = alertByCode(a.dccAlertCode);
  if (!def || def.dccBody === undefined) {
    throw new Error(`DCC alert code "${a.dccAlertCode}" has no DUIS body in the alert catalogue (expected AD1, N39, N53, N54, N62, N12, N13 or N40-N44)`);
  }
  const device = euiText(a.deviceEuiHi, a.deviceEuiLo);
  let body: string;
  switch (def.dccBody) {
    case 'PowerOutageEvent': {
      if (a.eventTime === undefined || a.mpxn === undefined) throw new Error(`${a.dccAlertCode}: PowerOutageEvent needs eventTime (StartDateTime) and mpxn`);
      if (a.mpxn.length < 1 || a.mpxn.length > 13) throw new Error(`${a.dccAlertCode}: MPxN "${a.mpxn}" must be 1 to 13 characters`);
      body = '<sr:PowerOutageEvent><sr:CommsHubDeviceID>' + device + '</sr:CommsHubDeviceID><sr:StartDateTime>' +
        xsDateTime(a.eventTime) + '</sr:StartDateTime><sr:MPxN>' + escapeText(a.mpxn) + '</sr:MPxN></sr:PowerOutageEvent>';
      break;
    }
    case 'PPMIDAlert':
      body = '<sr:PPMIDAlert><sr:DeviceID>' + device + '</sr:DeviceID><sr:DeviceAlertCode>' + carried(a) + '</sr:DeviceAlertCode>' +
        (a.eventTime === undefined ? '' : '<sr:Timestamp>' + xsDateTime(a.eventTime) + '</sr:Timestamp>') + '</sr:PPMIDAlert>';
      break;
    case 'DualBandCHAlert':
      body = '<sr:DualBandCHAlert><sr:CHFDeviceID>' + device + '</sr:CHFDeviceID><sr:DeviceAlertCode>' + carried(a) + '</sr:DeviceAlertCode>' +
        (a.messageCode === undefined ? '' : '<sr:GBCSHexadecimalMessageCode>' + alertCodeHex(a.messageCode) + '</sr:GBCSHexadecimalMessageCode>') +
        '</sr:DualBandCHAlert>';
      break;
    case 'CommsHubAlert':
      // With firmware: the CHF's transfer of an image to another device (FirmwareTransferAlert).
      body = a.firmware !== undefined && def.firmwarePath === true
        ? firmwareBody('CommsHubAlert', a, device)
        : '<sr:CommsHubAlert><sr:CommsHubDeviceID>' + device + '</sr:CommsHubDeviceID><sr:AlertCode>' + carried(a) + '</sr:AlertCode>' +
          (a.eventTime === undefined ? '' : '<sr:TimeStamp>' + xsDateTime(a.eventTime) + '</sr:TimeStamp>') + '</sr:CommsHubAlert>';
      break;
    case 'FirmwareDistributionFailure':
    case 'CSPFirmwareDeliveryStatus':
    case 'FirmwareVersionMismatch':
    case 'CommsHubFirmwareActivation':
      body = firmwareBody(def.dccBody, a, device);
      break;
    case 'CommandFailure': {
      if (a.requestCounter === undefined) throw new Error(`${a.dccAlertCode}: CommandFailure needs requestCounter (the failed request's counter)`);
      body = '<sr:CommandFailure><sr:CommandRequestID>' +
        duisId(a.recipientEuiHi, a.recipientEuiLo, a.deviceEuiHi, a.deviceEuiLo, a.requestCounter) +
        '</sr:CommandRequestID><sr:DeviceID>' + device + '</sr:DeviceID></sr:CommandFailure>';
      break;
    }
  }
  return header(duisId(a.originatorEuiHi, a.originatorEuiLo, a.recipientEuiHi, a.recipientEuiLo, a.counter), a.responseDateTime) +
    '<sr:DCCAlertMessage><sr:DCCAlertCode>' + a.dccAlertCode + '</sr:DCCAlertCode>' +
    throttling(a.throttledAlertSequenceId, a.throttledAlertCount) +
    '<sr:DCCAlert>' + body + '</sr:DCCAlert></sr:DCCAlertMessage></sr:Body></sr:Response>';
}

function firmwareBody(kind: DccAlertBody, a: DccAlertXmlArgs, device: string): string {
  const f = a.firmware;
  if (f === undefined) throw new Error(`${a.dccAlertCode}: ${kind} needs firmware (the image and its target)`);
  const target = euiText(f.targetEuiHi, f.targetEuiLo);
  const requestId = duisId(a.recipientEuiHi, a.recipientEuiLo, f.targetEuiHi, f.targetEuiLo, f.requestCounter);
  const version = escapeText(f.version);
  const at = a.eventTime === undefined ? '' : xsDateTime(a.eventTime);
  switch (kind) {
    case 'FirmwareDistributionFailure':
      return '<sr:FirmwareDistributionFailure><sr:UpdateFirmwareRequestID>' + requestId + '</sr:UpdateFirmwareRequestID><sr:MeterIDs>' + target +
        '</sr:MeterIDs></sr:FirmwareDistributionFailure>';
    case 'CSPFirmwareDeliveryStatus':
      if (at === '') throw new Error(`${a.dccAlertCode}: CSPFirmwareDeliveryStatus needs eventTime (TimeStamp)`);
      return '<sr:CSPFirmwareDeliveryStatus><sr:UpdateFirmwareRequestID>' + requestId + '</sr:UpdateFirmwareRequestID><sr:CommsHubDeviceID>' + device +
        '</sr:CommsHubDeviceID><sr:TargetDeviceID>' + target + '</sr:TargetDeviceID><sr:FirmwareVersion>' + version + '</sr:FirmwareVersion><sr:TimeStamp>' +
        at + '</sr:TimeStamp><sr:CommsHubTransferStatus>' + (f.ok ? 'Success' : 'Failure') + '</sr:CommsHubTransferStatus></sr:CSPFirmwareDeliveryStatus>';
    case 'CommsHubAlert':
      if (f.hubAlertCode === undefined) throw new Error(`${a.dccAlertCode}: CommsHubAlert needs firmware.hubAlertCode`);
      return '<sr:CommsHubAlert><sr:CommsHubDeviceID>' + device + '</sr:CommsHubDeviceID><sr:AlertCode>' + alertCodeHex(f.hubAlertCode) + '</sr:AlertCode>' +
        (at === '' ? '' : '<sr:TimeStamp>' + at + '</sr:TimeStamp>') + '<sr:FirmwareTransferAlert><sr:UpdateFirmwareRequestID>' + requestId +
        '</sr:UpdateFirmwareRequestID><sr:OtherDeviceID>' + target + '</sr:OtherDeviceID><sr:FirmwareVersion>' + version +
        '</sr:FirmwareVersion><sr:TransferResponseCode>' + (f.ok ? 'FileTransferSuccess' : 'FileTransferFailure') + '</sr:TransferResponseCode></sr:FirmwareTransferAlert></sr:CommsHubAlert>';
    case 'FirmwareVersionMismatch':
      return '<sr:FirmwareVersionMismatch><sr:DeviceID>' + target + '</sr:DeviceID><sr:DeviceType>' + f.deviceType + '</sr:DeviceType><sr:FirmwareVersionSMI>' + version +
        '</sr:FirmwareVersionSMI><sr:FirmwareVersionDevice>' + escapeText(f.deviceVersion ?? f.version) + '</sr:FirmwareVersionDevice></sr:FirmwareVersionMismatch>';
    default:
      return '<sr:CommsHubFirmwareActivation><sr:DeviceID>' + target + '</sr:DeviceID><sr:FirmwareVersion>' + version + '</sr:FirmwareVersion></sr:CommsHubFirmwareActivation>';
  }
}

function carried(a: DccAlertXmlArgs): string {
  if (a.deviceAlertCode === undefined) throw new Error(`${a.dccAlertCode}: needs deviceAlertCode (the Device Alert it carries)`);
  return alertCodeHex(a.deviceAlertCode);
}

export interface ServiceResponseXmlArgs {
  /** SRV number as DUIS spells it ("4.8.1"); its ServiceReference is its first two parts ("4.8"). */
  srv: string;
  /** DUIS ResponseCode (I0, E20, E21, E1, E3). */
  responseCode: string;
  /** `<User>:<device>:<counter>` of the request (duisId). */
  requestId: string;
  /** `<originator>:<User>:<counter>`: the responding device, or the DSP when no device answered (duisId). */
  responseId: string;
  /** The DSP's send to the User, Unix ms. */
  responseDateTime: number;
  /** Base64 GBCS response from the device, when one came back. */
  gbcsPayload?: string;
}

/** The ServiceReference of an SRV: its first two parts ("6.14.1" -> "6.14", "2.2" -> "2.2"). */
export function serviceReference(srv: string): string {
  return srv.split('.').slice(0, 2).join('.');
}

/** A Service Response to the User that sent the request. */
export function serviceResponseXml(a: ServiceResponseXmlArgs): string {
  return header(a.responseId, a.responseDateTime, a.responseCode, a.requestId) +
    '<sr:ResponseMessage><sr:ServiceReference>' + serviceReference(a.srv) + '</sr:ServiceReference><sr:ServiceReferenceVariant>' +
    a.srv + '</sr:ServiceReferenceVariant>' +
    (a.gbcsPayload === undefined ? '' : '<sr:GBCSPayload>' + a.gbcsPayload + '</sr:GBCSPayload>') +
    '</sr:ResponseMessage></sr:Body></sr:Response>';
}
