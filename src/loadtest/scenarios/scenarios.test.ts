import { describe, expect, test } from "vitest";
import { hasHostileClients, scenarioNames, scenarios } from "./index.ts";
import { shareOf } from "./scenario.ts";

const options = { clients: 100, durationSeconds: 30, rampSeconds: 10, hostileRatio: 10 };

describe("scenario plans", () => {
  test("the four scenarios exist", () => {
    expect(scenarioNames.sort()).toEqual(["attack", "flash", "join-storm", "listeners"]);
  });

  test("flash plans the join-storm spike of listeners plus hostile clients over the same window", () => {
    const plan = scenarios.flash!.plan({ ...options, hostileRatio: 3 });
    const listeners = plan.filter((c) => c.kind === "listener");
    const hostile = plan.filter((c) => c.kind === "hostile");
    expect(listeners.map((c) => c.arrivalMs)).toEqual(
      scenarios["join-storm"]!.plan(options).map((c) => c.arrivalMs),
    );
    expect(hostile).toHaveLength(listeners.length * 3);
    expect(Math.max(...hostile.map((c) => c.arrivalMs))).toBeLessThanOrEqual(
      options.rampSeconds * 1000,
    );
    expect(hasHostileClients("flash") && hasHostileClients("attack")).toBe(true);
    expect(hasHostileClients("join-storm")).toBe(false);
  });

  test("join-storm and listeners plan only listeners, one per client, arriving within the ramp", () => {
    for (const name of ["join-storm", "listeners"]) {
      const plan = scenarios[name]!.plan(options);
      expect(plan).toHaveLength(100);
      expect(plan.every((c) => c.kind === "listener")).toBe(true);
      expect(new Set(plan.map((c) => c.index)).size).toBe(100);
      expect(Math.max(...plan.map((c) => c.arrivalMs))).toBeLessThan(10_000);
    }
  });

  test("attack adds clients x ratio hostile clients after the listeners", () => {
    const plan = scenarios.attack!.plan(options);
    expect(plan.filter((c) => c.kind === "listener")).toHaveLength(100);
    expect(plan.filter((c) => c.kind === "hostile")).toHaveLength(1000);
    expect(new Set(plan.map((c) => c.index)).size).toBe(1100);
    expect(scenarios.attack!.plan({ ...options, hostileRatio: 0.5 }).length).toBe(150);
  });

  test("worker shares partition the plan: every client runs in exactly one worker", () => {
    const plan = scenarios.attack!.plan(options);
    const shares = [0, 1, 2].map((i) => shareOf(plan, i, 3));
    expect(shares.reduce((n, s) => n + s.length, 0)).toBe(plan.length);
    const seen = new Set(shares.flat().map((c) => c.index));
    expect(seen.size).toBe(plan.length);
    // Each worker gets its part of both kinds and of the whole arrival curve.
    for (const s of shares) {
      expect(s.some((c) => c.kind === "hostile")).toBe(true);
      expect(s.some((c) => c.kind === "listener")).toBe(true);
    }
  });
});
