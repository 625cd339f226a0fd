import { describe, expect, it } from "vitest";
import { AmphiError } from "../errors/error-registry.ts";
import { clientKey, Limiter } from "./limiter.ts";

describe("Limiter", () => {
  it("allows the configured points per key, then refuses with Retry-After", async () => {
    const limiter = new Limiter("t", { points: 2, windowSeconds: 60 });
    await limiter.take("a");
    await limiter.take("a");
    const refused = await limiter.take("a").catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AmphiError);
    expect((refused as AmphiError).code).toBe("AMPHI_RATE_LIMITED");
    expect((refused as AmphiError).retryAfter).toBeGreaterThan(0);
    await limiter.take("b");
  });

  it("checks without counting and counts penalties", async () => {
    const limiter = new Limiter("t2", { points: 1, windowSeconds: 60 });
    await limiter.check("a");
    await limiter.check("a");
    await limiter.penalize("a");
    await expect(limiter.check("a")).rejects.toBeInstanceOf(AmphiError);
    await limiter.reset("a");
    await limiter.check("a");
  });
});

describe("clientKey", () => {
  it("keys IPv4 by address and IPv6 by /64", () => {
    expect(clientKey("203.0.113.7")).toBe("203.0.113.7");
    expect(clientKey("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(clientKey("2001:db8:1:2:3:4:5:6")).toBe("2001:db8:1:2::/64");
    expect(clientKey("2001:db8:1:2::9")).toBe(clientKey("2001:db8:1:2:aaaa::1"));
    expect(clientKey("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(clientKey("::1")).toBe("0:0:0:0::/64");
  });
});
