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
 *
 * PackedRows is the same recycling for a table laid out row by row (one
 * Float64Array, a fixed width per row), for rows read many columns at a time
 * long after they were last touched; its snapshot() copies a row in a
 * column table's order, so a Rows replica restores it.
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
  /** The columns' names in the order snapshot() copies them (a PackedRows table copies its own rows in this order). */
  readonly order: string[];
  /** The table's other columns, which a restore() of this set sets to -1 (made at the first). */
  rest: ColumnSet | null = null;
  /** Each column's index in the table's columns(), in copy order (a one-row replica of views restores by it). */
  places = new Int32Array(0);

  constructor(private readonly spec: ReadonlyArray<readonly [string, ColumnType]>) {
    this.width = spec.length;
    const types = [...new Set(spec.map(([, C]) => COLUMN_TYPES.indexOf(C)))];
    this.order = types.flatMap((t) => spec.filter(([, C]) => COLUMN_TYPES.indexOf(C) === t).map(([name]) => name));
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

/** The free list both layouts recycle rows with, so that memory follows the peak in flight. */
abstract class RecycledRows {
  capacity: number;
  size = 0;
  private free: Int32Array;
  private freeCount = 0;
  protected high = 0;

  constructor(initialCapacity: number) {
    this.capacity = Math.max(16, initialCapacity);
    this.free = new Int32Array(this.capacity);
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

  /** Doubles the capacity: the free list here, the values in growValues(). */
  protected grow(): void {
    const n = this.capacity * 2;
    const free = new Int32Array(n);
    free.set(this.free);
    this.free = free;
    this.growValues(n);
    this.capacity = n;
  }

  /** Makes room for `n` rows, keeping the values of the present ones. */
  protected abstract growValues(n: number): void;
}

/** Rows per page of a PackedRows table (a page of 32 numbers a row is 1 MiB). */
export const PAGE_BITS = 12;
const PAGE_ROWS = 1 << PAGE_BITS;
const PAGE_MASK = PAGE_ROWS - 1;

/**
 * Rows laid out one after another, `width` numbers each: a row's columns
 * share one to four cache lines, where a table of parallel arrays touches one
 * line per column. For a table whose rows are many, long in flight and read
 * whole at once (a storm's alerts: a quarter of a million waiting in
 * throttles, each read column by column when its record is written), the
 * misses are most of the cost. The rows are kept in pages of PAGE_ROWS, so
 * that growing adds pages and copies nothing (a storm's table grows to half
 * a million rows within simulated minutes). Every column is a float64, so
 * the integers a table keeps must stay exact below 2^53.
 */
export class PackedRows extends RecycledRows {
  /** Row r is at pages[r >>> PAGE_BITS], from (r & (PAGE_ROWS - 1)) * width. */
  readonly pages: Float64Array[] = [];
  /** A fresh row's values from place `kept` on, copied in by take(). */
  private readonly blank: Float64Array;

  constructor(
    /** Numbers per row (a multiple of 8 keeps rows on whole cache lines). */
    readonly width: number,
    /** Column name to its place in a row. */
    private readonly places: ReadonlyMap<string, number>,
    blank: ArrayLike<number>,
    initialCapacity: number,
    /** The first places a row keeps when it is taken again (0 on a new page): a generation the table bumps itself. */
    private readonly kept = 0,
  ) {
    super(Math.ceil(initialCapacity / PAGE_ROWS) * PAGE_ROWS);
    this.growValues(this.capacity);
    this.blank = Float64Array.from(blank).subarray(kept);
  }

  /** The places in a row of a column-major table's set, in its copy order: what snapshot() copies for it. */
  placesOf(set: ColumnSet): Int32Array {
    return Int32Array.from(set.order, (name) => {
      const p = this.places.get(name);
      if (p === undefined) throw new Error(`no column ${name}`);
      return p;
    });
  }

  /** Copies row `i`'s values at `places` into `out` from `off`, as Rows.snapshot() would copy a set of the same columns. */
  snapshot(i: number, out: Float64Array, off: number, places: Int32Array): void {
    const f = this.pages[i >>> PAGE_BITS];
    const base = (i & PAGE_MASK) * this.width;
    for (let k = 0; k < places.length; k++) out[off + k] = f[base + places[k]];
  }

  /**
   * Row `i` as row 0 of `replica`, a one-row column-major table (a recorder's:
   * Rows.oneRowOfViews), through `scratch`; `places` are the replica's
   * columns' places in this row (placesOf its `all`).
   */
  copyTo(i: number, places: Int32Array, replica: Rows, scratch: Float64Array): void {
    this.snapshot(i, scratch, 0, places);
    replica.restore(0, scratch, 0);
  }

  /** A row index, free or new, set to the blank row. */
  protected override take(): number {
    const i = super.take();
    this.pages[i >>> PAGE_BITS].set(this.blank, (i & PAGE_MASK) * this.width + this.kept);
    return i;
  }

  /** A fresh row holding row `from`'s values. */
  copy(from: number): number {
    const i = this.take();
    const w = this.width;
    const src = this.pages[from >>> PAGE_BITS];
    const dst = this.pages[i >>> PAGE_BITS];
    const a = (from & PAGE_MASK) * w;
    const b = (i & PAGE_MASK) * w;
    for (let k = 0; k < w; k++) dst[b + k] = src[a + k];
    return i;
  }

  protected growValues(n: number): void {
    while (this.pages.length * PAGE_ROWS < n) this.pages.push(new Float64Array(PAGE_ROWS * this.width));
  }
}

export abstract class Rows extends RecycledRows {
  /** Every column (the first) and the subsets asked for: their arrays are refreshed when the columns grow. */
  private readonly sets: ColumnSet[] = [];
  /** All the columns, as snapshot() copies them by default. */
  all!: ColumnSet;
  /** -1 for every column: what a subset's restore() leaves in the others. */
  private poison = new Float64Array(0);
  /** Set by oneRowOfViews(): the one array every column is a view on, in columns() order. */
  private views: Float64Array | null = null;

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
    const all = this.columnNames;
    set.places = Int32Array.from(set.order, (name) => all.indexOf(name));
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
    if (this.views !== null) {
      this.restoreView(i, src, off, set, this.views);
      return;
    }
    while (i >= this.capacity) this.grow();
    if (i >= this.high) this.high = i + 1;
    if (set !== this.all) {
      // Only the columns the subset leaves out: the others it writes itself.
      const rest = set.rest ?? (set.rest = this.columnSet(this.columnNames.filter((name) => !set.order.includes(name))));
      if (this.poison.length < rest.width) this.poison = new Float64Array(this.all.width).fill(-1);
      const a = rest.groups;
      for (let k = 0, p = 0; k < a.length; k++) p = COPY_IN[a[k].type](a[k].cols as never, i, this.poison, p);
    }
    const g = set.groups;
    for (let k = 0; k < g.length; k++) off = COPY_IN[g[k].type](g[k].cols as never, i, src, off);
  }

  /**
   * Makes this table a one-row replica (a recorder's, restored call by call)
   * whose columns are one-element Float64Array views on one array: restore()
   * then copies a set by place into that array, where columns of their own
   * types took a copying loop per type over the columns' arrays (a restore of
   * the storm's three alert records: about 0.3 us against 0.2 us in a
   * micro-benchmark). The columns then keep any number as it is, so the
   * snapshots restored must hold values already in their columns' ranges (as
   * a journey's own rows do).
   */
  oneRowOfViews(): this {
    const names = this.columnNames;
    const views = new Float64Array(names.length);
    const self = this as unknown as Record<string, Column>;
    names.forEach((name, k) => (self[name] = views.subarray(k, k + 1)));
    for (const set of this.sets) set.refresh(this);
    this.views = views;
    this.high = 1;
    return this;
  }

  private restoreView(i: number, src: Float64Array, off: number, set: ColumnSet, views: Float64Array): void {
    if (i !== 0) throw new RangeError(`a one-row replica has no row ${i}`);
    if (set !== this.all) {
      const rest = (set.rest ??= this.columnSet(this.columnNames.filter((name) => !set.order.includes(name)))).places;
      for (let k = 0; k < rest.length; k++) views[rest[k]] = -1;
    }
    const places = set.places;
    for (let k = 0; k < places.length; k++) views[places[k]] = src[off + k];
  }

  protected growValues(n: number): void {
    const self = this as unknown as Record<string, Column>;
    for (const [name, C] of this.columns()) {
      const a = new C(n);
      a.set(self[name] as never);
      self[name] = a;
    }
    for (const set of this.sets) set.refresh(this);
  }
}
