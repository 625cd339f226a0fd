import fc from "fast-check";
import ipaddr from "ipaddr.js";
import { RateLimiterMemory } from "rate-limiter-flexible";
import { describe, expect, it } from "vitest";
import { LiveRecordBudget } from "./live-record-budget.ts";
import { networkKeys } from "./network-keys.ts";
import {
  type NetworkLimitMode,
  type NetworkLimitSet,
  NetworkLimits,
  type ScopeLimit,
} from "./network-limits.ts";

const small: Record<NetworkLimitMode, NetworkLimitSet> = {
  normal: {
    address: { points: 3, windowSeconds: 60 },
    prefix: { points: 5, windowSeconds: 60 },
  },
  attack: {
    address: { points: 1, windowSeconds: 60 },
    prefix: { points: 2, windowSeconds: 60 },
  },
};

async function takeN(limits: NetworkLimits, ip: string, n: number, mode?: NetworkLimitMode) {
  const verdicts = [];
  for (let i = 0; i < n; i++) verdicts.push(await limits.take(ip, mode));
  return verdicts;
}

describe("networkKeys", () => {
  it("keys IPv4 by address and /24", () => {
    expect(networkKeys("203.0.113.7")).toMatchObject({
      address: "203.0.113.7",
      prefix: "203.0.113.0/24",
    });
  });

  it("treats an IPv4-mapped IPv6 address as the IPv4 address it carries", () => {
    const mapped = networkKeys("::ffff:203.0.113.7");
    expect(mapped.address).toBe("203.0.113.7");
    expect(mapped.prefix).toBe("203.0.113.0/24");
    expect(networkKeys("::ffff:cb00:7107").address).toBe("203.0.113.7");
  });

  it("keys IPv6 by /64 as the address and /48 as the prefix, whatever the notation", () => {
    expect(networkKeys("2001:db8:1:2:3:4:5:6")).toMatchObject({
      address: "2001:db8:1:2::/64",
      prefix: "2001:db8:1::/48",
    });
    expect(networkKeys("2001:db8:1:2::9").address).toBe(networkKeys("2001:DB8:1:2:aa::1").address);
    expect(networkKeys("2001:db8::1").address).toBe("2001:db8:0:0::/64");
    expect(networkKeys("2001:db8:1:2::1").prefix).toBe(networkKeys("2001:db8:1:ffff::1").prefix);
  });

  it("reads a plain dotted quad (its fast path) exactly as ipaddr.js does", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 }),
        (o) => {
          const ip = o.join(".");
          const keys = networkKeys(ip);
          const parsed = ipaddr.process(ip);
          expect(keys.address).toBe(parsed.toString());
          expect(keys.prefix).toBe(`${o[0]}.${o[1]}.${o[2]}.0/24`);
          expect(keys.parsed?.toString()).toBe(parsed.toString());
          expect(keys.parsed?.match(ipaddr.parseCIDR(`${o[0]}.${o[1]}.${o[2]}.0/24`))).toBe(true);
        },
      ),
    );
    // Other IPv4 spellings still go through ipaddr.js and land on the same keys.
    expect(networkKeys("010.0.0.1").address).toBe("8.0.0.1");
    expect(networkKeys("0x7f.0.0.1")).toMatchObject({
      address: "127.0.0.1",
      prefix: "127.0.0.0/24",
    });
    expect(networkKeys("256.1.1.1").address).toBe("unparsed");
  });

  it("puts anything that is not an address under one shared key", () => {
    expect(networkKeys("not-an-ip")).toMatchObject({ address: "unparsed", prefix: "unparsed" });
    expect(networkKeys("")).toMatchObject({ address: "unparsed", parsed: null });
  });
});

describe("NetworkLimits", () => {
  it("allows the address budget, then refuses with the address scope and a Retry-After", async () => {
    const limits = new NetworkLimits({ limits: small });
    const verdicts = await takeN(limits, "198.51.100.1", 4);
    expect(verdicts.slice(0, 3)).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    const refused = verdicts[3];
    expect(refused).toMatchObject({ ok: false, scope: "address" });
    if (refused?.ok !== false) throw new Error("expected a refusal");
    expect(refused.retryAfter).toBeGreaterThanOrEqual(1);
    expect(refused.retryAfter).toBeLessThanOrEqual(60);
    // Another address in another /24 is unaffected.
    expect(await limits.take("192.0.2.1")).toEqual({ ok: true });
  });

  it("shares one budget across a /24, refusing with the prefix scope", async () => {
    const limits = new NetworkLimits({ limits: small });
    await takeN(limits, "198.51.100.1", 3);
    await takeN(limits, "198.51.100.2", 2);
    expect(await limits.take("198.51.100.3")).toMatchObject({ ok: false, scope: "prefix" });
    expect(await limits.take("198.51.101.3")).toEqual({ ok: true });
  });

  it("does not let a host refused at its own address spend its neighbours' prefix budget", async () => {
    const limits = new NetworkLimits({ limits: small });
    const flood = await takeN(limits, "198.51.100.1", 50);
    expect(flood.filter((v) => v.ok)).toHaveLength(3);
    // The /24 has 5 points: 3 went to the flooding host, 2 remain for its neighbours.
    expect(await takeN(limits, "198.51.100.2", 2)).toEqual([{ ok: true }, { ok: true }]);
    expect(await limits.take("198.51.100.3")).toMatchObject({ ok: false, scope: "prefix" });
  });

  it("counts an IPv4-mapped client and its plain IPv4 form as one address", async () => {
    const limits = new NetworkLimits({ limits: small });
    await takeN(limits, "::ffff:198.51.100.9", 2);
    await limits.take("198.51.100.9");
    expect(await limits.take("::ffff:198.51.100.9")).toMatchObject({
      ok: false,
      scope: "address",
    });
  });

  it("counts IPv6 per /64 as the address and per /48 as the prefix", async () => {
    const limits = new NetworkLimits({ limits: small });
    // Rotating addresses inside one /64 does not multiply the budget.
    await limits.take("2001:db8:1:2::1");
    await limits.take("2001:db8:1:2::2");
    await limits.take("2001:db8:1:2:ffff::3");
    expect(await limits.take("2001:db8:1:2::4")).toMatchObject({ ok: false, scope: "address" });
    // Rotating /64s inside one /48 runs into the prefix limit.
    await limits.take("2001:db8:1:3::1");
    await limits.take("2001:db8:1:4::1");
    expect(await limits.take("2001:db8:1:5::1")).toMatchObject({ ok: false, scope: "prefix" });
    expect(await limits.take("2001:db8:2::1")).toEqual({ ok: true });
  });

  it("applies the stricter set in attack mode, counted apart from the normal set", async () => {
    const limits = new NetworkLimits({ limits: small });
    expect(await takeN(limits, "203.0.113.5", 2, "attack")).toEqual([
      { ok: true },
      { ok: false, retryAfter: expect.any(Number), scope: "address" },
    ]);
    expect(await limits.take("203.0.113.5", "normal")).toEqual({ ok: true });
  });

  it("never limits exempt addresses and ranges", async () => {
    const limits = new NetworkLimits({ limits: small, exempt: ["127.0.0.1", "10.0.0.0/8"] });
    const verdicts = [
      ...(await takeN(limits, "127.0.0.1", 20)),
      ...(await takeN(limits, "::ffff:10.1.2.3", 20)),
    ];
    expect(verdicts.every((v) => v.ok)).toBe(true);
    expect(await takeN(limits, "127.0.0.2", 4)).toContainEqual(
      expect.objectContaining({ ok: false }),
    );
  });

  it("limits requests whose address does not parse under one shared key", async () => {
    const limits = new NetworkLimits({ limits: small });
    await takeN(limits, "garbage-1", 2);
    await limits.take("garbage-2");
    expect(await limits.take("")).toMatchObject({ ok: false, scope: "address" });
  });

  it("counts through the store it is given (RateLimiterRedis can replace memory)", async () => {
    const made: string[] = [];
    const limits = new NetworkLimits({
      limits: small,
      createStore: (name: string, limit: ScopeLimit) => {
        made.push(name);
        return new RateLimiterMemory({ keyPrefix: name, points: limit.points, duration: 60 });
      },
    });
    expect(made.sort()).toEqual([
      "net-attack-address",
      "net-attack-prefix",
      "net-normal-address",
      "net-normal-prefix",
    ]);
    expect(await takeN(limits, "192.0.2.8", 4)).toContainEqual(
      expect.objectContaining({ ok: false, scope: "address" }),
    );
  });

  it("stays within its record budget under a flood of random addresses, still limiting known hosts", async () => {
    const stores: RateLimiterMemory[] = [];
    const limits = new NetworkLimits({
      limits: small,
      maxTrackedKeys: 500,
      createStore: (name, limit) => {
        const store = new RateLimiterMemory({
          keyPrefix: name,
          points: limit.points,
          duration: limit.windowSeconds,
        });
        stores.push(store);
        return store;
      },
    });
    // An abusive host is counted (and cut off) before the flood starts.
    await takeN(limits, "192.0.2.66", 3);
    let flooded = 0;
    for (let i = 0; i < 20_000; i++) {
      const ip = `${(i * 7919) % 223}.${(i >> 8) & 255}.${i & 255}.${(i * 31) & 255}`;
      if ((await limits.take(ip)).ok) flooded += 1;
    }
    // Records really held by rate-limiter-flexible (its private Map), not just our estimate.
    const held = stores.reduce(
      (sum, s) =>
        sum +
        (s as unknown as { _memoryStorage: { _storage: Map<string, unknown> } })._memoryStorage
          ._storage.size,
      0,
    );
    expect(held).toBeLessThanOrEqual(500);
    expect(limits.stats().trackedKeys).toBeLessThanOrEqual(500);
    expect(limits.stats().uncounted).toBeGreaterThan(10_000);
    expect(flooded).toBeGreaterThan(19_000);
    // The host counted before the flood is still refused during it.
    expect(await limits.take("192.0.2.66")).toMatchObject({ ok: false, scope: "address" });
  });
});

describe("LiveRecordBudget", () => {
  it("counts records until their window ends, then forgets them", () => {
    const budget = new LiveRecordBudget(3);
    budget.noteCreated(1_000, 10_000);
    budget.noteCreated(1_500, 10_000);
    budget.noteCreated(5_000, 10_000);
    expect(budget.size(5_000)).toBe(3);
    expect(budget.isFull(5_000)).toBe(true);
    expect(budget.size(11_000)).toBe(2);
    expect(budget.isFull(11_999)).toBe(false);
    expect(budget.size(15_000)).toBe(0);
  });
});
