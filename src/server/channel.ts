/**
 * One WebSocket client of the live stream, with a bounded buffer, so that a
 * slow client (or one that stops reading) never grows the server's memory:
 *
 * - at most HIGH_WATER bytes are handed to the socket (ws `bufferedAmount`);
 *   the rest waits in the channel's queue;
 * - the queue holds at most MAX_QUEUE bytes. Over that, the oldest records
 *   and windows are dropped first; a progress or metrics snapshot replaces
 *   an older one still queued (the later one says everything it said).
 *   Control messages (run state, the final metrics) are never dropped.
 * - before the next message the client receives, a `dropped` message gives
 *   the counts dropped since the last one, so the client always knows.
 *
 * docs/dashboard.md, "Slow clients", describes the policy for clients.
 */
import type { WebSocket } from 'ws';

export const HIGH_WATER = 512 * 1024;
export const MAX_QUEUE = 2 * 1024 * 1024;

/** What a message is, for the drop policy. */
export type MessageKind = 'records' | 'window' | 'progress' | 'metrics' | 'control';

export interface Outgoing {
  kind: MessageKind;
  data: string;
  /** Feed records in a `records` message; windows in a `windows` message. */
  count: number;
  /** The feed of a `records` message (clients choose which feeds they receive). */
  feed?: string;
}

export interface DropCounts {
  records: number;
  windows: number;
  snapshots: number;
}

export class ClientChannel {
  private queue: Outgoing[] = [];
  private head = 0;
  private queuedBytes = 0;
  private readonly pendingDrop: DropCounts = { records: 0, windows: 0, snapshots: 0 };
  /** Totals since the client connected. */
  readonly dropped: DropCounts = { records: 0, windows: 0, snapshots: 0 };
  recordsSent = 0;
  private closed = false;
  private readonly onWritten = () => this.pump();

  /** `feeds`: the record feeds wanted (paths), 'all' or none (an empty set). */
  constructor(
    private readonly ws: WebSocket,
    private readonly feeds: Set<string> | 'all',
    private readonly limits = { highWater: HIGH_WATER, maxQueue: MAX_QUEUE },
  ) {
    ws.on('close', () => {
      this.closed = true;
      this.queue = [];
      this.queuedBytes = 0;
    });
  }

  wants(feed: string): boolean {
    return this.feeds === 'all' || this.feeds.has(feed);
  }

  get queuedBytesNow(): number {
    return this.queuedBytes;
  }

  send(m: Outgoing): void {
    if (this.closed) return;
    if (m.kind === 'records' && !this.wants(m.feed!)) return;
    if (m.kind === 'progress' || m.kind === 'metrics') this.supersede(m.kind);
    this.queue.push(m);
    this.queuedBytes += m.data.length;
    if (this.queuedBytes > this.limits.maxQueue) this.shed();
    this.pump();
  }

  /** Hands queued messages to the socket while it holds less than the high-water mark. */
  pump(): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    while (this.ws.bufferedAmount < this.limits.highWater) {
      if (this.pendingDrop.records + this.pendingDrop.windows + this.pendingDrop.snapshots > 0) {
        this.ws.send(JSON.stringify({ type: 'dropped', ...this.pendingDrop, reason: 'client too slow: oldest messages dropped' }));
        this.pendingDrop.records = this.pendingDrop.windows = this.pendingDrop.snapshots = 0;
        continue;
      }
      if (this.head === this.queue.length) break;
      const m = this.queue[this.head++];
      this.queuedBytes -= m.data.length;
      if (m.kind === 'records') this.recordsSent += m.count;
      // Written out to the socket: offer it more at once rather than at the next timer.
      this.ws.send(m.data, this.onWritten);
    }
    // Messages handed to the socket are let go at once: the queue holds only what waits.
    if (this.head > 0) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
  }

  private drop(i: number): void {
    const m = this.queue[i];
    this.queuedBytes -= m.data.length;
    const counts = m.kind === 'records' ? { records: m.count } : m.kind === 'window' ? { windows: m.count } : { snapshots: 1 };
    for (const [k, v] of Object.entries(counts) as Array<[keyof DropCounts, number]>) {
      this.pendingDrop[k] += v;
      this.dropped[k] += v;
    }
    this.queue.splice(i, 1);
  }

  private supersede(kind: MessageKind): void {
    for (let i = this.queue.length - 1; i >= this.head; i--) {
      if (this.queue[i].kind === kind) {
        this.drop(i);
        return;
      }
    }
  }

  /** Drops the oldest records, then the oldest windows, until the queue fits again. */
  private shed(): void {
    for (const kind of ['records', 'window'] as const) {
      for (let i = this.head; i < this.queue.length && this.queuedBytes > this.limits.maxQueue; ) {
        if (this.queue[i].kind === kind) this.drop(i);
        else i++;
      }
    }
  }
}
