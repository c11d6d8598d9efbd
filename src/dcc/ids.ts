/**
 * How the twin spells the identifiers the DCC's records carry: the source
 * record ids of the CSPs and S1SPs, the DSP's alert ids, the S1SP names, the
 * premises' MPAN and the system titles of the Users and of the DSP's Access
 * Control Broker. The hub and device EUI-64s are derived from the estate's
 * indices (src/estate/eui.ts).
 */

/** responseId / messageId / auditId of a CSP or S1SP record: `M` and 12 digits. */
export function sourceId(serial: number): string {
  return `M${String(serial).padStart(12, '0')}`;
}

/** The DSP's alertId: `A` and 12 digits. */
export function alertId(serial: number): string {
  return `A${String(serial).padStart(12, '0')}`;
}

/** `S1SP-1`, `S1SP-2` ... for S1SP index 0, 1 ... */
export function s1spId(index: number): string {
  return `S1SP-${index + 1}`;
}

/** Recipient system titles: one EUI-64 per Service User (prefix as the RTDS network-operator title). */
export const USER_EUI_HIGH = 0x90b3d51f;
export const USER_EUI_LOW_BASE = 0x30020000;
/** The DSP's Access Control Broker, recipient of Device Alerts aimed at the DSP and originator of DCC Alerts. */
export const ACB_EUI_LOW = 0x30000000;

const MPAN_WEIGHTS = [3, 5, 7, 13, 17, 19, 23, 29, 31, 37, 41, 43];

/**
 * The premises' 13-digit MPAN core: distributor id (2 digits), a 10-digit
 * unique number (here the hub index), and the standard check digit (digits
 * times the prime weights, summed, mod 11, mod 10).
 */
export function mpanOf(area: number, hub: number): string {
  const body = `${String(area).padStart(2, '0')}${String(hub).padStart(10, '0')}`;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += (body.charCodeAt(i) - 48) * MPAN_WEIGHTS[i];
  return body + String((sum % 11) % 10);
}
