/**
 * The alert journey keeps its rows packed (AlertRows), the recorders read
 * them as columns (AlertTable): the two layouts must agree on every column's
 * place, and a packed row's snapshot must be what the column table's own
 * snapshot of the same values is, since the replica restores it by the
 * column table's order.
 */
import { describe, expect, it } from 'vitest';
import { AlertRows, AlertTable, C } from '../../../src/flows/alerts/table.js';

/** A value a column of each type holds exactly, different for every column and row. */
function valueFor(name: string, row: number, k: number): number {
  if (name.startsWith('t') && name !== 'throttled' && name !== 'throttledSeq' && name !== 'throttledCount') return 1_700_000_000_000 + row * 1000 + k + 0.5;
  return (row * 7 + k * 3) % 200;
}

describe('AlertRows', () => {
  it('places each column where AlertTable lists it', () => {
    const names = new AlertTable(1).columnNames;
    const places = names.map((n) => (C as unknown as Record<string, number>)[n]);
    expect(places).toEqual(names.map((_, i) => i));
  });

  it('snapshots a row of any column subset in the order the column table restores it', () => {
    const table = new AlertTable(1);
    const names = table.columnNames;
    const rows = new AlertRows(16);
    const r = [rows.alloc(), rows.alloc(), rows.alloc()];
    rows.release(r[1]);
    const row = rows.alloc(); // a recycled row, overwritten
    expect(row).toBe(r[1]);
    names.forEach((n, k) => rows.set(row, k as C, valueFor(n, row, k)));
    const subsets = [names, names.filter((_, k) => k % 3 !== 1), ['tHandshake', 'code', 'serial', 'user']];
    for (const subset of subsets) {
      const set = table.columnSet(subset);
      const packed = new Float64Array(set.width);
      rows.snapshot(row, packed, 0, rows.placesOf(set));
      table.restore(0, packed, 0, set);
      for (const n of subset) expect((table as unknown as Record<string, ArrayLike<number>>)[n][0], n).toBe(valueFor(n, row, names.indexOf(n)));
      const again = new Float64Array(set.width);
      table.snapshot(0, again, 0, set);
      expect(again).toEqual(packed);
    }
  });

  it('starts a row blank, clones one whole, and keeps rows apart as the table grows', () => {
    const rows = new AlertRows(16);
    const a = rows.alloc();
    expect(rows.get(a, C.user)).toBe(-1);
    expect(rows.get(a, C.serial)).toBe(-1);
    expect(rows.get(a, C.attempts)).toBe(0);
    expect(rows.get(a, C.tCondition)).toBeNaN();
    expect(rows.get(a, C.outageEnd)).toBeNaN();
    rows.set(a, C.code, 5);
    rows.set(a, C.tCondition, 1234);
    const b = rows.clone(a);
    rows.set(b, C.code, 6);
    expect([rows.get(a, C.code), rows.get(b, C.code), rows.get(b, C.tCondition)]).toEqual([5, 6, 1234]);
    // Past the first pages of rows: growing must keep every row's values.
    const more = Array.from({ length: 10_000 }, (_, i) => {
      const x = rows.alloc();
      rows.set(x, C.hub, i);
      return x;
    });
    expect(more.map((x) => rows.get(x, C.hub))).toEqual(more.map((_, i) => i));
    expect([rows.get(a, C.code), rows.get(b, C.tCondition)]).toEqual([5, 1234]);
    expect(rows.get(more[9_999], C.tCondition)).toBeNaN();
    expect(rows.clone(more[5_000]) >= 10_002 && rows.get(rows.highWater - 1, C.hub) === 5_000).toBe(true);
    expect(rows.size).toBe(10_003);
    expect(rows.highWater).toBe(10_003);
  });
});

describe('AlertTable as a one-row replica of views', () => {
  it('restores a subset as the typed columns do, the columns it leaves out at -1', () => {
    const typed = new AlertTable(1);
    const views = new AlertTable(1).oneRowOfViews();
    const names = typed.columnNames;
    const values = Float64Array.from(names, (n, k) => valueFor(n, 3, k));
    for (const subset of [names, ['tHandshake', 'code', 'serial', 'user'], names.filter((_, k) => k % 4 !== 0)]) {
      const a = typed.columnSet(subset);
      const b = views.columnSet(subset);
      const packed = Float64Array.from(a.order, (n) => values[names.indexOf(n)]);
      typed.restore(0, packed, 0, a);
      views.restore(0, packed, 0, b);
      for (const n of names) {
        const got = (views as unknown as Record<string, ArrayLike<number>>)[n][0];
        if (subset.includes(n)) expect(got, n).toBe((typed as unknown as Record<string, ArrayLike<number>>)[n][0]);
        else expect(got, n).toBe(-1);
      }
    }
    expect(() => views.restore(1, values, 0)).toThrow(RangeError);
  });
});
