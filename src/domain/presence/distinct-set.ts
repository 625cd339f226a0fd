import { HyperLogLog } from "./hyperloglog.ts";

/**
 * A set of ids that counts exactly up to `exactLimit` members and then switches to a
 * HyperLogLog sketch (fixed memory, ~0.8% error): exact for small Spaces, bounded for huge ones.
 */
export class DistinctSet {
  private exact: Set<string> | null = new Set();
  private sketch: HyperLogLog | null = null;

  constructor(private readonly exactLimit: number) {}

  get isExact(): boolean {
    return this.exact !== null;
  }

  add(id: string): void {
    if (this.exact) {
      this.exact.add(id);
      if (this.exact.size > this.exactLimit) this.toSketch();
    } else this.sketch?.add(id);
  }

  count(): number {
    return this.exact ? this.exact.size : (this.sketch?.count() ?? 0);
  }

  /** The union of several sets: exact while it fits under the limit, else estimated. */
  static unionCount(sets: readonly DistinctSet[], exactLimit: number): number {
    if (sets.every((s) => s.exact)) {
      const union = new Set<string>();
      for (const s of sets) for (const id of s.exact as Set<string>) union.add(id);
      if (union.size <= exactLimit) return union.size;
    }
    const merged = new HyperLogLog();
    for (const s of sets) merged.merge(s.asSketch());
    return merged.count();
  }

  private asSketch(): HyperLogLog {
    if (this.sketch) return this.sketch;
    const sketch = new HyperLogLog();
    for (const id of this.exact ?? []) sketch.add(id);
    return sketch;
  }

  private toSketch(): void {
    this.sketch = this.asSketch();
    this.exact = null;
  }
}
