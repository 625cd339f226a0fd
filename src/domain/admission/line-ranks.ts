/**
 * Who still waits in a line, by place: a Fenwick tree (binary indexed tree) of 1s and 0s over
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

  /** A waiting place at the end of the line; returns its index (0-based). */
  append(): number {
    const i = this.tree.length;
    this.tree.push(1 + this.prefix(i - 1) - this.prefix(i - (i & -i)));
    this.count++;
    return i - 1;
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

  /** Starts over with `size` waiting places (after the line dropped its finished front). */
  reset(size: number): void {
    const tree = new Array<number>(size + 1).fill(1);
    tree[0] = 0;
    for (let i = 1; i <= size; i++) {
      const j = i + (i & -i);
      if (j <= size) tree[j] = (tree[j] as number) + (tree[i] as number);
    }
    this.tree = tree;
    this.count = size;
  }

  private prefix(i: number): number {
    let sum = 0;
    for (let k = i; k > 0; k -= k & -k) sum += this.tree[k] as number;
    return sum;
  }
}
