/**
 * An independent reader of GBCS alerts, written from the byte layout in
 * ../shared/gbcs-rtds/README.md (it shares no code with the builder, so a
 * mistake in one shows up against the other). It reads the general-signing
 * form; general-ciphering messages (tag DD) are reported as such.
 */

export interface DecodedGbcsAlert {
  wrapper: 'generalSigning';
  craFlag: number;
  /** Originator counter, 8 bytes big-endian. */
  originatorCounter: bigint;
  /** Upper-case hex of the 8-byte system titles. */
  originatorSystemTitle: string;
  recipientSystemTitle: string;
  /** Hex of the header date-time, null when absent (00). */
  headerDateTime: string | null;
  messageCode: number;
  contentLength: number;
  content: DlmsAlertContent | GbzAlertContent;
  signatureLength: number;
  /** Upper-case hex, '' when unsigned. */
  signature: string;
  /** Bytes covered by the signature: from the byte after DF to the end of the content. */
  signedBytes: Uint8Array;
  /** Total bytes read. */
  length: number;
}

export interface DlmsAlertContent {
  format: 'dlms';
  /** Long-invoke-id-and-priority, 4 bytes. */
  invokeId: number;
  /** Number of elements in the notification's structure. */
  elements: number;
  alertCode: number;
  /** Every octet-string of 12 bytes decoded as a COSEM date-time, in order (null = not specified). */
  dateTimes: Array<string | null>;
  /** Other octet-strings, upper-case hex. */
  octetStrings: string[];
  /**
   * The 32-byte octet-string of a firmware verification alert (8F72, 8F1C):
   * the manufacturer image hash, upper-case hex (mmc54.xsd
   * FirmwareVerificationDeviceAlertType, ManufacturerImageHash); null if none.
   */
  imageHash: string | null;
}

export interface GbzAlertContent {
  format: 'gbz';
  profileId: number;
  alertCode: number;
  /** UTC time (seconds since 2000-01-01) as ISO. */
  alertTime: string;
  /** Bytes after the time, upper-case hex. */
  rest: string;
}

export class NotGeneralSigning extends Error {
  constructor(readonly tag: number) {
    super(tag === 0xdd ? 'general-ciphering message (tag DD): not read by this decoder' : `unknown GBCS tag 0x${tag.toString(16)}`);
  }
}

export function hexToBytes(hex: string): Uint8Array {
  const clean = hex.replace(/\s+/g, '');
  if (clean.length % 2 !== 0 || /[^0-9a-fA-F]/.test(clean)) throw new Error('not a hex string');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function hex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s.toUpperCase();
}

class Reader {
  pos = 0;
  constructor(readonly b: Uint8Array) {}
  u8(): number {
    if (this.pos >= this.b.length) throw new Error(`truncated at byte ${this.pos}`);
    return this.b[this.pos++];
  }
  u16(): number {
    return (this.u8() << 8) | this.u8();
  }
  u32(): number {
    return this.u16() * 65536 + this.u16();
  }
  bytes(n: number): Uint8Array {
    if (this.pos + n > this.b.length) throw new Error(`truncated: want ${n} bytes at ${this.pos}`);
    const out = this.b.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  expect(v: number, what: string): void {
    const got = this.u8();
    if (got !== v) throw new Error(`${what}: expected 0x${v.toString(16)} at byte ${this.pos - 1}, got 0x${got.toString(16)}`);
  }
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** COSEM date-time (12 bytes) to ISO `YYYY-MM-DDTHH:MM:SS.ssZ`-style string; null if the date is not specified. */
export function cosemDateTimeToIso(b: Uint8Array): string | null {
  const year = (b[0] << 8) | b[1];
  if (year === 0xffff || b[2] === 0xff || b[3] === 0xff) return null;
  const hundredths = b[8] === 0xff ? 0 : b[8];
  return `${pad(year, 4)}-${pad(b[2])}-${pad(b[3])}T${pad(b[5])}:${pad(b[6])}:${pad(b[7])}.${pad(hundredths * 10, 3)}Z`;
}

function readDlms(r: Reader, end: number): DlmsAlertContent {
  r.expect(0x0f, 'DATA-NOTIFICATION tag');
  const invokeId = r.u32();
  r.expect(0x00, 'DATA-NOTIFICATION date-time (absent)');
  r.expect(0x02, 'structure tag');
  const elements = r.u8();
  let alertCode = -1;
  const dateTimes: Array<string | null> = [];
  const octetStrings: string[] = [];
  for (let i = 0; i < elements; i++) {
    const tag = r.u8();
    if (tag === 0x12) {
      const v = r.u16();
      if (alertCode < 0) alertCode = v;
    } else if (tag === 0x09) {
      const n = r.u8();
      const s = r.bytes(n);
      if (n === 12) dateTimes.push(cosemDateTimeToIso(s));
      else octetStrings.push(hex(s));
    } else if (tag === 0x11) r.u8();
    else if (tag === 0x06) r.u32();
    else throw new Error(`unexpected DLMS data tag 0x${tag.toString(16)} at byte ${r.pos - 1}`);
  }
  if (r.pos !== end) throw new Error(`content length says the content ends at ${end}, structure ends at ${r.pos}`);
  const imageHash = octetStrings.find((o) => o.length === 64) ?? null;
  return { format: 'dlms', invokeId, elements, alertCode, dateTimes, octetStrings, imageHash };
}

function readGbz(r: Reader, end: number): GbzAlertContent {
  const profileId = r.u16();
  r.u8();
  const alertCode = r.u16();
  const t = r.u32();
  const alertTime = new Date(Date.UTC(2000, 0, 1) + t * 1000).toISOString();
  const rest = hex(r.bytes(end - r.pos));
  return { format: 'gbz', profileId, alertCode, alertTime, rest };
}

export function decodeGbcsAlert(bytes: Uint8Array): DecodedGbcsAlert {
  const r = new Reader(bytes);
  const tag = r.u8();
  if (tag !== 0xdf) throw new NotGeneralSigning(tag);
  r.expect(0x09, 'general-signing tag');
  const craFlag = r.u8();
  const counter = r.bytes(8);
  let originatorCounter = 0n;
  for (const x of counter) originatorCounter = (originatorCounter << 8n) | BigInt(x);
  r.expect(0x08, 'originator system title length');
  const originatorSystemTitle = hex(r.bytes(8));
  r.expect(0x08, 'recipient system title length');
  const recipientSystemTitle = hex(r.bytes(8));
  const dtLen = r.u8();
  const headerDateTime = dtLen === 0 ? null : hex(r.bytes(dtLen));
  r.expect(0x02, 'other information length');
  const messageCode = r.u16();
  const contentLength = r.u8();
  const start = r.pos;
  const end = start + contentLength;
  if (end > bytes.length) throw new Error(`content length ${contentLength} runs past the message`);
  const content = bytes[start] === 0x0f ? readDlms(r, end) : readGbz(r, end);
  const signedBytes = bytes.slice(1, end);
  const signatureLength = r.u8();
  const signature = hex(r.bytes(signatureLength));
  return {
    wrapper: 'generalSigning', craFlag, originatorCounter, originatorSystemTitle, recipientSystemTitle,
    headerDateTime, messageCode, contentLength, content, signatureLength, signature, signedBytes, length: r.pos,
  };
}
