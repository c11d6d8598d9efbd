/**
 * A file written from one buffer and hashed (SHA-256) as its bytes go out:
 * the event log as it is recorded (its trailer carries the hash), and each
 * file a replay renders (the manifest carries it).
 */
import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { OUTPUT_BLOCK, directWrites, outputFiles, type OutputFile, type OutputFiles } from '../feeds/direct-io.js';
import { OutputError, reason } from '../feeds/sink.js';

/** This thread's output files, made on first use (one staging buffer a thread). */
let output: OutputFiles | null = null;

export class HashedFile {
  buf: Buffer;
  pos = 0;
  /** Bytes written to the file so far. */
  flushed = 0;
  private readonly out: OutputFile;
  private readonly hash: Hash = createHash('sha256');

  /** `what` names the file in messages (e.g. `the log run.twinlog`). */
  constructor(
    readonly file: string,
    private readonly what: string,
    size: number,
  ) {
    try {
      fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      output ??= outputFiles(fs, directWrites());
      this.out = output.open(file);
    } catch (err) {
      throw new OutputError(`cannot create ${what}: ${reason(err)}`);
    }
    // At an address direct writes take, where the file is written so: whole blocks of it then go out with no copy.
    this.buf = output.alignedBuffer(size) ?? Buffer.allocUnsafe(size);
  }

  /** Makes room for `n` more bytes in the buffer: its whole blocks go out, the rest moves to its front. */
  room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const whole = this.pos - (this.pos % OUTPUT_BLOCK);
    this.emit(whole);
    this.buf.copy(this.buf, 0, whole, this.pos);
    this.pos -= whole;
    if (this.pos + n > this.buf.length) {
      const bigger = Buffer.allocUnsafe(this.pos + n);
      this.buf.copy(bigger, 0, 0, this.pos);
      this.buf = bigger;
    }
  }

  /** Everything in the buffer out. */
  flush(): void {
    this.emit(this.pos);
    this.pos = 0;
  }

  /** The buffer's first `n` bytes hashed and written. */
  private emit(n: number): void {
    if (n === 0) return;
    const chunk = this.buf.subarray(0, n);
    this.hash.update(chunk);
    try {
      output!.write(this.out, chunk, 0, n);
    } catch (err) {
      throw new OutputError(`cannot write ${this.what}: ${reason(err)}`);
    }
    this.flushed += n;
  }

  /** SHA-256 of every byte so far. */
  digest(): string {
    this.flush();
    return this.hash.copy().digest('hex');
  }

  /** Flushes and closes the file; its SHA-256. */
  close(): string {
    this.flush();
    try {
      output!.close(this.out);
    } catch (err) {
      throw new OutputError(`cannot write ${this.what}: ${reason(err)}`);
    }
    return this.hash.digest('hex');
  }
}
