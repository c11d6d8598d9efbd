/**
 * Recycled rows of parallel typed arrays: the shape of every "things in
 * flight" table (a journey's state as struct-of-arrays, a row number
 * travelling through the kernel). alloc() takes a free row or a new one,
 * release() gives it back, and the columns double in size when full, so
 * memory follows the peak in flight and nothing is allocated per row.
 *
 * A table names its columns once (columns()); growing copies each of them.
 * snapshot() and restore() copy one row's values out and into a replica of
 * the same table (e.g. on another thread): the columns are grouped by array
 * type so that each copying loop sees one kind of array.
 */
export type Column = Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float64Array;
export type ColumnType = new (n: number) => Column;

const COLUMN_TYPES: ColumnType[] = [Uint8Array, Int16Array, Uint16Array, Int32Array, Uint32Array, Float64Array];

// One copying function per array type, written out, so that each indexed access sees one kind of array.
type CopyOut<A> = (cols: A[], i: number, out: Float64Array, off: number) => number;
type CopyIn<A> = (cols: A[], i: number, src: Float64Array, off: number) => number;
const outU8: CopyOut<Uint8Array> = (cols, i, out, off) => { for (let c = 0; c < cols.length; c++) out[off++] = cols[c][i]; return off; };
const outI16: CopyOut<Int16Array> = (cols, i, out, off) => { for (let c = 0; c < cols.length; c++) out[off++] = cols[c][i]; return off; };
const outU16: CopyOut<Uint16Array> = (cols, i, out, off) => { for (let c = 0; c < cols.length; c++) out[off++] = cols[c][i]; return off; };
const outI32: CopyOut<Int32Array> = (cols, i, out, off) => { for (let c = 0; c < cols.length; c++) out[off++] = cols[c][i]; return off; };
const outU32: CopyOut<Uint32Array> = (cols, i, out, off) => { for (let c = 0; c < cols.length; c++) out[off++] = cols[c][i]; return off; };
const outF64: CopyOut<Float64Array> = (cols, i, out, off) => { for (let c = 0; c < cols.length; c++) out[off++] = cols[c][i]; return off; };
const inU8: CopyIn<Uint8Array> = (cols, i, src, off) => { for (let c = 0; c < cols.length; c++) cols[c][i] = src[off++]; return off; };
const inI16: CopyIn<Int16Array> = (cols, i, src, off) => { for (let c = 0; c < cols.length; c++) cols[c][i] = src[off++]; return off; };
const inU16: CopyIn<Uint16Array> = (cols, i, src, off) => { for (let c = 0; c < cols.length; c++) cols[c][i] = src[off++]; return off; };
const inI32: CopyIn<Int32Array> = (cols, i, src, off) => { for (let c = 0; c < cols.length; c++) cols[c][i] = src[off++]; return off; };
const inU32: CopyIn<Uint32Array> = (cols, i, src, off) => { for (let c = 0; c < cols.length; c++) cols[c][i] = src[off++]; return off; };
const inF64: CopyIn<Float64Array> = (cols, i, src, off) => { for (let c = 0; c < cols.length; c++) cols[c][i] = src[off++]; return off; };
const COPY_OUT = [outU8, outI16, outU16, outI32, outU32, outF64] as const;
const COPY_IN = [inU8, inI16, inU16, inI32, inU32, inF64] as const;

/** Columns of a table grouped by array type (columns() order within a group), so that each copying loop sees one kind of array. */
export class ColumnSet {
  groups: Array<{ type: number; cols: Column[] }> = [];
  readonly width: number;

  constructor(private readonly spec: ReadonlyArray<readonly [string, ColumnType]>) {
    this.width = spec.length;
  }

  /** Takes the table's current arrays (after they grow). */
  refresh(table: Rows): void {
    const self = table as unknown as Record<string, Column>;
    const byType = new Map<number, Column[]>();
    for (const [name, C] of this.spec) {
      const type = COLUMN_TYPES.indexOf(C);
      if (!byType.has(type)) byType.set(type, []);
      byType.get(type)!.push(self[name]);
    }
    this.groups = [...byType].map(([type, cols]) => ({ type, cols }));
  }
}

export abstract class Rows {
  capacity: number;
  size = 0;
  private free: Int32Array;
  private freeCount = 0;
  private high = 0;
  /** Every column (the first) and the subsets asked for: their arrays are refreshed when the columns grow. */
  private readonly sets: ColumnSet[] = [];
  /** All the columns, as snapshot() copies them by default. */
  all!: ColumnSet;
  /** -1 for every column: what a subset's restore() leaves in the others. */
  private poison = new Float64Array(0);

  constructor(initialCapacity: number) {
    this.capacity = Math.max(16, initialCapacity);
    this.free = new Int32Array(this.capacity);
  }

  /** The table's columns: field name and array type. */
  protected abstract columns(): ReadonlyArray<readonly [string, ColumnType]>;

  /** Creates every column at the initial capacity; call once from the subclass constructor. */
  protected createColumns(): void {
    const self = this as unknown as Record<string, Column>;
    for (const [name, C] of this.columns()) self[name] = new C(this.capacity);
    this.all = this.columnSet(this.columns().map(([name]) => name));
  }

  /** Every column's name, in columns() order. */
  get columnNames(): string[] {
    return this.columns().map(([name]) => name);
  }

  /** Some of the columns, by name, for snapshot() and restore(): what one use of a row reads. */
  columnSet(names: readonly string[]): ColumnSet {
    const known = new Map(this.columns());
    for (const n of names) if (!known.has(n)) throw new Error(`no column ${n}`);
    const set = new ColumnSet(this.columns().filter(([name]) => names.includes(name)));
    set.refresh(this);
    this.sets.push(set);
    return set;
  }

  /** Copies row `i`'s values of `set` (all columns by default) into `out` from `off`: set.width of them. */
  snapshot(i: number, out: Float64Array, off: number, set: ColumnSet = this.all): void {
    const g = set.groups;
    for (let k = 0; k < g.length; k++) off = COPY_OUT[g[k].type](g[k].cols as never, i, out, off);
  }

  /**
   * Writes a snapshot() of `set` into row `i`, growing the columns to hold it.
   * With a subset, the row's other columns are set to -1 first (255 in a byte
   * column): a reader of a column the subset left out sees a value no journey
   * writes there, not the last row's.
   */
  restore(i: number, src: Float64Array, off: number, set: ColumnSet = this.all): void {
    while (i >= this.capacity) this.grow();
    if (i >= this.high) this.high = i + 1;
    if (set !== this.all) {
      if (this.poison.length < this.all.width) this.poison = new Float64Array(this.all.width).fill(-1);
      const a = this.all.groups;
      for (let k = 0, p = 0; k < a.length; k++) p = COPY_IN[a[k].type](a[k].cols as never, i, this.poison, p);
    }
    const g = set.groups;
    for (let k = 0; k < g.length; k++) off = COPY_IN[g[k].type](g[k].cols as never, i, src, off);
  }

  /** A row index, free or new (its values are whatever was left there). */
  protected take(): number {
    let i: number;
    if (this.freeCount > 0) i = this.free[--this.freeCount];
    else {
      if (this.high === this.capacity) this.grow();
      i = this.high++;
    }
    this.size++;
    return i;
  }

  release(i: number): void {
    this.size--;
    this.free[this.freeCount++] = i;
  }

  /** Peak rows in use since creation. */
  get highWater(): number {
    return this.high;
  }

  private grow(): void {
    const n = this.capacity * 2;
    const free = new Int32Array(n);
    free.set(this.free);
    this.free = free;
    const self = this as unknown as Record<string, Column>;
    for (const [name, C] of this.columns()) {
      const a = new C(n);
      a.set(self[name] as never);
      self[name] = a;
    }
    this.capacity = n;
    for (const set of this.sets) set.refresh(this);
  }
}
