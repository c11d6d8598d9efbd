/**
 * EUI-64 identifiers of hubs and devices, derived from their indices so that
 * none is stored. The high 32 bits are the organisation prefix 00-DB-12 (as
 * in the DCC Reference Test Data Set alerts, gbcs-rtds/README.md) and a kind
 * byte (00 hub, 01 device); the low 32 bits are the index passed through a
 * bijection of 32-bit integers, so identifiers are unique but neighbouring
 * premises do not get neighbouring numbers.
 */
import { HexEui } from '../feeds/bytes.js';

export const EUI_PREFIX = 0x00db1200;
const HUB_KIND = 0x00;
const DEVICE_KIND = 0x01;

const MIX = 0x9e3779b1; // odd, so multiplication is a bijection modulo 2^32
const MIX_INVERSE = inverseOdd(MIX);
const MASK = 0x5a17c0de;

function inverseOdd(a: number): number {
  // Newton's iteration for the inverse modulo 2^32: each step doubles the correct bits.
  let x = a;
  for (let i = 0; i < 5; i++) x = Math.imul(x, 2 - Math.imul(a, x));
  return x >>> 0;
}

function scramble(index: number): number {
  return Math.imul((index ^ MASK) >>> 0, MIX) >>> 0;
}

function unscramble(low: number): number {
  return (Math.imul(low, MIX_INVERSE) ^ MASK) >>> 0;
}

/** High 32 bits of hub i's EUI-64. */
export function hubEuiHigh(_hub: number): number {
  return (EUI_PREFIX | HUB_KIND) >>> 0;
}

/** Low 32 bits of hub i's EUI-64. */
export function hubEuiLow(hub: number): number {
  return scramble(hub);
}

export function deviceEuiHigh(_device: number): number {
  return (EUI_PREFIX | DEVICE_KIND) >>> 0;
}

export function deviceEuiLow(device: number): number {
  return scramble(device);
}

/** Four upper-case hex digits for every 16-bit value: EUIs are formatted millions of times in a storm. */
const HEX4: string[] = Array.from({ length: 65536 }, (_, i) => i.toString(16).toUpperCase().padStart(4, '0'));

function hex16(high: number, low: number): string {
  return HEX4[high >>> 16] + HEX4[high & 0xffff] + HEX4[low >>> 16] + HEX4[low & 0xffff];
}

/** Hub i's EUI-64 as 16 upper-case hex digits. */
export function euiOfHub(hub: number): string {
  return hex16(hubEuiHigh(hub), hubEuiLow(hub));
}

/** Device j's EUI-64 as 16 upper-case hex digits. */
export function euiOfDevice(device: number): string {
  return hex16(deviceEuiHigh(device), deviceEuiLow(device));
}

/** Hub i's EUI-64 as its halves, for a feed's speller: euiOfHub's digits without a string. */
export function hubEui(hub: number): HexEui {
  return new HexEui(hubEuiHigh(hub), hubEuiLow(hub));
}

/** Device j's EUI-64 as its halves, for a feed's speller: euiOfDevice's digits without a string. */
export function deviceEui(device: number): HexEui {
  return new HexEui(deviceEuiHigh(device), deviceEuiLow(device));
}

/** The hub or device an EUI-64 (16 hex digits, dashes allowed) names, or null if it is none of ours. */
export function indexOfEui(eui: string): { kind: 'hub' | 'device'; index: number } | null {
  const hex = eui.replace(/-/g, '');
  if (!/^[0-9A-Fa-f]{16}$/.test(hex)) return null;
  const high = parseInt(hex.slice(0, 8), 16);
  const low = parseInt(hex.slice(8), 16);
  if (high === (EUI_PREFIX | HUB_KIND)) return { kind: 'hub', index: unscramble(low) };
  if (high === (EUI_PREFIX | DEVICE_KIND)) return { kind: 'device', index: unscramble(low) };
  return null;
}
