import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DistinctSet } from "./distinct-set.ts";
import { HyperLogLog, murmur3 } from "./hyperloglog.ts";
import { ListenerCounter } from "./listener-counter.ts";

const settings = { windowMs: 75_000, bucketMs: 15_000, exactLimit: 1_000, refreshMs: 0 };

describe("HyperLogLog", () => {
  it.each([10, 1_000, 50_000, 300_000])("estimates %i distinct ids within 3%%", (n) => {
    const h = new HyperLogLog();
    for (let i = 0; i < n; i++) {
      h.add(`ticket-${i}`);
      h.add(`ticket-${i}`); // repeats do not count
    }
    expect(Math.abs(h.count() - n) / n).toBeLessThan(0.03);
  });

  it("counts a union when two sketches merge", () => {
    const a = new HyperLogLog();
    const b = new HyperLogLog();
    for (let i = 0; i < 40_000; i++) a.add(`k${i}`);
    for (let i = 20_000; i < 60_000; i++) b.add(`k${i}`);
    expect(Math.abs(a.merge(b).count() - 60_000) / 60_000).toBeLessThan(0.03);
  });

  it("gives similar ids distinct, order-sensitive hashes", () => {
    const hashes = new Set(Array.from({ length: 10_000 }, (_, i) => murmur3(`t${i}`)));
    expect(hashes.size).toBe(10_000);
    expect(murmur3("")).toBe(murmur3(""));
    expect(murmur3("ab")).not.toBe(murmur3("ba"));
  });
});

describe("distinct set", () => {
  it("is exact up to its limit and estimated past it", () => {
    const s = new DistinctSet(100);
    for (let i = 0; i < 100; i++) s.add(`a${i % 100}`);
    expect([s.count(), s.isExact]).toEqual([100, true]);
    for (let i = 0; i < 5_000; i++) s.add(`b${i}`);
    expect(s.isExact).toBe(false);
    expect(Math.abs(s.count() - 5_100) / 5_100).toBeLessThan(0.03);
  });

  it("property: the union of small sets is exact", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 200 }), { maxLength: 50 })),
        (groups) => {
          const sets = groups.map((g) => {
            const s = new DistinctSet(1_000);
            for (const id of g) s.add(String(id));
            return s;
          });
          expect(DistinctSet.unionCount(sets, 1_000)).toBe(new Set(groups.flat()).size);
        },
      ),
    );
  });
});

describe("listener counter", () => {
  it("counts distinct tickets heard within the window, and forgets silent ones", () => {
    const c = new ListenerCounter(settings);
    c.issued("a", 0);
    c.seen("a", 30_000);
    c.issued("b", 30_000);
    c.seen("b", 31_000);
    expect(c.current(31_000)).toBe(2);
    // "a" is silent after 30 s: it drops out once its last heartbeat leaves the window.
    c.seen("b", 61_000);
    c.seen("b", 91_000);
    expect(c.current(120_000)).toBe(1);
    c.seen("b", 200_000);
    expect(c.figures(200_000)).toEqual({ current: 1, peak: 2, unique: 2 });
  });

  it("counts a ticket issued since the last refresh at once (an upper bound for the ceiling)", () => {
    const c = new ListenerCounter({ ...settings, refreshMs: 1_000 });
    expect(c.current(0)).toBe(0);
    c.issued("a", 10);
    c.issued("b", 20);
    expect(c.current(30)).toBe(2);
    expect(c.current(2_000)).toBe(2);
  });

  it("switches to an estimate for a huge audience and keeps the peak and unique totals", () => {
    const c = new ListenerCounter({ ...settings, exactLimit: 1_000 });
    for (let i = 0; i < 20_000; i++) c.issued(`t${i}`, i);
    const big = c.figures(20_000);
    expect(Math.abs(big.current - 20_000) / 20_000).toBeLessThan(0.03);
    for (let i = 0; i < 10; i++) c.seen(`t${i}`, 500_000);
    const later = c.figures(500_000);
    expect(later.current).toBe(10);
    expect(later.peak).toBe(big.current);
    expect(Math.abs(later.unique - 20_000) / 20_000).toBeLessThan(0.03);
  });
});
