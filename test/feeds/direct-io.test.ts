import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { outputFiles } from '../../src/feeds/direct-io.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcc-twin-direct-io-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Whether the file system of `d` takes O_DIRECT writes at all (tmpfs on older kernels does not). */
function directPossibleIn(d: string): boolean {
  if (typeof fs.constants.O_DIRECT !== 'number') return false;
  const probe = path.join(d, `dcc-twin-direct-probe-${process.pid}`);
  try {
    fs.closeSync(fs.openSync(probe, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_DIRECT));
    return true;
  } catch {
    return false;
  } finally {
    fs.rmSync(probe, { force: true });
  }
}
const directPossible = () => directPossibleIn(dir);

/** Deterministic bytes, never a run of one value (a misplaced block would show). */
function bytes(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

/** Writes `chunks` (lengths) of `content` from shared memory, as the writer thread receives them. */
function writeIn(files: ReturnType<typeof outputFiles>, file: string, content: Buffer, chunks: number[]) {
  const f = files.open(file);
  let at = 0;
  for (const n of chunks) {
    const shared = Buffer.from(new SharedArrayBuffer(n + 3));
    content.copy(shared, 3, at, at + n);
    files.write(f, shared, 3, n);
    at += n;
  }
  files.close(f);
  expect(f.length).toBe(content.length);
  return f;
}

const CASES: Array<[string, number[]]> = [
  ['empty', []],
  ['one byte', [1]],
  ['a block less one', [4095]],
  ['a block', [4096]],
  ['a block and one', [4097]],
  ['odd pieces across blocks', [1, 4094, 3, 8191, 12_289, 5]],
  ['more than the staging buffer at once', [9 * 1024 * 1024 + 17]],
  ['many small pieces', Array.from({ length: 3000 }, (_, i) => 1 + ((i * 37) % 211))],
];

describe('output files', () => {
  for (const direct of [true, false]) {
    for (const [name, chunks] of CASES) {
      it(`${direct ? 'around the page cache' : 'through it'}: ${name}`, () => {
        const files = outputFiles(fs, direct);
        const content = bytes(chunks.reduce((a, n) => a + n, 0), chunks.length + 1);
        const f = writeIn(files, path.join(dir, 'out'), content, chunks);
        expect(fs.readFileSync(path.join(dir, 'out')).equals(content)).toBe(true);
        expect(f.direct).toBe(direct && directPossible());
      });
    }
  }

  it.skipIf(!directPossibleIn(os.tmpdir()))('writes whole blocks from an aligned buffer with no copy, and anything else through the staging buffer', () => {
    const files = outputFiles(fs, true);
    const content = bytes(3 * 4096 + 100, 5);
    const f = files.open(path.join(dir, 'out'));
    expect(files.alignedBuffer(4096)).not.toBeNull();
    const aligned = files.alignedBuffer(2 * 4096)!;
    content.copy(aligned, 0, 0, 2 * 4096);
    files.write(f, aligned, 0, 2 * 4096);
    expect(f.staged).toBe(0);
    // Not whole blocks: staged, and the partial block waits for the next bytes.
    files.write(f, content, 2 * 4096, 4096 + 100);
    expect(f.staged).toBe(4096 + 100);
    // Whole blocks again, but behind a partial block: staged too, so the file's offsets stay aligned.
    const more = files.alignedBuffer(4096)!;
    more.fill(9);
    files.write(f, more, 0, 4096);
    expect(f.staged).toBe(2 * 4096 + 100);
    files.close(f);
    expect(fs.readFileSync(path.join(dir, 'out')).equals(Buffer.concat([content, Buffer.alloc(4096, 9)]))).toBe(true);
    expect(files.alignedBuffer(4096)).toBeNull();
  });

  it('writes several files through the one staging buffer, interleaved, each whole', () => {
    const files = outputFiles(fs, true);
    const a = bytes(3 * 1024 * 1024 + 1001, 1);
    const b = bytes(777_777, 2);
    const fa = files.open(path.join(dir, 'a'));
    const fb = files.open(path.join(dir, 'b'));
    for (let i = 0, j = 0; i < a.length || j < b.length; i += 300_001, j += 77_777) {
      if (i < a.length) files.write(fa, a, i, Math.min(300_001, a.length - i));
      if (j < b.length) files.write(fb, b, j, Math.min(77_777, b.length - j));
    }
    files.close(fb);
    files.close(fa);
    expect(fs.readFileSync(path.join(dir, 'a')).equals(a)).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'b')).equals(b)).toBe(true);
  });

  it('falls back to plain writes, losing nothing, where the file system opens a file direct but refuses its writes', () => {
    const direct = new Set<number>();
    let refused = 0;
    // The real file system, except that a write through a descriptor opened O_DIRECT fails as such file systems fail it.
    const refusing = {
      ...fs,
      constants: { ...fs.constants, O_DIRECT: fs.constants.O_DIRECT ?? 0o40000 },
      openSync(file: fs.PathLike, flags: number | string, mode?: fs.Mode) {
        const isDirect = typeof flags === 'number' && (flags & (fs.constants.O_DIRECT ?? 0o40000)) !== 0;
        const fd = fs.openSync(file, isDirect ? flags & ~(fs.constants.O_DIRECT ?? 0o40000) : flags, mode);
        if (isDirect) direct.add(fd);
        return fd;
      },
      writeSync(fd: number, ...rest: unknown[]) {
        if (direct.has(fd)) {
          refused++;
          throw Object.assign(new Error('EINVAL: invalid argument, write'), { code: 'EINVAL' });
        }
        return (fs.writeSync as (fd: number, ...r: unknown[]) => number)(fd, ...rest);
      },
      closeSync(fd: number) {
        direct.delete(fd);
        fs.closeSync(fd);
      },
    } as unknown as typeof fs;
    const files = outputFiles(refusing, true);
    const content = bytes(10_000, 9);
    const f = writeIn(files, path.join(dir, 'out'), content, [5000, 5000]);
    expect(refused).toBeGreaterThan(0);
    expect(f.direct).toBe(false);
    expect(fs.readFileSync(path.join(dir, 'out')).equals(content)).toBe(true);
  });
});
