import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  conformanceGate,
  conformanceSettings,
  describeSharedStateConformance,
} from "../../src/shared-state/conformance.ts";
import { RedisSharedState } from "../../src/shared-state/redis/redis-shared-state.ts";
import { type RedisServer, startRedisServer } from "../support/redis-server.ts";

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.stop();
});

let nodes = 0;
const node = (role: "api" | "media" = "api", settings = conformanceSettings()) =>
  RedisSharedState.connect({
    url: redis.url,
    node: { name: `${role}-${++nodes}`, role },
    settings,
  });

describeSharedStateConformance("Redis", async (settings) => {
  const [a, b] = await Promise.all([node("api", settings), node("api", settings)]);
  return { a, b, close: async () => void (await Promise.all([a.close(), b.close()])) };
});

describe("Redis down: every node keeps answering on its own", () => {
  test("joins, limits and nonces answer locally while Redis is dead, and share again once it is back", async () => {
    const a = await node();
    try {
      await a.share.beat();
      expect(a.health().shared).toBe(true);
      await redis.kill();
      const space = `down${Date.now()}`;
      const at = { phase: "queue" as const, nowMs: Date.now(), activeListeners: 0 };
      // The local gate at this node's share: some admitted at once, the rest queued. No throw.
      const decisions = [];
      for (let i = 0; i < 5; i++) decisions.push(await a.admission.arrive(space, at));
      expect(decisions.filter((d) => d.kind === "admit").length).toBeGreaterThanOrEqual(1);
      expect(decisions.filter((d) => d.kind === "admit").length).toBeLessThanOrEqual(
        conformanceGate.burst,
      );
      const limiter = a.limits.create({ name: `down-${Date.now()}`, points: 2, windowSeconds: 10 });
      await limiter.consume("10.9.9.9");
      await expect(limiter.consume("10.9.9.9")).resolves.toBeTruthy();
      await expect(limiter.consume("10.9.9.9")).rejects.toMatchObject({ remainingPoints: 0 });
      expect(await a.nonces.spend("nonce-down", Date.now() + 60_000)).toBe(true);
      expect(await a.nonces.spend("nonce-down", Date.now() + 60_000)).toBe(false);
      a.presence.seen(space, "ticket-1", Date.now());
      expect(await a.presence.current(space, Date.now() + 5_000)).toBe(1);
      // The client notices the closed socket on its own schedule; every call above already
      // answered locally.
      const noticed = Date.now() + 5_000;
      while (a.health().shared && Date.now() < noticed) await new Promise((r) => setTimeout(r, 20));
      expect(a.health().shared).toBe(false);

      await redis.restart();
      const until = Date.now() + 10_000;
      while (!a.health().shared && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      expect(a.health().shared).toBe(true);
      const b = await node();
      try {
        const fresh = `up${Date.now()}`;
        const first = await a.admission.arrive(fresh, at);
        expect(first.kind).toBe("admit");
        expect((await b.admission.arrive(fresh, at)).kind).toBe("admit");
        // The fleet's bucket again (burst 2): the third arrival queues, whichever node it asks.
        expect((await a.admission.arrive(fresh, at)).kind).toBe("queue");
      } finally {
        await b.close();
      }
    } finally {
      await a.close();
    }
  });
});
