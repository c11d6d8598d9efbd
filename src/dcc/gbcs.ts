/**
 * GBCS alert payloads, laid out as the DCC's Reference Test Data Set lays
 * them out (../shared/gbcs-rtds README, the ECS80 8F36 example):
 *
 *   DF 09                      general-signing tag
 *   03                         CRA flag (alert)
 *   <8 bytes>                  originator counter
 *   08 <device EUI-64>         originator system title
 *   08 <recipient EUI-64>      recipient system title (the receiving User)
 *   00                         date-time absent
 *   02 <2 bytes>               other information: the GBCS message code
 *   <1 byte>                   content length
 *   0F <4 bytes> 00            DLMS DATA-NOTIFICATION, long-invoke-id, no date
 *   02 <n>                     structure of n elements:
 *     12 <2 bytes>               alert code (long-unsigned)
 *     09 0C <12 bytes>           alert time, COSEM date-time
 *     [09 0C <12> 09 0C <12>]    outage alerts: outage start and end
 *     [09 20 <32 bytes>]         firmware receipt alerts: image hash
 *   00 | 40 <r||s>             signature length, ECDSA P-256 signature
 *
 * Built millions of times in a storm, so each (alert code, message code)
 * pair gets one preallocated buffer holding its constant bytes, and a call
 * patches only the counter, the two EUIs and the date-times.
 *
 * Signing is off by default. When on, the signature is ECDSA P-256 over
 * SHA-256 of the bytes from the 09 after DF to the end of the content (the
 * README's rule), made with node:crypto, whose ECDSA nonce is random: a
 * signed payload is valid but not byte-identical from run to run. That is the
 * one documented exception to the twin's determinism; unsigned payloads (the
 * default) are byte-identical.
 */
import { createPrivateKey, createPublicKey, sign as ecdsaSign, type KeyObject } from 'node:crypto';
import { ALERT_CATALOGUE, type GbcsContent } from './alerts.js';

/** GBCS message code of the Generic Critical Alert (../shared/gbcs-rtds README). */
export const MESSAGE_CODE_GCA = 0x1000;

/**
 * A P-256 key for tests and demonstrations only: the twin is not a device and
 * holds no real credentials. Public so that anyone can check a signature.
 */
export const TEST_SIGNING_KEY_JWK = Object.freeze({
  kty: 'EC',
  crv: 'P-256',
  x: 'R2fxHcZgiHjbyO6o8-HblBkDS5VaBLanNjuLMr1VhGI',
  y: '3yaa3UD1vcKeaDtRPb4WyKK2jvEm3gct0DC5tsCP2cQ',
  d: 'eFaQvMZA19VCJv8ofCCQ8Iv87Wv-Fdt_-lDp1T3uaEE',
});

export function testSigningPrivateKey(): KeyObject {
  return createPrivateKey({ key: { ...TEST_SIGNING_KEY_JWK }, format: 'jwk' });
}

export function testSigningPublicKey(): KeyObject {
  return createPublicKey(testSigningPrivateKey());
}

export interface GbcsAlertFields {
  /** 16-bit GBCS alert code, e.g. 0x8F36. */
  alertCode: number;
  /** GBCS message code; defaults to the catalogue's for the alert code (0x1000 if unknown). */
  messageCode?: number;
  /** CRA originator counter (0 .. 2^53-1). */
  originatorCounter: number;
  deviceEuiHi: number;
  deviceEuiLo: number;
  recipientEuiHi: number;
  recipientEuiLo: number;
  /** Unix ms, UTC. Devices stamp to the second (the RTDS hundredths are 00). */
  alertTime: number;
  /** Outage alerts only; absent or NaN gives a "not specified" date-time. */
  outageStart?: number;
  outageEnd?: number;
}

export interface GbcsBuilderOptions {
  /** Append an ECDSA P-256 signature (default false: signature length 00). */
  sign?: boolean;
  /** Signing key; defaults to the test key. */
  privateKey?: KeyObject;
  /** The 32-byte image hash firmware receipt alerts carry (default all zero). */
  imageHash?: Uint8Array;
}

// Offsets in the general-signing header (see the layout above).
const OFF_COUNTER = 3;
const OFF_DEVICE = 12;
const OFF_RECIPIENT = 21;
const OFF_MESSAGE_CODE = 31;
const OFF_CONTENT_LENGTH = 33;
const OFF_CONTENT = 34;
const OFF_INVOKE_ID = OFF_CONTENT + 1;
/** The 09 that opens the alert time. */
const OFF_ALERT_TIME = OFF_CONTENT + 11;
const OFF_OUTAGE_START = OFF_ALERT_TIME + 14;
const OFF_OUTAGE_END = OFF_OUTAGE_START + 14;
const SIGNATURE_LENGTH = 64;
const TWO32 = 4294967296;

interface Template {
  buf: Buffer;
  content: GbcsContent;
  /** Index of the signature-length byte. */
  sigAt: number;
}

const layoutByAlertCode = new Map<number, { messageCode: number; content: GbcsContent }>();
for (const a of ALERT_CATALOGUE) {
  if (a.alertCode !== undefined && a.messageCode !== undefined && a.gbcsContent !== undefined && !layoutByAlertCode.has(a.alertCode)) {
    layoutByAlertCode.set(a.alertCode, { messageCode: a.messageCode, content: a.gbcsContent });
  }
}

/** The catalogue's GBCS message code for an alert code (Generic Critical Alert if unknown). */
export function defaultMessageCode(alertCode: number): number {
  return layoutByAlertCode.get(alertCode)?.messageCode ?? MESSAGE_CODE_GCA;
}

export class GbcsAlertBuilder {
  readonly sign: boolean;
  private readonly key: KeyObject | null;
  private readonly imageHash: Uint8Array;
  private readonly templates = new Map<number, Template>();
  private lastKey = -1;
  private last: Template | null = null;

  constructor(opts: GbcsBuilderOptions = {}) {
    this.sign = opts.sign === true;
    this.key = this.sign ? (opts.privateKey ?? testSigningPrivateKey()) : null;
    const hash = opts.imageHash ?? new Uint8Array(32);
    if (hash.length !== 32) throw new RangeError(`imageHash must be 32 bytes (SHA-256), got ${hash.length}`);
    this.imageHash = hash;
  }

  /** The payload as Base64, from named fields. */
  payloadBase64(a: GbcsAlertFields): string {
    return this.base64(
      a.alertCode, a.messageCode ?? -1, a.originatorCounter,
      a.deviceEuiHi, a.deviceEuiLo, a.recipientEuiHi, a.recipientEuiLo,
      a.alertTime, a.outageStart ?? NaN, a.outageEnd ?? NaN,
    );
  }

  /** A copy of the payload bytes, from named fields. */
  payload(a: GbcsAlertFields): Buffer {
    return Buffer.from(this.encode(
      a.alertCode, a.messageCode ?? -1, a.originatorCounter,
      a.deviceEuiHi, a.deviceEuiLo, a.recipientEuiHi, a.recipientEuiLo,
      a.alertTime, a.outageStart ?? NaN, a.outageEnd ?? NaN,
    ));
  }

  /** Positional form of payloadBase64 (no object needed). messageCode -1 = the catalogue's. */
  base64(
    alertCode: number, messageCode: number, originatorCounter: number,
    deviceEuiHi: number, deviceEuiLo: number, recipientEuiHi: number, recipientEuiLo: number,
    alertTime: number, outageStart: number, outageEnd: number,
  ): string {
    const buf = this.encode(alertCode, messageCode, originatorCounter, deviceEuiHi, deviceEuiLo, recipientEuiHi, recipientEuiLo, alertTime, outageStart, outageEnd);
    return buf.toString('base64');
  }

  /**
   * Writes the payload and returns the builder's own buffer for this alert
   * code: valid until the next call for the same code; copy it to keep it.
   */
  encode(
    alertCode: number, messageCode: number, originatorCounter: number,
    deviceEuiHi: number, deviceEuiLo: number, recipientEuiHi: number, recipientEuiLo: number,
    alertTime: number, outageStart: number, outageEnd: number,
  ): Buffer {
    if (messageCode < 0) messageCode = defaultMessageCode(alertCode);
    const key = alertCode * 65536 + messageCode;
    let t = this.last;
    if (key !== this.lastKey || t === null) {
      t = this.templates.get(key) ?? this.makeTemplate(alertCode, messageCode, key);
      this.lastKey = key;
      this.last = t;
    }
    if (!(originatorCounter >= 0 && originatorCounter <= Number.MAX_SAFE_INTEGER)) {
      throw new RangeError(`originatorCounter ${originatorCounter} is not an integer in 0..2^53-1`);
    }
    const buf = t.buf;
    const hi = Math.floor(originatorCounter / TWO32);
    const lo = originatorCounter - hi * TWO32;
    buf.writeUInt32BE(hi, OFF_COUNTER);
    buf.writeUInt32BE(lo, OFF_COUNTER + 4);
    buf.writeUInt32BE(deviceEuiHi >>> 0, OFF_DEVICE);
    buf.writeUInt32BE(deviceEuiLo >>> 0, OFF_DEVICE + 4);
    buf.writeUInt32BE(recipientEuiHi >>> 0, OFF_RECIPIENT);
    buf.writeUInt32BE(recipientEuiLo >>> 0, OFF_RECIPIENT + 4);
    // Long-invoke-id: flag byte 0x20 then the counter's low 24 bits, as in every DLMS RTDS alert.
    buf[OFF_INVOKE_ID + 1] = (lo >>> 16) & 0xff;
    buf[OFF_INVOKE_ID + 2] = (lo >>> 8) & 0xff;
    buf[OFF_INVOKE_ID + 3] = lo & 0xff;
    writeCosemDateTime(buf, OFF_ALERT_TIME, alertTime);
    if (t.content === 'outage') {
      writeCosemDateTime(buf, OFF_OUTAGE_START, outageStart);
      writeCosemDateTime(buf, OFF_OUTAGE_END, outageEnd);
    }
    if (this.key !== null) {
      const sig = ecdsaSign('sha256', buf.subarray(1, t.sigAt), { key: this.key, dsaEncoding: 'ieee-p1363' });
      sig.copy(buf, t.sigAt + 1);
    }
    return buf;
  }

  private makeTemplate(alertCode: number, messageCode: number, key: number): Template {
    if (!Number.isInteger(alertCode) || alertCode < 0 || alertCode > 0xffff) {
      throw new RangeError(`alert code ${alertCode} is not a 16-bit GBCS alert code`);
    }
    if (!Number.isInteger(messageCode) || messageCode > 0xffff) {
      throw new RangeError(`message code ${messageCode} is not a 16-bit GBCS message code`);
    }
    const content = layoutByAlertCode.get(alertCode)?.content ?? 'plain';
    const elements = content === 'plain' ? 2 : content === 'outage' ? 4 : 3;
    const extra = content === 'plain' ? 0 : content === 'outage' ? 28 : 34;
    const contentLength = 11 + 14 + extra;
    const sigAt = OFF_CONTENT + contentLength;
    const buf = Buffer.alloc(sigAt + 1 + (this.sign ? SIGNATURE_LENGTH : 0));
    buf[0] = 0xdf;
    buf[1] = 0x09;
    buf[2] = 0x03;
    buf[OFF_DEVICE - 1] = 0x08;
    buf[OFF_RECIPIENT - 1] = 0x08;
    buf[29] = 0x00;
    buf[30] = 0x02;
    buf.writeUInt16BE(messageCode, OFF_MESSAGE_CODE);
    buf[OFF_CONTENT_LENGTH] = contentLength;
    let p = OFF_CONTENT;
    buf[p++] = 0x0f;
    buf[p++] = 0x20;
    p += 3;
    buf[p++] = 0x00;
    buf[p++] = 0x02;
    buf[p++] = elements;
    buf[p++] = 0x12;
    buf.writeUInt16BE(alertCode, p);
    p += 2;
    const dateTimes = content === 'outage' ? 3 : 1;
    for (let i = 0; i < dateTimes; i++) {
      buf[p] = 0x09;
      buf[p + 1] = 0x0c;
      p += 14;
    }
    if (content === 'firmwareHash') {
      buf[p++] = 0x09;
      buf[p++] = 0x20;
      buf.set(this.imageHash, p);
      p += 32;
    }
    buf[sigAt] = this.sign ? SIGNATURE_LENGTH : 0x00;
    const t: Template = { buf, content, sigAt };
    this.templates.set(key, t);
    return t;
  }
}

/**
 * COSEM date-time (12 bytes) at `at + 2` after its 09 0C prefix: year(2)
 * month day day-of-week hour minute second hundredths deviation(2) status.
 * As in the RTDS alerts: day-of-week FF (not specified), hundredths 00,
 * deviation 0x8000 (not specified), clock status FF. A non-finite time gives
 * the all-"not specified" date-time.
 */
function writeCosemDateTime(buf: Buffer, at: number, ms: number): void {
  const p = at + 2;
  if (!Number.isFinite(ms)) {
    buf.fill(0xff, p, p + 12);
    buf[p + 9] = 0x80;
    buf[p + 10] = 0x00;
    return;
  }
  const seconds = Math.floor(ms / 1000);
  const days = Math.floor(seconds / 86400);
  let sod = seconds - days * 86400;
  // Civil date from days since 1970-01-01 (proleptic Gregorian).
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  if (year < 0 || year > 0xfffe) throw new RangeError(`time ${ms} is outside the years a COSEM date-time can hold`);
  const hour = Math.floor(sod / 3600);
  sod -= hour * 3600;
  const minute = Math.floor(sod / 60);
  buf[p] = year >>> 8;
  buf[p + 1] = year & 0xff;
  buf[p + 2] = month;
  buf[p + 3] = day;
  buf[p + 4] = 0xff;
  buf[p + 5] = hour;
  buf[p + 6] = minute;
  buf[p + 7] = sod - minute * 60;
  buf[p + 8] = 0x00;
  buf[p + 9] = 0x80;
  buf[p + 10] = 0x00;
  buf[p + 11] = 0xff;
}
