/**
 * Output files written around the page cache (O_DIRECT) where the file
 * system allows it, and with plain writes where it does not.
 *
 * A run writes gigabytes it does not read back (the 2-million-hub working
 * day 11.7 GB, the storm 2.5 GB). Through the page cache every byte is
 * copied into freshly allocated cache pages and later written back, which on
 * this project's machines cost 2.6 to 4.4 s of kernel CPU per GB, a fifth of
 * a working day's CPU; written direct, the disk reads the bytes from a buffer
 * of ours and the kernel's share is about 0.15 s per GB (docs/performance.md,
 * "Feeds written around the page cache").
 *
 * Direct writes need the memory address, the length and the file offset
 * aligned to the device's block. Callers hand over buffers of any length at
 * any address, so each file's bytes pass through one aligned staging buffer
 * (a copy in memory costs a tenth of the kernel's): whole blocks are
 * written at once, the rest (under a block) waits for the file's next bytes,
 * and at close the last block goes out padded with zeros and the file is
 * cut back to its true length.
 *
 * Self-contained on purpose: the feeds' writer thread (src/feeds/sink.ts)
 * runs this function's own source text, so it refers to nothing outside
 * itself but the `fs` it is given.
 */
import type fsModule from 'node:fs';

export interface OutputFile {
  readonly file: string;
  /** Bytes handed to write() so far. */
  readonly length: number;
  /** True while the file is written around the page cache. */
  readonly direct: boolean;
  /** Bytes that went through the staging buffer rather than straight from the caller's. */
  readonly staged: number;
}

export interface OutputFiles {
  /** Creates (or truncates) `file`; throws the file system's error. */
  open(file: string): OutputFile;
  /**
   * Appends `n` bytes of `buf` from `start`. Straight from `buf`, with no
   * copy, when the file holds no partial block, `n` is whole blocks and
   * `buf` is at an aligned address (as alignedBuffer's are); through the
   * staging buffer otherwise.
   */
  write(f: OutputFile, buf: Uint8Array, start: number, n: number): void;
  /**
   * `size` bytes of fresh shared memory at an address direct writes take,
   * found against an open direct file; null when none is open or the address
   * cannot be found.
   */
  alignedBuffer(size: number): Buffer | null;
  /** Writes what is left and closes the file. */
  close(f: OutputFile): void;
}

/**
 * Files written through one staging buffer. `direct`: try O_DIRECT (a file
 * system that refuses it, or a platform without it, gets plain writes).
 */
export function outputFiles(fs: typeof fsModule, direct: boolean): OutputFiles {
  /** Written in multiples of this (OUTPUT_BLOCK): a multiple of every common logical block size (512, 4096). */
  const BLOCK = 4096;
  /** The staging buffer: big writes, few calls. */
  const STAGE = 4 * 1024 * 1024;
  const O_DIRECT = fs.constants.O_DIRECT;
  const flags = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_TRUNC;
  /** The aligned staging buffer, found on the first direct file (null: not yet, or direct writes turned out impossible). */
  let stage: Buffer | null = null;
  let canDirect = direct && typeof O_DIRECT === 'number';
  /** Direct files open now: alignedBuffer probes against one of them. */
  const open = new Set<State>();

  interface State {
    file: string;
    fd: number;
    direct: boolean;
    length: number;
    staged: number;
    /** File offset of the next write. */
    pos: number;
    /** Bytes waiting for a whole block (direct files only). */
    carry: Buffer;
    carried: number;
  }

  /**
   * The offset into `raw` (of at least `size` + BLOCK bytes) of an address
   * direct writes take, found by trying to write one block at the end of `s`
   * from each candidate (cut off again at once); -1 if none is taken.
   */
  function alignment(s: State, raw: Uint8Array): number {
    for (let k = 0; k < BLOCK; k += 16) {
      try {
        const n = fs.writeSync(s.fd, raw, k, BLOCK, s.pos);
        fs.ftruncateSync(s.fd, s.pos);
        if (n === BLOCK) return k;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EINVAL') throw err;
      }
    }
    return -1;
  }

  /**
   * Leaves direct writing for `s` (the file system took the open but not a
   * write): the same file through the page cache from the same offset, and
   * `bytes` (what the failed write held) written there first.
   */
  function plain(s: State, bytes: Uint8Array, n: number): void {
    fs.closeSync(s.fd);
    s.fd = fs.openSync(s.file, 'r+');
    s.direct = false;
    s.carried = 0;
    open.delete(s);
    writeAt(s, bytes, 0, n);
  }

  /** Whole blocks of `buf` from `start` out directly; false if the file system refused them (nothing of them written then). */
  function writeDirect(s: State, buf: Uint8Array, start: number, n: number): boolean {
    let k: number;
    try {
      k = fs.writeSync(s.fd, buf, start, n, s.pos);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EINVAL') throw err;
      return false;
    }
    s.pos += k;
    if (k === n) return true;
    // A short direct write leaves the offset unaligned: the rest goes through the page cache.
    plain(s, buf.subarray(start + k, start + n), n - k);
    return true;
  }

  function writeAt(s: State, buf: Uint8Array, start: number, n: number): void {
    for (let off = 0; off < n; ) {
      const k = fs.writeSync(s.fd, buf, start + off, n - off, s.pos);
      off += k;
      s.pos += k;
    }
  }

  return {
    open(file: string): OutputFile {
      if (canDirect) {
        let fd = -1;
        try {
          fd = fs.openSync(file, flags | (O_DIRECT as number));
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EINVAL') throw err;
          canDirect = false;
        }
        if (fd >= 0) {
          const s: State = { file, fd, direct: true, length: 0, staged: 0, pos: 0, carry: Buffer.alloc(BLOCK), carried: 0 };
          if (stage === null) {
            const raw = Buffer.alloc(STAGE + BLOCK);
            const k = alignment(s, raw);
            if (k >= 0) stage = raw.subarray(k, k + STAGE);
          }
          if (stage !== null) {
            open.add(s);
            return s;
          }
          canDirect = false;
          fs.closeSync(fd);
        }
      }
      const s: State = { file, fd: fs.openSync(file, 'w'), direct: false, length: 0, staged: 0, pos: 0, carry: Buffer.alloc(0), carried: 0 };
      return s;
    },

    write(f: OutputFile, buf: Uint8Array, start: number, n: number): void {
      const s = f as State;
      s.length += n;
      if (!s.direct || stage === null) {
        writeAt(s, buf, start, n);
        return;
      }
      if (s.carried === 0 && n % BLOCK === 0 && n > 0 && writeDirect(s, buf, start, n)) return;
      const st = stage;
      s.staged += n;
      let src = start;
      const end = start + n;
      while (src < end) {
        let fill = s.carried;
        if (fill > 0) s.carry.copy(st, 0, 0, fill);
        const take = Math.min(end - src, STAGE - fill);
        st.set(buf.subarray(src, src + take), fill);
        fill += take;
        src += take;
        const whole = fill - (fill % BLOCK);
        if (whole > 0 && !writeDirect(s, st, 0, whole)) {
          plain(s, st, fill);
          writeAt(s, buf, src, end - src);
          return;
        }
        if (!s.direct) {
          writeAt(s, st, whole, fill - whole);
          writeAt(s, buf, src, end - src);
          return;
        }
        s.carried = fill - whole;
        st.copy(s.carry, 0, whole, fill);
      }
    },

    alignedBuffer(size: number): Buffer | null {
      for (const s of open) {
        const raw = Buffer.from(new SharedArrayBuffer(size + BLOCK));
        const k = alignment(s, raw);
        return k < 0 ? null : raw.subarray(k, k + size);
      }
      return null;
    },

    close(f: OutputFile): void {
      const s = f as State;
      open.delete(s);
      if (s.direct && stage !== null) {
        const size = s.pos + s.carried;
        if (s.carried > 0) {
          s.carry.copy(stage, 0, 0, s.carried);
          stage.fill(0, s.carried, BLOCK);
          if (!writeDirect(s, stage, 0, BLOCK)) plain(s, stage, s.carried);
        }
        // The last block's padding cut off.
        fs.ftruncateSync(s.fd, size);
      }
      fs.closeSync(s.fd);
    },
  };
}

/** The block output files are written in (outputFiles' BLOCK): a writer that hands over whole blocks saves the staging copy. */
export const OUTPUT_BLOCK = 4096;

/**
 * Whether a run's feeds are written around the page cache: as `wanted` (the
 * run's choice: yes when nothing reads them back at once; a report right
 * after reads them faster from the cache), unless `DCC_TWIN_DIRECT_IO` is
 * `1` or `0`, which decides it either way (for measuring).
 */
export function directWrites(wanted: boolean): boolean {
  const forced = process.env.DCC_TWIN_DIRECT_IO;
  return forced === '1' ? true : forced === '0' ? false : wanted;
}
