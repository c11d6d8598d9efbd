/**
 * Alert codes a scenario may name (background traffic, surges). The sources
 * name these (seed 001 section 5.2; DOMAIN.md "The alert journey"); the full
 * catalogue with meanings lives elsewhere.
 */
export const ALERT_CODES = [
  'AD1',
  '8F35',
  '8F36',
  '8F3F',
  '810D',
  '8F0F',
  '8F72',
  '8F1C',
  'N39',
  'N53',
  'N54',
  'N62',
  'N12',
  'N13',
] as const;

export type AlertCode = (typeof ALERT_CODES)[number];

export function isAlertCode(code: string): code is AlertCode {
  return (ALERT_CODES as readonly string[]).includes(code);
}
