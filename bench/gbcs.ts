/**
 * The GBCS alert builder's cost per payload: every alert of a storm builds
 * one, so its nanoseconds multiply by millions. Unsigned, as a run builds
 * them by default. (Measured here rather than asserted in a test: a timing
 * says nothing on a loaded machine.)
 */
import { GbcsAlertBuilder } from '../src/dcc/gbcs.js';

const T_2015 = Date.UTC(2015, 0, 1);
const T_OUT_START = Date.UTC(2014, 11, 31, 23, 50);
const T_OUT_END = Date.UTC(2014, 11, 31, 23, 59);

export interface GbcsResult {
  calls: number;
  nsPerCall: number;
}

/** Payloads of a power restoration alert (8F36, with its outage window), after a warm-up. */
export function benchGbcs(calls = 1_000_000): GbcsResult {
  const b = new GbcsAlertBuilder();
  let sink = 0;
  for (let i = 0; i < 50_000; i++) sink += b.base64(0x8f36, -1, i, 1, i, 3, 4, T_2015 + i * 1000, T_OUT_START, T_OUT_END).length;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) sink += b.base64(0x8f36, -1, i, 1, i, 3, 4, T_2015 + i * 1000, T_OUT_START, T_OUT_END).length;
  const ns = Number(process.hrtime.bigint() - t0);
  if (sink === 0) throw new Error('no payload built');
  return { calls, nsPerCall: ns / calls };
}

export function printGbcs(r: GbcsResult): void {
  console.log(`GBCS alert payloads (unsigned, base64): ${r.calls.toLocaleString('en-GB')} built, ${r.nsPerCall.toFixed(0)} ns each`);
}
