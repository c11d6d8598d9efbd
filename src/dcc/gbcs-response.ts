/**
 * GBCS Service Responses: what a device (or the Comms Hub Function) sends
 * back to the User that commanded it, as CSP North carries it in its
 * sendMessage record (seed 001 section 4.2: "the GB Companion Specification
 * formatted Service Response or Device Alert message"). Laid out as the
 * alerts of src/dcc/gbcs.ts, with the response's CRA flag:
 *
 *   DF 09                      general-signing tag
 *   02                         CRA flag (response)
 *   <8 bytes>                  originator counter: the command's counter, echoed
 *   08 <device EUI-64>         originator system title (the responding device)
 *   08 <recipient EUI-64>      recipient system title (the requesting User)
 *   00                         date-time absent
 *   02 <2 bytes>               other information: the GBCS message code
 *   05                         content length
 *   C7 01 <invoke id> 00 00    DLMS ACTION-RESPONSE-normal, success, no data
 *   00                         signature length: unsigned
 *
 * Assumptions, named: the sources (seeds, the RTDS alerts) give no GBCS
 * message code for any SRV's response, so the twin writes
 * MESSAGE_CODE_UNSPECIFIED (0x0000, no GBCS use case) rather than a code a
 * reader could take for a real one; and the response content is a bare
 * success, since the twin does not model what a read returns (the size of a
 * profile read is in its GBT blocks, src/network/comms-hub.ts).
 */

/** The message code a response carries when the sources give none for its SRV. */
export const MESSAGE_CODE_UNSPECIFIED = 0x0000;
/** CRA flag of a response (an alert's is 03, src/dcc/gbcs.ts). */
export const CRA_RESPONSE = 0x02;

const OFF_COUNTER = 3;
const OFF_DEVICE = 12;
const OFF_RECIPIENT = 21;
const OFF_MESSAGE_CODE = 31;
const OFF_INVOKE_ID = 36;
const CONTENT = [0xc7, 0x01, 0x00, 0x00, 0x00];
const LENGTH = 34 + CONTENT.length + 1;
const TWO32 = 4294967296;

export interface GbcsResponseFields {
  /** The command's originator counter (0 .. 2^53-1), which the response echoes. */
  counter: number;
  deviceEuiHi: number;
  deviceEuiLo: number;
  recipientEuiHi: number;
  recipientEuiLo: number;
  /** GBCS message code; MESSAGE_CODE_UNSPECIFIED when the sources give none. */
  messageCode?: number;
}

/** One preallocated buffer, patched per response (a run writes one per request answered by a hub). */
export class GbcsResponseBuilder {
  private readonly buf = Buffer.alloc(LENGTH);

  constructor() {
    const b = this.buf;
    b[0] = 0xdf;
    b[1] = 0x09;
    b[2] = CRA_RESPONSE;
    b[OFF_DEVICE - 1] = 0x08;
    b[OFF_RECIPIENT - 1] = 0x08;
    b[29] = 0x00;
    b[30] = 0x02;
    b[33] = CONTENT.length;
    b.set(CONTENT, 34);
  }

  /** Base64 of the response. */
  base64(r: GbcsResponseFields): string {
    const code = r.messageCode ?? MESSAGE_CODE_UNSPECIFIED;
    if (!(Number.isInteger(r.counter) && r.counter >= 0 && r.counter <= Number.MAX_SAFE_INTEGER)) {
      throw new RangeError(`counter ${r.counter} is not an integer in 0..2^53-1`);
    }
    if (!(Number.isInteger(code) && code >= 0 && code <= 0xffff)) throw new RangeError(`message code ${code} is not a 16-bit GBCS message code`);
    const b = this.buf;
    const hi = Math.floor(r.counter / TWO32);
    const lo = r.counter - hi * TWO32;
    b.writeUInt32BE(hi, OFF_COUNTER);
    b.writeUInt32BE(lo, OFF_COUNTER + 4);
    b.writeUInt32BE(r.deviceEuiHi >>> 0, OFF_DEVICE);
    b.writeUInt32BE(r.deviceEuiLo >>> 0, OFF_DEVICE + 4);
    b.writeUInt32BE(r.recipientEuiHi >>> 0, OFF_RECIPIENT);
    b.writeUInt32BE(r.recipientEuiLo >>> 0, OFF_RECIPIENT + 4);
    b.writeUInt16BE(code, OFF_MESSAGE_CODE);
    // Invoke-id-and-priority: the counter's low 7 bits with the priority bit clear.
    b[OFF_INVOKE_ID] = lo & 0x7f;
    return b.toString('base64');
  }
}
