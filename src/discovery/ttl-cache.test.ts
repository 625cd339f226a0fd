import { describe, expect, it } from "vitest";
import { TtlCache } from "./ttl-cache.ts";

function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe("TtlCache", () => {
  it("shares one load between concurrent reads and keeps it for the TTL", async () => {
    const c = clock();
    const cache = new TtlCache<number>({ ttlMs: 1_000, now: c.now });
    let loads = 0;
    const load = async () => ++loads;
    expect(await Promise.all([cache.get("k", load), cache.get("k", load)])).toEqual([1, 1]);
    c.advance(999);
    expect(await cache.get("k", load)).toBe(1);
    c.advance(1);
    expect(await cache.get("k", load)).toBe(2);
  });

  it("answers a stale value at once while one background load refreshes it", async () => {
    const c = clock();
    const cache = new TtlCache<number>({ ttlMs: 100, staleMs: 1_000, now: c.now });
    let loads = 0;
    let release = () => {};
    const slow = () =>
      new Promise<number>((resolve) => {
        loads++;
        release = () => resolve(loads);
      });
    const first = cache.get("k", slow);
    release();
    expect(await first).toBe(1);
    c.advance(200);
    expect(await cache.get("k", slow)).toBe(1);
    expect(await cache.get("k", slow)).toBe(1);
    expect(loads).toBe(2);
    release();
    await Promise.resolve();
    await Promise.resolve();
    expect(await cache.get("k", slow)).toBe(2);
  });

  it("a stale read answers the older value at once and refreshes it in the background", async () => {
    const c = clock();
    const cache = new TtlCache<string>({ ttlMs: 100, staleMs: 1_000, now: c.now });
    expect(await cache.get("k", async () => "first")).toBe("first");
    c.advance(200);
    let release: (v: string) => void = () => {};
    let loads = 0;
    const slow = () => {
      loads++;
      return new Promise<string>((resolve) => (release = resolve));
    };
    // The refresh never settles before these reads: they do not wait for it.
    expect(await cache.get("k", slow)).toBe("first");
    expect(await cache.get("k", slow)).toBe("first");
    expect(loads).toBe(1);
    release("fresh");
    await Promise.resolve();
    await Promise.resolve();
    expect(await cache.get("k", slow)).toBe("fresh");
  });

  it("a dropped key (someone's own change) is loaded fresh on its next read", async () => {
    const c = clock();
    const cache = new TtlCache<string>({ ttlMs: 100, staleMs: 1_000, now: c.now });
    await cache.get("k", async () => "before");
    c.advance(200);
    cache.expire("k");
    expect(await cache.get("k", async () => "after")).toBe("after");
  });

  it("does not keep a failed load, nor one an expiry overtook", async () => {
    const c = clock();
    const cache = new TtlCache<string>({ ttlMs: 1_000, now: c.now });
    await expect(cache.get("k", () => Promise.reject(new Error("down")))).rejects.toThrow("down");
    expect(await cache.get("k", async () => "ok")).toBe("ok");
    cache.expire();
    let release: (v: string) => void = () => {};
    const pending = cache.get("j", () => new Promise((r) => (release = r)));
    cache.expire("j");
    release("old");
    expect(await pending).toBe("old");
    expect(await cache.get("j", async () => "new")).toBe("new");
  });

  it("expireWithin makes entries stale soon, never later than their TTL", async () => {
    const c = clock();
    const cache = new TtlCache<number>({ ttlMs: 5_000, now: c.now });
    let loads = 0;
    await cache.get("k", async () => ++loads);
    cache.expireWithin(1_000);
    c.advance(999);
    expect(await cache.get("k", async () => ++loads)).toBe(1);
    c.advance(1);
    expect(await cache.get("k", async () => ++loads)).toBe(2);
  });

  it("keeps at most maxEntries, dropping the oldest", async () => {
    const cache = new TtlCache<string>({ ttlMs: 10_000, maxEntries: 2 });
    for (const k of ["a", "b", "c"]) await cache.get(k, async () => k);
    expect(cache.size).toBe(2);
  });
});
