/**
 * One pass over a feed file's bytes before DuckDB reads it: line ends, blank
 * lines, a cut-off last line, the length of every line, and the lines DuckDB
 * cannot read at all (bytes that are not UTF-8, a line over MAX_LINE_BYTES),
 * which would otherwise stop its reader with an error naming no record.
 *
 * The lines' lengths are summed: the loader compares the sum with the length
 * of what DuckDB's JSON reader made of the lines (checks.ts, canonicalBytesExpr).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isUtf8 } from 'node:buffer';
import { firstInvalidUtf8, hexByte } from '../utf8.js';

/** No record of any feed comes near this; DuckDB's line reader stops at it. */
export const MAX_LINE_BYTES = 2 * 1024 * 1024;

/** A line the loader reports without DuckDB reading it. */
export interface UnreadableLine {
  line: number;
  problem: string;
  /** Byte offsets of the line in the file, its line end excluded. */
  start: number;
  end: number;
}

export interface LineScan {
  bytes: number;
  newlines: number;
  blankLine: boolean;
  /** The file is not empty and its final byte is not `\n`: the last record was cut off. */
  truncated: boolean;
  /** The bytes of the lines that end with a line end, line ends excluded. */
  lineBytes: number;
  unreadable: UnreadableLine[];
}

const CHUNK = 1 << 24;

export function scanLines(file: string): LineScan {
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.allocUnsafe(CHUNK);
  const scan: LineScan = { bytes: 0, newlines: 0, blankLine: false, truncated: false, lineBytes: 0, unreadable: [] };
  try {
    const size = fs.fstatSync(fd).size;
    let lineStart = 0; // file offset of the line being read
    let pos = 0; // where the next read starts: lineStart, unless a long line is being skipped
    for (;;) {
      const got = fs.readSync(fd, buf, 0, CHUNK, pos);
      if (got === 0) break;
      const view = buf.subarray(0, got);
      const base = pos;
      const lastNewline = view.lastIndexOf(10);
      if (lastNewline === -1) {
        pos += got; // a line longer than a whole read: skip on to its end
        continue;
      }
      // Reads start at a line's start (so no UTF-8 sequence is split), but for a long line's tail.
      const from = base === lineStart ? 0 : view.indexOf(10) + 1;
      if (!isUtf8(view.subarray(from, lastNewline))) findBadUtf8(view, base, from, lastNewline, scan.newlines + (from > 0 ? 2 : 1), scan);
      for (let i = view.indexOf(10); i !== -1; i = i < lastNewline ? view.indexOf(10, i + 1) : -1) {
        const line = ++scan.newlines;
        const len = base + i - lineStart;
        if (len === 0) scan.blankLine = true;
        if (len > MAX_LINE_BYTES) scan.unreadable.push({ line, problem: tooLong(len), start: lineStart, end: base + i });
        scan.lineBytes += len;
        lineStart = base + i + 1;
      }
      pos = lineStart;
    }
    scan.bytes = size;
    if (size > lineStart) {
      // The cut-off last line: DuckDB reads it too, so it must be readable.
      scan.truncated = true;
      const len = size - lineStart;
      const tail = len > MAX_LINE_BYTES ? null : Buffer.allocUnsafe(len);
      if (tail !== null) fs.readSync(fd, tail, 0, len, lineStart);
      if (tail === null) scan.unreadable.push({ line: scan.newlines + 1, problem: tooLong(len), start: lineStart, end: size });
      else if (!isUtf8(tail)) findBadUtf8(tail, lineStart, 0, len, scan.newlines + 1, scan);
    }
    // A long line can be found twice (too long, and not UTF-8): once is enough.
    scan.unreadable.sort((x, y) => x.line - y.line);
    scan.unreadable = scan.unreadable.filter((u, i, all) => i === 0 || all[i - 1].line !== u.line);
    return scan;
  } finally {
    fs.closeSync(fd);
  }
}

const tooLong = (len: number): string => `a line of ${len} bytes, over the ${MAX_LINE_BYTES} a record may have`;

/** Adds every line of view[from, end) that is not UTF-8 to scan.unreadable; `line` is the number of the line at `from`. */
function findBadUtf8(view: Buffer, base: number, from: number, end: number, line: number, scan: LineScan): void {
  for (; from < end; line++) {
    let to = view.indexOf(10, from);
    if (to === -1 || to > end) to = end;
    const bytes = view.subarray(from, to);
    if (!isUtf8(bytes)) {
      const at = Math.max(0, firstInvalidUtf8(bytes));
      scan.unreadable.push({ line, problem: `not UTF-8 text (byte ${hexByte(bytes, at)} at column ${at + 1})`, start: base + from, end: base + to });
    }
    from = to + 1;
  }
}

/** What an unreadable line becomes in the copy: one byte, so that even a cut-off last line stays a line. */
const PLACEHOLDER = '?';

/**
 * A copy of `file` in a temporary folder with every unreadable line replaced
 * by PLACEHOLDER (line ends kept, so that the lines keep their numbers). The
 * caller removes the folder.
 */
export function copyWithoutUnreadable(file: string, unreadable: readonly UnreadableLine[]): { copy: string; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcc-twin-load-'));
  const copy = path.join(dir, path.basename(file));
  const src = fs.openSync(file, 'r');
  const dst = fs.openSync(copy, 'w');
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    const copyRange = (from: number, to: number): void => {
      for (let at = from; at < to; ) {
        const got = fs.readSync(src, buf, 0, Math.min(CHUNK, to - at), at);
        if (got === 0) break;
        fs.writeSync(dst, buf, 0, got);
        at += got;
      }
    };
    let at = 0;
    for (const u of unreadable) {
      copyRange(at, u.start);
      fs.writeSync(dst, PLACEHOLDER);
      at = u.end;
    }
    copyRange(at, fs.fstatSync(src).size);
  } finally {
    fs.closeSync(src);
    fs.closeSync(dst);
  }
  return { copy, dir };
}
