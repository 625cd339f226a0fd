import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AdmissionGate, type GateDecision, type GateSettings } from "./admission-gate.ts";
import { TokenBucket } from "./token-bucket.ts";

const settings = (over: Partial<GateSettings> = {}): GateSettings => ({
  admitRatePerSecond: 10,
  burst: 10,
  maxListeners: 1_000_000,
  abandonAfterMs: 60_000,
  holdReleasedMs: 45_000,
  minRetrySeconds: 1,
  maxRetrySeconds: 30,
  maxQueueLength: 100_000,
  confirmAboveArrivalsPerSecond: 1_000_000,
  confirmGraceMs: 4_000,
  ...over,
});

function gate(over: Partial<GateSettings> = {}, phase: "queue" | "pre-queue" = "queue", seed = 1) {
  let n = 0;
  let state = Math.abs(seed) % 2_147_483_648;
  const random = () => {
    // A small deterministic generator, so shuffles are reproducible from the seed.
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  return new AdmissionGate(settings(over), {
    phase,
    nowMs: 0,
    newId: () => `e${n++}`,
    random,
  });
}

function entryOf(d: GateDecision): string {
  if (d.kind !== "queue" || !d.entryId) throw new Error(`expected a place in line, got ${d.kind}`);
  return d.entryId;
}

describe("token bucket", () => {
  it("starts full, refills at its rate, and never holds more than its capacity", () => {
    const b = new TokenBucket(2, 3, 0);
    expect([b.take(0), b.take(0), b.take(0), b.take(0)]).toEqual([true, true, true, false]);
    expect(b.take(499)).toBe(false);
    expect(b.take(500)).toBe(true);
    expect(b.available(100_000)).toBe(3);
  });

  it("does not mint tokens when the clock steps back", () => {
    const b = new TokenBucket(1, 1, 10_000);
    b.take(10_000);
    expect(b.take(0)).toBe(false);
    expect(b.available(10_000)).toBe(0);
  });
});

describe("admission gate", () => {
  it("a place's estimate counts only who is ahead: a go-live's later arrivals (the notifier's spread) queue behind it", () => {
    const g = gate({ burst: 1, admitRatePerSecond: 10 });
    expect(g.arrive({ nowMs: 0, activeListeners: 0 }).kind).toBe("admit");
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) ids.push(entryOf(g.arrive({ nowMs: 0, activeListeners: 0 })));
    const mine = ids[19] as string;
    const before = g.arrive({ entryId: mine, nowMs: 0, activeListeners: 0 });
    // A spread go-live keeps sending people for the next seconds: thousands arrive after.
    for (let i = 0; i < 5_000; i++) g.arrive({ nowMs: 0, activeListeners: 0 });
    const after = g.arrive({ entryId: mine, nowMs: 0, activeListeners: 0 });
    expect(before).toMatchObject({ position: 20, estimatedWaitSeconds: 2 });
    expect(after).toMatchObject({ position: 20, estimatedWaitSeconds: 2 });
  });

  it("admits at once while tokens and seats remain, then queues with a position", () => {
    const g = gate({ burst: 2 });
    expect(g.arrive({ nowMs: 0, activeListeners: 0 }).kind).toBe("admit");
    expect(g.arrive({ nowMs: 0, activeListeners: 1 }).kind).toBe("admit");
    const third = g.arrive({ nowMs: 0, activeListeners: 2 });
    expect(third).toMatchObject({ kind: "queue", position: 1, phase: "queue" });
    const fourth = g.arrive({ nowMs: 0, activeListeners: 2 });
    expect(fourth).toMatchObject({ kind: "queue", position: 2 });
  });

  it("gives the next token to the head of the line, not to a newcomer", () => {
    const g = gate({ burst: 1, admitRatePerSecond: 1 });
    g.arrive({ nowMs: 0, activeListeners: 0 });
    const waiting = entryOf(g.arrive({ nowMs: 0, activeListeners: 1 }));
    g.arrive({ entryId: waiting, nowMs: 500, activeListeners: 1 });
    // One second later a token exists: the newcomer still queues, behind the waiting client.
    const newcomer = g.arrive({ nowMs: 1000, activeListeners: 1 });
    expect(newcomer).toMatchObject({ kind: "queue", position: 1 });
    expect(g.arrive({ entryId: waiting, nowMs: 1001, activeListeners: 1 }).kind).toBe("admit");
  });

  it("holds arrivals at the listener ceiling until seats free up, and says the line is slow", () => {
    const g = gate({ maxListeners: 5, burst: 100, admitRatePerSecond: 100 });
    const d = g.arrive({ nowMs: 0, activeListeners: 5 });
    expect(d).toMatchObject({ kind: "queue", position: 1 });
    const id = entryOf(d);
    expect(g.arrive({ entryId: id, nowMs: 5000, activeListeners: 5 }).kind).toBe("queue");
    expect(g.arrive({ entryId: id, nowMs: 6000, activeListeners: 4 }).kind).toBe("admit");
  });

  it("drops a queued client that stopped asking, and moves everyone behind it up", () => {
    const g = gate({ burst: 1, admitRatePerSecond: 0.001, abandonAfterMs: 10_000 });
    g.arrive({ nowMs: 0, activeListeners: 0 });
    const first = entryOf(g.arrive({ nowMs: 0, activeListeners: 1 }));
    const second = entryOf(g.arrive({ nowMs: 0, activeListeners: 1 }));
    g.arrive({ entryId: first, nowMs: 1_000, activeListeners: 1 });
    expect(g.arrive({ entryId: second, nowMs: 9_000, activeListeners: 1 })).toMatchObject({
      position: 2,
    });
    // The first stopped asking; the second did not, so after the abandon window it is first.
    expect(g.arrive({ entryId: second, nowMs: 15_000, activeListeners: 1 })).toMatchObject({
      position: 1,
    });
  });

  it("lets a place lapse wherever it stands: those behind move up at once, not when its turn comes", () => {
    const g = gate({ abandonAfterMs: 10_000 });
    const full = { activeListeners: 1_000_000 };
    const [first, gone, last] = [0, 1, 2].map(() => entryOf(g.arrive({ nowMs: 0, ...full })));
    g.arrive({ entryId: gone, nowMs: 1_000, ...full });
    g.arrive({ entryId: first, nowMs: 8_000, ...full });
    expect(g.arrive({ entryId: last, nowMs: 8_000, ...full })).toMatchObject({ position: 3 });
    // Ten minutes later the closed browser holds no place; the two who keep asking are 1 and 2.
    for (let t = 16_000; t <= 600_000; t += 8_000) {
      g.arrive({ entryId: first, nowMs: t, ...full });
      g.arrive({ entryId: last, nowMs: t, ...full });
    }
    expect(g.arrive({ entryId: last, nowMs: 600_000, ...full })).toMatchObject({ position: 2 });
    expect(g.waiting).toBe(2);
    // Come back after all, it is a newcomer at the back.
    expect(g.arrive({ entryId: gone, nowMs: 600_000, ...full })).toMatchObject({ position: 3 });
  });

  it("keeps positions exact in a long line where most places lapse (and the line compacts)", () => {
    const g = gate({ abandonAfterMs: 10_000, maxQueueLength: 1_000_000 });
    const full = { activeListeners: 1_000_000 };
    const ids = Array.from({ length: 3_000 }, () => entryOf(g.arrive({ nowMs: 0, ...full })));
    const keepers = ids.filter((_, i) => i % 10 === 9);
    for (const id of keepers) g.arrive({ entryId: id, nowMs: 9_000, ...full });
    keepers.forEach((id, i) => {
      expect(g.arrive({ entryId: id, nowMs: 15_000, ...full })).toMatchObject({ position: i + 1 });
    });
    expect(g.arrive({ nowMs: 15_000, ...full })).toMatchObject({ position: keepers.length + 1 });
    // Their turns come in line order once seats free up.
    const admitted: string[] = [];
    for (let t = 16_000; admitted.length < keepers.length && t < 200_000; t += 100) {
      for (const id of keepers) {
        if (admitted.includes(id)) continue;
        if (g.arrive({ entryId: id, nowMs: t, activeListeners: 0 }).kind === "admit") {
          admitted.push(id);
        }
      }
    }
    expect(admitted).toEqual(keepers);
  });

  it("in the pre-queue, a client that stopped asking leaves the tie", () => {
    const g = gate({ abandonAfterMs: 10_000 }, "pre-queue");
    const untilOpenMs = 3_600_000;
    const ids = [0, 1, 2].map(() =>
      entryOf(g.arrive({ nowMs: 0, activeListeners: 0, untilOpenMs })),
    );
    for (let t = 5_000; t <= 600_000; t += 5_000) {
      for (const id of ids.slice(1))
        g.arrive({ entryId: id, nowMs: t, activeListeners: 0, untilOpenMs });
    }
    expect(
      g.arrive({ entryId: ids[1], nowMs: 600_000, activeListeners: 0, untilOpenMs }),
    ).toMatchObject({ phase: "pre-queue", position: 2 });
  });

  it("past the scheduled start of a Space not yet started, gives no made-up estimate", () => {
    const g = gate({}, "pre-queue");
    const soon = g.arrive({ nowMs: 0, activeListeners: 0, untilOpenMs: 30_000 });
    expect(soon).toMatchObject({ phase: "pre-queue", estimatedWaitSeconds: 31 }); // 30 s + the draw
    const late = g.arrive({ nowMs: 60_000, activeListeners: 0, untilOpenMs: -30_000 });
    expect(late).toMatchObject({ phase: "pre-queue", estimatedWaitSeconds: null });
    const unscheduled = g.arrive({ nowMs: 60_000, activeListeners: 0 });
    expect(unscheduled).toMatchObject({ phase: "pre-queue", estimatedWaitSeconds: null });
  });

  it("gives a released seat back when its client does not come for it", () => {
    const g = gate({ burst: 1, admitRatePerSecond: 1, maxListeners: 2, holdReleasedMs: 5_000 });
    g.arrive({ nowMs: 0, activeListeners: 0 });
    const gone = entryOf(g.arrive({ nowMs: 0, activeListeners: 1 }));
    const next = entryOf(g.arrive({ nowMs: 0, activeListeners: 1 }));
    // Both come back once (confirmed: clients that follow the protocol)...
    g.arrive({ entryId: gone, nowMs: 100, activeListeners: 1 });
    g.arrive({ entryId: next, nowMs: 100, activeListeners: 1 });
    // At 1 s the first in line is released: its seat is held, so the next waits.
    expect(g.arrive({ entryId: next, nowMs: 1_000, activeListeners: 1 }).kind).toBe("queue");
    // The hold runs out: the seat goes to the next client.
    expect(g.arrive({ entryId: next, nowMs: 7_000, activeListeners: 1 }).kind).toBe("admit");
    // The late client's place is gone: it queues again from the back.
    expect(g.arrive({ entryId: gone, nowMs: 7_001, activeListeners: 2 }).kind).toBe("queue");
  });

  it("passes over places whose client never came back, without spending seats on them", () => {
    const g = gate({ burst: 1, admitRatePerSecond: 1 });
    g.arrive({ nowMs: 0, activeListeners: 0 });
    // A bot sprays 50 arrivals and never returns; one real client follows the protocol.
    for (let i = 0; i < 50; i++) g.arrive({ nowMs: 0, activeListeners: 1 });
    const real = entryOf(g.arrive({ nowMs: 0, activeListeners: 1 }));
    expect(g.arrive({ entryId: real, nowMs: 500, activeListeners: 1 })).toMatchObject({
      position: 51,
    });
    // The next token goes past the 50 silent places to the real client.
    expect(g.arrive({ entryId: real, nowMs: 1_500, activeListeners: 1 }).kind).toBe("admit");
  });

  it("lets a passed-over client in first when it returns, ahead of newcomers", () => {
    const g = gate({ burst: 1, admitRatePerSecond: 1 });
    g.arrive({ nowMs: 0, activeListeners: 0 });
    const slow = entryOf(g.arrive({ nowMs: 0, activeListeners: 1 }));
    const prompt = entryOf(g.arrive({ nowMs: 0, activeListeners: 1 }));
    g.arrive({ entryId: prompt, nowMs: 100, activeListeners: 1 });
    // At 1 s the token passes the silent first place to the prompt client.
    expect(g.arrive({ entryId: prompt, nowMs: 1_000, activeListeners: 1 }).kind).toBe("admit");
    // The slow one returns: its turn had come, so it is next, and a newcomer queues behind.
    expect(g.arrive({ entryId: slow, nowMs: 1_500, activeListeners: 2 })).toMatchObject({
      position: 1,
    });
    expect(g.arrive({ nowMs: 1_600, activeListeners: 2 }).kind).toBe("queue");
    expect(g.arrive({ entryId: slow, nowMs: 2_100, activeListeners: 2 }).kind).toBe("admit");
  });

  it("in a flood of newcomers, admits none on its first request: each must come back once", () => {
    const g = gate({ confirmAboveArrivalsPerSecond: 3 });
    const first = [0, 1, 2].map(() => g.arrive({ nowMs: 0, activeListeners: 0 }));
    expect(first.map((d) => d.kind)).toEqual(["admit", "admit", "admit"]);
    // The fourth newcomer in the same second: a place, though tokens remain.
    const bot = g.arrive({ nowMs: 10, activeListeners: 3 });
    const person = g.arrive({ nowMs: 20, activeListeners: 3 });
    expect(bot.kind).toBe("queue");
    expect(person.kind).toBe("queue");
    // The person comes back with its place (a bot never does): the bot's place is passed
    // over, the person is let in.
    expect(g.arrive({ nowMs: 1_100, activeListeners: 3, entryId: entryOf(person) }).kind).toBe(
      "admit",
    );
    // Once the flood is over (and the bot's place abandoned), a newcomer walks in again.
    expect(g.arrive({ nowMs: 61_500, activeListeners: 4 }).kind).toBe("admit");
  });

  it("gives a place-less answer (still a queue, never an error) when the line is full", () => {
    const g = gate({ burst: 1, admitRatePerSecond: 0.001, maxQueueLength: 2 });
    g.arrive({ nowMs: 0, activeListeners: 0 });
    g.arrive({ nowMs: 0, activeListeners: 1 });
    g.arrive({ nowMs: 0, activeListeners: 1 });
    expect(g.arrive({ nowMs: 0, activeListeners: 1 })).toMatchObject({
      kind: "queue",
      entryId: null,
      position: 3,
    });
  });

  it("keeps everyone in an unordered pre-queue before go-live, then draws the order", () => {
    const g = gate({ burst: 1, admitRatePerSecond: 1 }, "pre-queue");
    const ids = Array.from({ length: 5 }, () =>
      entryOf(g.arrive({ nowMs: 0, activeListeners: 0, untilOpenMs: 60_000 })),
    );
    for (const id of ids.slice(1)) g.arrive({ entryId: id, nowMs: 1, activeListeners: 0 });
    const before = g.arrive({ entryId: ids[0], nowMs: 1, activeListeners: 0, untilOpenMs: 60_000 });
    expect(before).toMatchObject({ kind: "queue", phase: "pre-queue", position: 5 });
    if (before.kind === "queue") expect(before.estimatedWaitSeconds).toBeGreaterThanOrEqual(60);
    g.open(2);
    const positions = ids.map((id) => {
      const d = g.arrive({ entryId: id, nowMs: 3, activeListeners: 0 });
      return d.kind === "admit" ? 0 : d.position;
    });
    expect(g.currentPhase).toBe("queue");
    expect(positions).toContain(0);
    // A newcomer after go-live lines up behind the whole pre-queue.
    expect(g.arrive({ nowMs: 4, activeListeners: 1 })).toMatchObject({ position: 5 });
  });

  it("property: never admits more than the burst plus the rate times the time elapsed", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 50 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 400 }), fc.boolean()), { maxLength: 300 }),
        (rate, burst, steps) => {
          const g = gate({ admitRatePerSecond: rate, burst });
          const ids: string[] = [];
          let now = 0;
          let admitted = 0;
          for (const [dt, returning] of steps) {
            now += dt;
            const entryId = returning ? ids.shift() : undefined;
            const d = g.arrive({ entryId, nowMs: now, activeListeners: admitted });
            if (d.kind === "admit") admitted++;
            else if (d.entryId) ids.push(d.entryId);
          }
          expect(admitted).toBeLessThanOrEqual(burst + (rate * now) / 1000 + 1e-9);
        },
      ),
    );
  });

  it("property: never lets active listeners pass the ceiling", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 30 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 2_000 }), fc.nat(3)), { maxLength: 300 }),
        (ceiling, initial, steps) => {
          const g = gate({ maxListeners: ceiling, burst: 5, admitRatePerSecond: 20 });
          const ids: string[] = [];
          let now = 0;
          let active = initial;
          for (const [dt, action] of steps) {
            now += dt;
            if (action === 0 && active > 0) {
              active--; // someone leaves
              continue;
            }
            const entryId = action === 1 ? ids.shift() : undefined;
            const d = g.arrive({ entryId, nowMs: now, activeListeners: active });
            if (d.kind === "admit") {
              active++;
              expect(active).toBeLessThanOrEqual(Math.max(ceiling, initial));
              if (initial < ceiling) expect(active).toBeLessThanOrEqual(ceiling);
            } else if (d.entryId) ids.push(d.entryId);
          }
        },
      ),
    );
  });

  it("property: clients who keep asking are let in in line order, and only move forward", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 40 }),
        fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 200 }),
        (clients, ticks) => {
          const g = gate({ admitRatePerSecond: 5, burst: 1 });
          g.arrive({ nowMs: 0, activeListeners: 0 });
          const line = Array.from({ length: clients }, () =>
            entryOf(g.arrive({ nowMs: 0, activeListeners: 1 })),
          );
          const lastPosition = new Map(line.map((id, i) => [id, i + 1]));
          const admittedOrder: number[] = [];
          let now = 0;
          for (const dt of ticks) {
            now += dt;
            for (const [i, id] of line.entries()) {
              if (!lastPosition.has(id)) continue;
              const d = g.arrive({ entryId: id, nowMs: now, activeListeners: 1 });
              if (d.kind === "admit") {
                admittedOrder.push(i);
                lastPosition.delete(id);
              } else {
                expect(d.position).toBeGreaterThanOrEqual(1);
                expect(d.position).toBeLessThanOrEqual(lastPosition.get(id) as number);
                lastPosition.set(id, d.position);
              }
            }
          }
          expect(admittedOrder).toEqual([...admittedOrder].sort((a, b) => a - b));
        },
      ),
    );
  });

  it("stops counting a new place in others' positions when its client does not come back within the grace", () => {
    const g = gate({ abandonAfterMs: 60_000 });
    const full = { activeListeners: 1_000_000 };
    const bots = Array.from({ length: 50 }, () => entryOf(g.arrive({ nowMs: 0, ...full })));
    const person = entryOf(g.arrive({ nowMs: 500, ...full }));
    expect(g.arrive({ entryId: person, nowMs: 1_500, ...full })).toMatchObject({ position: 51 });
    // Four seconds on, the places that never came back no longer stand ahead of anyone...
    const later = g.arrive({ entryId: person, nowMs: 4_100, ...full });
    expect(later).toMatchObject({ position: 1 });
    // ...but they still hold their place: one that returns counts again, ahead of the person.
    g.arrive({ entryId: bots[7] as string, nowMs: 5_000, ...full });
    expect(g.arrive({ entryId: person, nowMs: 5_000, ...full })).toMatchObject({ position: 2 });
    expect(g.waiting).toBe(51);
  });

  it("property: a position counts exactly the places ahead whose clients still ask", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            dt: fc.integer({ min: 0, max: 6_000 }),
            who: fc.nat(30),
            fresh: fc.boolean(),
          }),
          { minLength: 1, maxLength: 300 },
        ),
        (steps) => {
          const abandonAfterMs = 10_000;
          // At the ceiling nobody's turn comes: only lapses move people up.
          const g = gate({ abandonAfterMs, maxQueueLength: 1_000 });
          const full = { activeListeners: 1_000_000 };
          type Client = { id: string; lastSeen: number; bornAt: number; confirmed: boolean };
          let model: Client[] = [];
          let now = 0;
          // Those that came back, and new places within the grace (4 s).
          const counts = (c: Client) => c.confirmed || now - c.bornAt < 4_000;
          const ahead = (i: number) => model.slice(0, i).filter(counts).length;
          for (const step of steps) {
            now += step.dt;
            model = model.filter((c) => now - c.lastSeen <= abandonAfterMs);
            const client = model[step.who % Math.max(1, model.length)];
            if (step.fresh || !client) {
              const d = g.arrive({ nowMs: now, ...full });
              model.push({ id: entryOf(d), lastSeen: now, bornAt: now, confirmed: false });
              expect(d).toMatchObject({ position: ahead(model.length - 1) + 1 });
            } else {
              const d = g.arrive({ entryId: client.id, nowMs: now, ...full });
              client.lastSeen = now;
              client.confirmed = true;
              expect(d).toMatchObject({ position: ahead(model.indexOf(client)) + 1 });
            }
            expect(g.waiting).toBe(model.length);
          }
        },
      ),
    );
  });

  it("property: every answer is an admission or a place with an honest wait and bounded retry", () => {
    fc.assert(
      fc.property(
        fc.constantFrom<"queue" | "pre-queue">("queue", "pre-queue"),
        fc.array(
          fc.record({
            dt: fc.integer({ min: 0, max: 5_000 }),
            active: fc.nat(50),
            returning: fc.boolean(),
            open: fc.boolean(),
          }),
          { maxLength: 200 },
        ),
        (phase, steps) => {
          const g = gate({ maxListeners: 40, burst: 3, admitRatePerSecond: 2 }, phase);
          const ids: string[] = [];
          let now = 0;
          for (const s of steps) {
            now += s.dt;
            if (s.open) g.open(now);
            const d = g.arrive({
              entryId: s.returning ? ids[0] : undefined,
              nowMs: now,
              activeListeners: s.active,
              untilOpenMs: 10_000,
            });
            if (d.kind === "queue") {
              expect(d.position).toBeGreaterThanOrEqual(1);
              expect(d.estimatedWaitSeconds).toBeGreaterThanOrEqual(0);
              expect(Number.isFinite(d.estimatedWaitSeconds ?? Number.NaN)).toBe(true);
              expect(d.retryAfterSeconds).toBeGreaterThanOrEqual(1);
              expect(d.retryAfterSeconds).toBeLessThanOrEqual(30);
              if (d.entryId && !ids.includes(d.entryId)) ids.push(d.entryId);
            } else if (s.returning) ids.shift();
          }
        },
      ),
    );
  });

  it("property: go-live draws every pre-queued client exactly once, ahead of later arrivals", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.integer(), (n, seed) => {
        const g = gate({ admitRatePerSecond: 0.001, burst: 1 }, "pre-queue", seed);
        const ids = Array.from({ length: n }, () =>
          entryOf(g.arrive({ nowMs: 0, activeListeners: 0, untilOpenMs: 1000 })),
        );
        for (const id of ids) g.arrive({ entryId: id, nowMs: 0, activeListeners: 0 });
        g.open(1);
        const late = g.arrive({ nowMs: 2, activeListeners: 0 });
        const positions = ids.map((id) => {
          const d = g.arrive({ entryId: id, nowMs: 2, activeListeners: 0 });
          return d.kind === "admit" ? 0 : d.position;
        });
        // One of them got the single token; the rest hold distinct places 1..n-1.
        expect([...positions].sort((a, b) => a - b)).toEqual(
          Array.from({ length: n }, (_, i) => i),
        );
        expect(late).toMatchObject({ kind: "queue", position: n });
      }),
    );
  });
});
