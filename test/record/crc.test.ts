/**
 * The log's CRC-32 (src/record/log.ts): short records get theirs in
 * JavaScript, four bytes a step, and must get exactly zlib's, at every
 * length and alignment, the tail bytes included.
 */
import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32 } from '../../src/record/log.js';

describe('the log CRC-32', () => {
  it("is zlib's for every length up to past the short records', from any start", () => {
    const b = randomBytes(700);
    for (let s = 0; s < 4; s++) for (let n = 0; n <= 600; n++) expect(crc32(b, s, s + n)).toBe(zlib.crc32(b.subarray(s, s + n)));
  });
});
