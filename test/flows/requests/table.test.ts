/**
 * The request table's rows are recycled: a row taken again must start with
 * every timing point unset (NaN), whatever the journey before left in it,
 * since the feeds tell "not reached" from NaN. The journey keeps its rows
 * packed (InFlightRequests), the recorder reads columns (RequestTable): the
 * two must agree on every column's place and on a fresh row's values.
 */
import { describe, expect, it } from 'vitest';
import { InFlightRequests, Q, RequestTable, TIME_COLUMNS } from '../../../src/flows/requests/table.js';

describe('RequestTable', () => {
  it('gives a recycled row every time unset and a new generation', () => {
    const T = new RequestTable(16);
    const row = T.alloc();
    TIME_COLUMNS.forEach((name, k) => (T[name][row] = 1_000 + k));
    const gen = T.gen[row];
    T.release(row);
    expect(T.alloc()).toBe(row);
    for (const name of TIME_COLUMNS) expect(T[name][row], name).toBeNaN();
    expect(T.gen[row]).toBe(gen + 2);
  });
});

describe('InFlightRequests', () => {
  const names = new RequestTable(1).columnNames;
  const place = (name: string) => (Q as unknown as Record<string, number>)[name];

  it('places each column where RequestTable lists it', () => {
    expect(names.map(place)).toEqual(names.map((_, i) => i));
  });

  it('gives a recycled row the values a fresh RequestTable row has, and a new generation', () => {
    const rows = new InFlightRequests(16);
    const row = rows.alloc();
    names.forEach((_, k) => k !== Q.gen && rows.set(row, k as Q, 1_000 + k));
    const gen = rows.get(row, Q.gen);
    rows.release(row);
    expect(rows.alloc()).toBe(row);
    expect(rows.get(row, Q.gen)).toBe(gen + 2);
    const fresh = new RequestTable(1);
    const r = fresh.alloc();
    const columns = fresh as unknown as Record<string, ArrayLike<number>>;
    for (const name of names) if (name !== 'gen') expect(rows.get(row, place(name)), name).toBe(columns[name][r]);
  });

  it('snapshots a row in the order the column table restores it', () => {
    const rows = new InFlightRequests(16);
    const row = rows.alloc();
    names.forEach((_, k) => rows.set(row, k as Q, k + 1));
    const table = new RequestTable(1);
    const set = table.columnSet(['tUserReceived', 'code', 'serial', 'user', 'tSent']);
    const out = new Float64Array(set.width);
    rows.snapshot(row, out, 0, rows.placesOf(set));
    table.restore(0, out, 0, set);
    for (const name of set.order) expect((table as unknown as Record<string, ArrayLike<number>>)[name][0], name).toBe(place(name) + 1);
  });
});
