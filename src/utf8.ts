/**
 * Where bytes stop being UTF-8. The scenario loader and the feed loader both
 * take UTF-8 only, and name the line and column of the first byte that is
 * not (instead of letting a decoder replace it silently, or a reader stop).
 */

/** Offset of the first byte that is not part of a valid UTF-8 sequence, or -1 when there is none. */
export function firstInvalidUtf8(b: Uint8Array): number {
  for (let i = 0; i < b.length; ) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    const n = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : 0;
    if (n === 0 || i + n >= b.length) return i;
    for (let k = 1; k <= n; k++) if ((b[i + k] & 0xc0) !== 0x80) return i;
    // Overlong three- and four-byte forms, surrogates, code points above U+10FFFF.
    const c1 = b[i + 1];
    if ((c === 0xe0 && c1 < 0xa0) || (c === 0xed && c1 > 0x9f) || (c === 0xf0 && c1 < 0x90) || (c === 0xf4 && c1 > 0x8f)) return i;
    i += n + 1;
  }
  return -1;
}

/** The byte at `at` as a message shows it: `0xE9`. */
export const hexByte = (b: Uint8Array, at: number): string => '0x' + b[at].toString(16).toUpperCase().padStart(2, '0');
