/**
 * Recycled rows of parallel typed arrays: the shape of every "things in
 * flight" table (a journey's state as struct-of-arrays, a row number
 * travelling through the kernel). alloc() takes a free row or a new one,
 * release() gives it back, and the columns double in size when full, so
 * memory follows the peak in flight and nothing is allocated per row.
 *
 * A table names its columns once (columns()); growing copies each of them.
 */
export type Column = Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float64Array;
export type ColumnType = new (n: number) => Column;

export abstract class Rows {
  capacity: number;
  size = 0;
  private free: Int32Array;
  private freeCount = 0;
  private high = 0;

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
  }
}
