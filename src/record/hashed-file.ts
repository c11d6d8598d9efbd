/**
 * A file written from one buffer and hashed (SHA-256) as its bytes go out:
 * the event log as it is recorded (its trailer carries the hash), and each
 * file a replay renders (the manifest carries it).
 *
 * Written through the page cache, unlike a run's feeds (src/feeds/direct-io.ts):
 * these files are written by the thread that renders them, which a direct
 * write would hold until the disk has the bytes, where the page cache lets
 * it go on (replay of the storm took 34 s so, against 21 to 27 s, at a load
 * average of 5 to 6).
 */
import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { OutputError, reason } from '../feeds/sink.js';

export class HashedFile {
  buf: Buffer;
  pos = 0;
  /** Bytes written to the file so far. */
  flushed = 0;
  private readonly fd: number;
  private readonly hash: Hash = createHash('sha256');

  /** `what` names the file in messages (e.g. `the log run.twinlog`). */
  constructor(
    readonly file: string,
    private readonly what: string,
    size: number,
  ) {
    try {
      fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      this.fd = fs.openSync(file, 'w');
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
      for (let off = 0; off < chunk.length; ) off += fs.writeSync(this.fd, chunk, off, chunk.length - off);
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
      fs.closeSync(this.fd);
    } catch (err) {
      throw new OutputError(`cannot write ${this.what}: ${reason(err)}`);
    }
    return this.hash.digest('hex');
  }
}
