/**
 * The live metrics pipeline on hand-made records: SMETS1's T1 is joined from
 * the audit trail whichever of the two records comes first, and one whose
 * audit record never comes starts at T2 at the end, as the batch join leaves
 * it; the final snapshot comes when the records end.
 */
import { describe, expect, it } from 'vitest';
import { Subject } from 'rxjs';
import { liveMetrics, type FeedBatch, type MetricsSnapshot } from '../../src/server/live-metrics.js';

const ast = (id: string, source: string, t2: string, handshake: string) =>
  JSON.stringify({
    alertId: id, sourceId: source, alertType: 'DeviceAlert', alertCode: '8F3F', region: 'SMETS1', deviceId: '00DB120158588B2F', targetUser: 'SUPPLIER-A',
    cspReceivedTimestamp: t2, cspPassedTimestamp: t2, dspReceivedTimestamp: t2, passedToServiceUserTimestamp: t2, serviceUserHandshakeTimestamp: handshake,
    deliveryAttempts: 1, outcome: 'delivered', throttled: false,
  });
const audit = (id: string, t1: string) => JSON.stringify({ auditId: id, s1sp: 'S1SP-1', deviceId: '00DB120158588B2F', T1: t1, T2: t1 });

describe('live metrics', () => {
  it('join T1 in either order, and start at T2 without an audit record', async () => {
    const batches = new Subject<FeedBatch>();
    const ticks = new Subject<number>();
    const { metrics$ } = liveMetrics(batches, ticks, { sampleMs: 1 });
    const seen: MetricsSnapshot[] = [];
    metrics$.subscribe((m) => seen.push(m));
    // a: audit first, T1 70 s before the handshake (missed); b: AST first, T1 30 s before (within);
    // c: no audit record, 50 s from T2 (within).
    batches.next({ path: 'feeds/s1sp-audit-trail.jsonl', lines: [audit('M-a', '20260115100000.000')] });
    batches.next({ path: 'feeds/dsp-ast.jsonl', lines: [
      ast('A-a', 'M-a', '20260115100059.000', '20260115100110.000'),
      ast('A-b', 'M-b', '20260115100005.000', '20260115100030.000'),
      ast('A-c', 'M-c', '20260115100010.000', '20260115100100.000'),
    ] });
    ticks.next(1);
    batches.next({ path: 'feeds/s1sp-audit-trail.jsonl', lines: [audit('M-b', '20260115100000.000')] });
    batches.complete();
    ticks.complete();
    const last = seen.at(-1)!;
    expect(last.final).toBe(true);
    const all = last.a1.find((r) => r.region === 'All')!;
    expect([all.alerts, all.withinTarget, all.missed]).toEqual([3, 2, 1]);
    const e2e = last.hops.find((h) => h.region === 'SMETS1' && h.hop === 'endToEnd')!;
    // 70 s (a), 30 s (b), 50 s (c)
    expect([e2e.alerts, e2e.medianMs, e2e.meanMs]).toEqual([3, 50_000, 50_000]);
    // While the audit record of b was still to come, only a was counted.
    const running = seen.find((m) => !m.final)!;
    expect(running.approximate).toBe(true);
    expect(running.a1.find((r) => r.region === 'All')!.alerts).toBe(1);
  });
});
