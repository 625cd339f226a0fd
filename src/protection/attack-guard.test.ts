import { type Challenge, solveChallenge } from "altcha-lib";
import { deriveKey } from "altcha-lib/algorithms/pbkdf2";
import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { AmphiError } from "../errors/error-registry.ts";
import { AttackDetector, type AttackDetectorOptions } from "./attack-detector.ts";
import { AttackGuard, type AttackGuardOptions } from "./attack-guard.ts";
import { NetworkLimits } from "./network-limits.ts";
import { ProofOfWork } from "./proof-of-work.ts";

const limits = {
  normal: {
    address: { points: 5, windowSeconds: 60 },
    prefix: { points: 50, windowSeconds: 60 },
  },
  attack: {
    address: { points: 3, windowSeconds: 60 },
    prefix: { points: 50, windowSeconds: 60 },
  },
};

function makeGuard(
  options: { detector?: Partial<AttackDetectorOptions>; guard?: Partial<AttackGuardOptions> } = {},
) {
  const detector = new AttackDetector({ admitRatePerSecond: 1, ...options.detector });
  const pow = new ProofOfWork({ secret: "guard-test", cost: 10, maxNumber: 30 });
  const guard = new AttackGuard({
    limits: new NetworkLimits({ limits }),
    detector,
    pow,
    ...options.guard,
  });
  return { guard, detector, pow };
}

async function solve(challenge: Challenge): Promise<string> {
  const solution = await solveChallenge({ challenge, deriveKey });
  return Buffer.from(JSON.stringify({ challenge, solution })).toString("base64");
}

function refusal(verdict: Awaited<ReturnType<AttackGuard["admit"]>>): AmphiError {
  if (verdict.ok) throw new Error("expected a refusal");
  return verdict.error;
}

describe("AttackGuard", () => {
  it("admits without a challenge while attack mode is off, counting arrivals", async () => {
    const { guard } = makeGuard();
    expect(await guard.admit({ ip: "192.0.2.1", now: 1_000 })).toEqual({ ok: true });
    expect(await guard.admit({ ip: "192.0.2.2", altcha: "ignored", now: 1_000 })).toEqual({
      ok: true,
    });
    expect(guard.status(1_000)).toMatchObject({
      mode: "auto",
      active: false,
      arrivalsPerSecond: 0.2,
      refusalsPerSecond: 0,
    });
  });

  it("refuses over the network limits with 429 and a jittered Retry-After", async () => {
    const { guard } = makeGuard({ guard: { random: () => 0.999 } });
    for (let i = 0; i < 5; i++) expect((await guard.admit({ ip: "192.0.2.1" })).ok).toBe(true);
    const error = refusal(await guard.admit({ ip: "192.0.2.1" }));
    expect(error.code).toBe("AMPHI_RATE_LIMITED");
    expect(error.status).toBe(429);
    // 60 s window remaining (~60) plus up to half as much again.
    expect(error.retryAfter).toBeGreaterThan(60);
    expect(error.retryAfter).toBeLessThanOrEqual(91);
    // One flooding host does not count as refusals towards attack mode.
    expect(guard.status().refusalsPerSecond).toBe(0);
  });

  it("can count network refusals towards attack mode when asked to", async () => {
    const { guard } = makeGuard({ guard: { countNetworkRefusals: true } });
    for (let i = 0; i < 8; i++) await guard.admit({ ip: "192.0.2.1", now: 1_000 });
    expect(guard.status(1_000).refusalsPerSecond).toBeCloseTo(0.3);
  });

  it("asks for a proof of work in attack mode, with where to get one", async () => {
    const { guard } = makeGuard();
    guard.mode = "on";
    const error = refusal(await guard.admit({ ip: "192.0.2.1", spaceId: "sp1" }));
    expect(error.code).toBe("AMPHI_CHALLENGE_REQUIRED");
    expect(error.status).toBe(428);
    expect(error.details).toEqual({ challengeUrl: "/api/spaces/sp1/challenge" });
  });

  it("admits a valid solution once in attack mode, and refuses its replay", async () => {
    const { guard } = makeGuard();
    guard.mode = "on";
    const altcha = await solve(await guard.challenge("sp1"));
    expect(await guard.admit({ ip: "192.0.2.1", altcha, spaceId: "sp1" })).toEqual({ ok: true });
    const replay = refusal(await guard.admit({ ip: "192.0.2.2", altcha, spaceId: "sp1" }));
    expect(replay.code).toBe("AMPHI_CHALLENGE_REQUIRED");
    expect(replay.details).toEqual({ challengeUrl: "/api/spaces/sp1/challenge", reason: "spent" });
  });

  it("refuses junk and other Spaces' solutions, counting them as refusals", async () => {
    const { guard } = makeGuard();
    guard.mode = "on";
    const junk = refusal(await guard.admit({ ip: "192.0.2.1", altcha: "junk", now: 1_000 }));
    expect(junk.details).toMatchObject({ reason: "malformed" });
    const elsewhere = await solve(await guard.challenge("sp2"));
    const wrong = refusal(
      await guard.admit({ ip: "192.0.2.1", altcha: elsewhere, spaceId: "sp1", now: 1_000 }),
    );
    expect(wrong.details).toMatchObject({ reason: "wrong-space" });
    expect(guard.status(1_000)).toMatchObject({ refusalsPerSecond: 0.2, refusalRatio: 1 });
  });

  it("applies the stricter network limits while attack mode is on", async () => {
    const { guard } = makeGuard();
    guard.mode = "on";
    const verdicts = [];
    for (let i = 0; i < 4; i++) verdicts.push(await guard.admit({ ip: "192.0.2.1" }));
    // 3 per window in attack mode (each refused with 428), the 4th is over the limit.
    expect(verdicts.map((v) => (v.ok ? "ok" : v.error.code))).toEqual([
      "AMPHI_CHALLENGE_REQUIRED",
      "AMPHI_CHALLENGE_REQUIRED",
      "AMPHI_CHALLENGE_REQUIRED",
      "AMPHI_RATE_LIMITED",
    ]);
  });

  it("lets queued clients poll without a new proof of work, still network-limited and not counted as arrivals", async () => {
    const { guard } = makeGuard();
    guard.mode = "on";
    for (let i = 0; i < 3; i++) {
      expect(await guard.admit({ ip: "192.0.2.1", queued: true, now: 1_000 })).toEqual({
        ok: true,
      });
    }
    expect(refusal(await guard.admit({ ip: "192.0.2.1", queued: true })).code).toBe(
      "AMPHI_RATE_LIMITED",
    );
    expect(guard.status(1_000).arrivalsPerSecond).toBe(0);
  });

  it("switches to challenges on its own when arrivals surge, and back after the cool-down", async () => {
    const { guard } = makeGuard({ detector: { coolDownMs: 30_000 } });
    // Admit rate 1/s: more than 10 x 1/s x 10 s = 100 arrivals in 10 s is an attack.
    for (let i = 0; i < 101; i++) {
      expect((await guard.admit({ ip: `198.51.${i}.1`, now: 5_000 + i })).ok).toBe(true);
    }
    expect(guard.status(5_200)).toMatchObject({ active: true, reason: "arrivals" });
    const during = refusal(await guard.admit({ ip: "203.0.113.1", spaceId: "sp", now: 6_000 }));
    expect(during.code).toBe("AMPHI_CHALLENGE_REQUIRED");
    // The surge is last seen in the window at 14 s; the cool-down runs 30 s from there.
    expect(guard.status(14_000)).toMatchObject({ active: true, reason: "arrivals" });
    expect(guard.status(20_000)).toMatchObject({ active: true, reason: "cool-down" });
    expect(guard.status(43_900).active).toBe(true);
    expect(await guard.admit({ ip: "203.0.113.2", now: 44_000 })).toEqual({ ok: true });
  });

  it("switches on when the join path keeps failing, from failures the route reports", () => {
    const { guard } = makeGuard({ detector: { minSamples: 10 } });
    for (let i = 0; i < 10; i++) guard.recordFailure(1_000);
    expect(guard.status(1_000)).toMatchObject({ active: true, reason: "refusals" });
  });

  it("follows the operator's mode over the evidence", async () => {
    const { guard } = makeGuard();
    guard.mode = "off";
    for (let i = 0; i < 300; i++) await guard.admit({ ip: `198.51.${i % 200}.${i}`, now: 1_000 });
    expect(guard.status(1_000)).toMatchObject({ mode: "off", active: false });
    expect(await guard.admit({ ip: "203.0.113.1", now: 1_000 })).toEqual({ ok: true });
    guard.mode = "auto";
    expect(guard.mode).toBe("auto");
    expect(guard.status(1_000)).toMatchObject({ mode: "auto", active: true });
  });

  it("hands out challenges for a Space, network-limited when given the client address", async () => {
    const { guard } = makeGuard();
    const challenge = await guard.challenge("sp1", "192.0.2.9");
    expect(challenge.parameters.data).toEqual({ spaceId: "sp1" });
    for (let i = 0; i < 4; i++) await guard.challenge("sp1", "192.0.2.9");
    const error = await guard.challenge("sp1", "192.0.2.9").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AmphiError);
    expect((error as AmphiError).code).toBe("AMPHI_RATE_LIMITED");
  });

  it("reports its state as Prometheus gauges", async () => {
    const { guard } = makeGuard();
    const registry = new Registry();
    guard.registerMetrics(registry);
    guard.mode = "on";
    await guard.admit({ ip: "192.0.2.1" });
    const altcha = await solve(await guard.challenge("sp1"));
    await guard.admit({ ip: "192.0.2.2", altcha, spaceId: "sp1" });
    const text = await registry.metrics();
    expect(text).toContain("amphi_attack_mode_active 1");
    expect(text).toContain("amphi_attack_mode_forced 1");
    expect(text).toContain("amphi_ticket_arrivals_per_second 0.1");
    // Two addresses and the /24 they share.
    expect(text).toContain("amphi_network_limit_records 3");
    expect(text).toContain("amphi_altcha_spent 1");
  });
});
