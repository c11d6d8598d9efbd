/**
 * The request table's rows are recycled: a row taken again must start with
 * every timing point unset (NaN), whatever the journey before left in it,
 * since the feeds tell "not reached" from NaN.
 */
import { describe, expect, it } from 'vitest';
import { RequestTable, TIME_COLUMNS } from '../../../src/flows/requests/table.js';

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
