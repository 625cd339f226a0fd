import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AttackDetector, type AttackMode, type AttackOutcome } from "./attack-detector.ts";

type Event =
  | { at: number; kind: "arrival" }
  | { at: number; kind: "outcome"; outcome: AttackOutcome }
  | { at: number; kind: "state" };

function replay(detector: AttackDetector, events: Event[]): boolean[] {
  const seen: boolean[] = [];
  for (const event of events) {
    if (event.kind === "arrival") detector.recordArrival(event.at);
    else if (event.kind === "outcome") detector.recordOutcome(event.at, event.outcome);
    seen.push(detector.state(event.at).active);
  }
  return seen;
}

/** Any traffic at all: bursts, errors, long silences, in time order. */
const anyTraffic = fc
  .array(
    fc.record({
      gap: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 120_000 })),
      kind: fc.constantFrom("arrival", "outcome", "state"),
      outcome: fc.constantFrom<AttackOutcome>("admitted", "refused", "failed"),
      repeat: fc.integer({ min: 1, max: 400 }),
    }),
    { maxLength: 60 },
  )
  .map((steps) => {
    const events: Event[] = [];
    let at = 1_000;
    for (const step of steps) {
      at += step.gap;
      for (let i = 0; i < step.repeat; i++) {
        if (step.kind === "outcome") events.push({ at, kind: "outcome", outcome: step.outcome });
        else events.push({ at, kind: step.kind });
      }
    }
    return events;
  });

describe("AttackDetector", () => {
  it("never switches on while arrivals stay at or below the admit rate and all are admitted", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 120 }),
        fc.integer({ min: 0, max: 999 }),
        (admitRate, perSecondSeeds, offset) => {
          const detector = new AttackDetector({ admitRatePerSecond: admitRate });
          const events: Event[] = [];
          perSecondSeeds.forEach((seed, second) => {
            const count = seed % (admitRate + 1);
            for (let i = 0; i < count; i++) {
              const at = 5_000 + second * 1000 + ((offset + i * 37) % 1000);
              events.push({ at, kind: "arrival" });
              events.push({ at, kind: "outcome", outcome: "admitted" });
            }
          });
          events.sort((a, b) => a.at - b.at);
          expect(replay(detector, events)).not.toContain(true);
        },
      ),
    );
  });

  it("lets a forced mode win over any traffic", () => {
    fc.assert(
      fc.property(anyTraffic, fc.constantFrom<AttackMode>("on", "off"), (events, mode) => {
        const detector = new AttackDetector({ admitRatePerSecond: 2, mode });
        const seen = replay(detector, events);
        expect(seen.every((active) => active === (mode === "on"))).toBe(true);
      }),
    );
  });

  it("always turns off once traffic has been calm for the window plus the cool-down", () => {
    fc.assert(
      fc.property(
        anyTraffic,
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 1_000, max: 120_000 }),
        (events, calmPerSecond, coolDownMs) => {
          const detector = new AttackDetector({ admitRatePerSecond: 5, coolDownMs });
          replay(detector, events);
          const end = events.at(-1)?.at ?? 0;
          // Calm traffic (at most the admit rate, all admitted) after whatever came before.
          const calmUntil = end + 10_000 + coolDownMs;
          for (let at = end + 1; at <= calmUntil; at += 1000) {
            for (let i = 0; i < calmPerSecond; i++) {
              detector.recordArrival(at);
              detector.recordOutcome(at, "admitted");
            }
          }
          expect(detector.state(calmUntil + 1000).active).toBe(false);
        },
      ),
    );
  });

  it("switches on when arrivals exceed ten times the admit rate over the window", () => {
    const detector = new AttackDetector({ admitRatePerSecond: 10 });
    // 10/s admitted over 10 s = 100; 10x = 1000 arrivals in the window is the line.
    for (let i = 0; i < 1000; i++) detector.recordArrival(20_000 + i * 9);
    expect(detector.state(29_000)).toMatchObject({ active: false, reason: "calm" });
    detector.recordArrival(29_000);
    const state = detector.state(29_000);
    expect(state).toMatchObject({ active: true, reason: "arrivals" });
    expect(state.arrivalsPerSecond).toBeCloseTo(100.1);
  });

  it("switches on when most outcomes are refusals, but only with enough samples", () => {
    const detector = new AttackDetector({ admitRatePerSecond: 10, minSamples: 100 });
    for (let i = 0; i < 60; i++) detector.recordOutcome(1_000 + i, "refused");
    expect(detector.state(2_000).active).toBe(false);
    for (let i = 0; i < 30; i++) detector.recordOutcome(2_000 + i, "failed");
    for (let i = 0; i < 10; i++) detector.recordOutcome(2_100 + i, "admitted");
    const state = detector.state(2_200);
    expect(state).toMatchObject({ active: true, reason: "refusals", samples: 100 });
    expect(state.refusalRatio).toBeCloseTo(0.9);
  });

  it("stays on for the cool-down after the condition clears, then turns off", () => {
    const detector = new AttackDetector({ admitRatePerSecond: 1, coolDownMs: 30_000 });
    for (let i = 0; i < 200; i++) detector.recordArrival(10_000);
    expect(detector.state(10_000).reason).toBe("arrivals");
    // The burst leaves the 10 s window; the cool-down runs from the last time it was seen.
    expect(detector.state(25_000)).toMatchObject({ active: true, reason: "cool-down" });
    expect(detector.state(39_999)).toMatchObject({ active: true, reason: "cool-down" });
    expect(detector.state(49_000)).toMatchObject({ active: false, reason: "calm" });
  });

  it("remembers what it saw while forced, so auto resumes informed", () => {
    const detector = new AttackDetector({ admitRatePerSecond: 1, mode: "off" });
    for (let i = 0; i < 200; i++) detector.recordArrival(10_000);
    expect(detector.state(10_000)).toMatchObject({ active: false, reason: "forced-off" });
    detector.mode = "auto";
    expect(detector.state(12_000)).toMatchObject({ active: true, reason: "arrivals" });
  });
});
