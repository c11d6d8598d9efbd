/**
 * The catalogue as the journey and the recorder use it: code indices, who
 * receives each alert, which device raises it, how feeds spell it.
 */
import { CHF_RAISER } from './table.js';
import { ESME, GSME, PPMID } from '../../estate/index.js';
import { ALERT_CATALOGUE, alertCodeHex, alertIndex } from '../../dcc/alerts.js';
import { TO_DSP, TO_NETWORK_OPERATOR, TO_SUPPLIER, type RoutingTable } from './journey.js';

/** Index of a catalogue key; an unknown key is a programming error here (scenarios are validated first). */
export function codeIndex(code: string): number {
  const i = alertIndex(code);
  if (i < 0) throw new RangeError(`unknown alert code ${JSON.stringify(code)}`);
  return i;
}

export function routingTable(): RoutingTable {
  const receiver = Uint8Array.from(
    ALERT_CATALOGUE.map((a) => (a.receiver === 'supplier' ? TO_SUPPLIER : a.receiver === 'networkOperator' ? TO_NETWORK_OPERATOR : TO_DSP)),
  );
  return { receiver, dccFollowUps: ALERT_CATALOGUE.map((a) => a.dccAlertCodes.map(codeIndex)) };
}

/** Per code index: the estate device type that raises it, CHF_RAISER for the hub itself, -1 for none (DCC Alerts). */
export function raiserDeviceType(): Int8Array {
  return Int8Array.from(
    ALERT_CATALOGUE.map((a) => {
      switch (a.raisedBy) {
        case 'ESME':
          return ESME;
        case 'GSME':
          return GSME;
        case 'PPMID':
          return PPMID;
        case 'CHF':
          return CHF_RAISER;
        default:
          return -1;
      }
    }),
  );
}

/** Per code index: the alert code as feeds and DUIS write it ("8F72" for 8F72@PPMID, "N39", "AD1"). */
export function feedAlertCodes(): string[] {
  return ALERT_CATALOGUE.map((a) => (a.alertCode !== undefined ? alertCodeHex(a.alertCode) : a.code));
}

/** Per code index: raised by the Comms Hub itself (1), whose EUI is then the originator. */
export function chfRaised(): Uint8Array {
  return Uint8Array.from(raiserDeviceType(), (t) => (t === CHF_RAISER ? 1 : 0));
}

/** Per code index: the 16-bit GBCS alert code and the GBCS message code (0 for DCC Alerts). */
export function gbcsCodes(): { alertCode: Int32Array; messageCode: Int32Array } {
  return {
    alertCode: Int32Array.from(ALERT_CATALOGUE.map((a) => a.alertCode ?? 0)),
    messageCode: Int32Array.from(ALERT_CATALOGUE.map((a) => a.messageCode ?? 0)),
  };
}
