/**
 * A file written from one buffer and hashed (SHA-256) as its bytes go out:
 * the event log as it is recorded (its trailer carries the hash), and each
 * file a replay renders (the manifest carries it).
 */
import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { directWrites, outputFiles, type OutputFile, type OutputFiles } from '../feeds/direct-io.js';
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
    this.buf = Buffer.allocUnsafe(size);
  }

  /** Makes room for `n` more bytes in the buffer. */
  room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.flush();
    if (n > this.buf.length) this.buf = Buffer.allocUnsafe(n);
  }

  flush(): void {
    if (this.pos === 0) return;
    const chunk = this.buf.subarray(0, this.pos);
    this.hash.update(chunk);
    try {
      output!.write(this.out, chunk, 0, chunk.length);
    } catch (err) {
      throw new OutputError(`cannot write ${this.what}: ${reason(err)}`);
    }
    this.flushed += chunk.length;
    this.pos = 0;
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
