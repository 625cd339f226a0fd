/**
 * Who still waits in a line (or who counts in positions), by place: a Fenwick tree (binary indexed tree) of 1s and 0s over
 * the line's places, so a place's honest position (the waiting places up to it) costs
 * O(log n) even after places anywhere in the line lapsed.
 */
export class LineRanks {
  /** 1-based; tree[i] sums the places (i - lowbit(i), i]. */
  private tree: number[] = [0];
  private count = 0;

  /** Places still waiting. */
  get total(): number {
    return this.count;
  }

  /** A place at the end of the line, counted or not; returns its index (0-based). */
  append(counted = true): number {
    const i = this.tree.length;
    const value = counted ? 1 : 0;
    this.tree.push(value + this.prefix(i - 1) - this.prefix(i - (i & -i)));
    this.count += value;
    return i - 1;
  }

  /** The place at `index`, not counted until now, counts (again). */
  add(index: number): void {
    for (let i = index + 1; i < this.tree.length; i += i & -i) {
      this.tree[i] = (this.tree[i] as number) + 1;
    }
    this.count++;
  }

  /** The place at `index` waits no more (it lapsed, or its turn came). Call once per place. */
  remove(index: number): void {
    for (let i = index + 1; i < this.tree.length; i += i & -i) {
      this.tree[i] = (this.tree[i] as number) - 1;
    }
    this.count--;
  }

  /** Waiting places at or before `index`: the position of a waiting place there. */
  through(index: number): number {
    return this.prefix(index + 1);
  }

  /**
   * Starts over with `size` places (after the line dropped its finished front), all counted,
   * or those `counted` says.
   */
  reset(size: number, counted?: (index: number) => boolean): void {
    const tree = new Array<number>(size + 1).fill(1);
    tree[0] = 0;
    let count = size;
    if (counted) {
      for (let i = 1; i <= size; i++) if (!counted(i - 1)) tree[i] = 0;
      count = 0;
      for (let i = 1; i <= size; i++) count += tree[i] as number;
    }
    for (let i = 1; i <= size; i++) {
      const j = i + (i & -i);
      if (j <= size) tree[j] = (tree[j] as number) + (tree[i] as number);
    }
    this.tree = tree;
    this.count = count;
  }

  private prefix(i: number): number {
    let sum = 0;
    for (let k = i; k > 0; k -= k & -k) sum += this.tree[k] as number;
    return sum;
  }
}
