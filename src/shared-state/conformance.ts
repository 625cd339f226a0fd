import { describe, expect, test } from "vitest";
import type { GateDecision, GateSettings } from "../domain/admission/admission-gate.ts";
import type { ListenerCounterSettings } from "../domain/presence/listener-counter.ts";
import type { SharedState } from "./ports.ts";
import type { SharedStateSettings } from "./settings.ts";

/** Two nodes of one fleet (in memory: one process is the whole fleet, so both are the same). */
export interface FleetUnderTest {
  a: SharedState;
  b: SharedState;
  close(): Promise<void>;
}

export const conformanceGate: GateSettings = {
  admitRatePerSecond: 2,
  burst: 2,
  maxListeners: 1_000,
  abandonAfterMs: 70_000,
  holdReleasedMs: 55_000,
  minRetrySeconds: 1,
  maxRetrySeconds: 30,
  maxQueueLength: 1_000,
  confirmAboveArrivalsPerSecond: 1_000,
  confirmGraceMs: 4_000,
};

export const conformanceCounter: ListenerCounterSettings = {
  windowMs: 75_000,
  bucketMs: 15_000,
  exactLimit: 10_000,
  refreshMs: 1_000,
};

let ids = 0;
export function conformanceSettings(gate: Partial<GateSettings> = {}): SharedStateSettings {
  return {
    gate: { ...conformanceGate, ...gate },
    counter: conformanceCounter,
    newId: () => `place-${process.pid}-${Date.now()}-${++ids}`,
    random: Math.random,
  };
}

/** One ticket request after go-live, as a line sees it. */
const at = (nowMs: number, entryId?: string, activeListeners = 0) => ({
  phase: "queue" as const,
  nowMs,
  activeListeners,
  entryId,
});

const queued = (d: GateDecision) => {
  if (d.kind !== "queue") throw new Error(`expected a place in line, got ${d.kind}`);
  return d;
};

let spaces = 0;
const newSpace = () => `conf${Date.now().toString(36)}${++spaces}`;

async function eventually(check: () => boolean, timeoutMs = 3_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * The one specification of the shared state, run against the in-process implementation
 * (src/shared-state/memory/memory-shared-state.test.ts) and Redis
 * (test/integration/redis-shared-state.test.ts). `fleet()` gives two nodes of one fleet.
 */
export function describeSharedStateConformance(
  name: string,
  fleet: (settings: SharedStateSettings) => Promise<FleetUnderTest>,
): void {
  const withFleet =
    (fn: (f: FleetUnderTest) => Promise<void>, gate: Partial<GateSettings> = {}) =>
    async () => {
      const f = await fleet(conformanceSettings(gate));
      try {
        await fn(f);
      } finally {
        await f.close();
      }
    };

  describe(`shared state conformance: ${name}`, () => {
    describe("admission", () => {
      test(
        "a burst is admitted, then arrivals queue in order with honest positions",
        withFleet(async ({ a, b }) => {
          const space = newSpace();
          const t = Date.now();
          const at = { phase: "queue" as const, nowMs: t, activeListeners: 0 };
          expect((await a.admission.arrive(space, at)).kind).toBe("admit");
          expect((await b.admission.arrive(space, at)).kind).toBe("admit");
          const third = queued(await a.admission.arrive(space, at));
          const fourth = queued(await b.admission.arrive(space, at));
          expect([third.position, fourth.position]).toEqual([1, 2]);
          expect(third.entryId).not.toBeNull();
          expect(third.estimatedWaitSeconds).toBeGreaterThanOrEqual(1);
          expect(third.retryAfterSeconds).toBeGreaterThanOrEqual(1);
          expect(third.retryAfterSeconds).toBeLessThanOrEqual(30);
        }),
      );

      test(
        "a place taken on one node keeps its position on the other, and is admitted there when its turn comes",
        withFleet(async ({ a, b }) => {
          const space = newSpace();
          const t = Date.now();
          await a.admission.arrive(space, at(t));
          await a.admission.arrive(space, at(t));
          const first = queued(await a.admission.arrive(space, at(t)));
          const second = queued(await a.admission.arrive(space, at(t)));
          const onB = queued(await b.admission.arrive(space, at(t + 10, second.entryId ?? "")));
          expect(onB.position).toBe(2);
          expect(onB.entryId).toBe(second.entryId);
          queued(await b.admission.arrive(space, at(t + 10, first.entryId ?? "")));
          // One second later two tokens have come: both confirmed places are let in.
          const later = t + 1_010;
          expect((await b.admission.arrive(space, at(later, first.entryId ?? ""))).kind).toBe(
            "admit",
          );
          expect((await a.admission.arrive(space, at(later, second.entryId ?? ""))).kind).toBe(
            "admit",
          );
        }),
      );

      test(
        "places whose client never came back are passed over without spending a seat, and go first on return",
        withFleet(async ({ a, b }) => {
          const space = newSpace();
          const t = Date.now();
          await a.admission.arrive(space, at(t));
          await a.admission.arrive(space, at(t));
          const silent = queued(await a.admission.arrive(space, at(t)));
          const polite = queued(await b.admission.arrive(space, at(t)));
          queued(await b.admission.arrive(space, at(t + 1, polite.entryId ?? "")));
          // Half a second: one token. The silent place is skipped, the polite one released.
          expect((await b.admission.arrive(space, at(t + 510, polite.entryId ?? ""))).kind).toBe(
            "admit",
          );
          const back = queued(await a.admission.arrive(space, at(t + 520, silent.entryId ?? "")));
          expect(back.position).toBe(1);
          expect((await a.admission.arrive(space, at(t + 1_100, silent.entryId ?? ""))).kind).toBe(
            "admit",
          );
        }),
      );

      test(
        "places whose client never came back stop counting in positions after the grace, on every node",
        withFleet(async ({ a, b }) => {
          const space = newSpace();
          const t = Date.now();
          const full = conformanceGate.maxListeners;
          const bots: string[] = [];
          for (let i = 0; i < 20; i++) {
            const node = i % 2 ? a : b;
            bots.push(
              queued(await node.admission.arrive(space, at(t, undefined, full))).entryId ?? "",
            );
          }
          const person = queued(await a.admission.arrive(space, at(t + 100, undefined, full)));
          expect(person.position).toBe(21);
          const asks = (nowMs: number) => at(nowMs, person.entryId ?? "", full);
          expect(queued(await b.admission.arrive(space, asks(t + 1_100))).position).toBe(21);
          const grace = conformanceGate.confirmGraceMs;
          expect(queued(await a.admission.arrive(space, asks(t + grace + 200))).position).toBe(1);
          // A place that does come back counts again, where it stood.
          await b.admission.arrive(space, at(t + grace + 300, bots[3], full));
          expect(queued(await b.admission.arrive(space, asks(t + grace + 400))).position).toBe(2);
        }),
      );

      test(
        "in a flood of newcomers on any node, none is admitted before coming back once",
        withFleet(
          async ({ a, b }) => {
            const space = newSpace();
            const t = Date.now();
            const flood = { phase: "queue" as const, nowMs: t, activeListeners: 0 };
            // Five newcomers a second are let straight in (tokens for fifty)...
            for (let i = 0; i < 5; i++) {
              expect((await (i % 2 ? a : b).admission.arrive(space, flood)).kind).toBe("admit");
            }
            // ...the sixth in the same second must come back once, tokens or not.
            const sixth = queued(await a.admission.arrive(space, flood));
            // It does, a second later, and is let in; a newcomer then still queues behind.
            const back = { ...flood, nowMs: t + 1_000, entryId: sixth.entryId ?? "" };
            expect((await b.admission.arrive(space, back)).kind).toBe("admit");
          },
          { burst: 50, admitRatePerSecond: 50, confirmAboveArrivalsPerSecond: 5 },
        ),
      );

      test(
        "the ceiling holds arrivals back even with tokens to spare",
        withFleet(async ({ a }) => {
          const space = newSpace();
          const decision = await a.admission.arrive(space, {
            phase: "queue",
            nowMs: Date.now(),
            activeListeners: conformanceGate.maxListeners,
          });
          expect(queued(decision).position).toBe(1);
        }),
      );

      test(
        "the pre-queue is one tie until go-live, then drawn ahead of later arrivals",
        withFleet(async ({ a, b }) => {
          const space = newSpace();
          const t = Date.now();
          const pre = { phase: "pre-queue" as const, nowMs: t, activeListeners: 0 };
          const places: string[] = [];
          for (let i = 0; i < 5; i++) {
            const d = queued(await (i % 2 ? a : b).admission.arrive(space, pre));
            expect(d.phase).toBe("pre-queue");
            expect(d.position).toBe(i + 1);
            places.push(d.entryId ?? "");
          }
          // Everyone polls once before the start: they are confirmed.
          for (const entryId of places) {
            await a.admission.arrive(space, { ...pre, nowMs: t + 5, entryId });
          }
          // Go-live with no tokens left to matter: the late arrival queues behind the draw.
          const open = { phase: "queue" as const, nowMs: t + 10, activeListeners: 1_000 };
          const late = queued(await b.admission.arrive(space, open));
          expect(late.position).toBe(6);
          const positions: number[] = [];
          for (const entryId of places) {
            const d = queued(await a.admission.arrive(space, { ...open, entryId }));
            expect(d.phase).toBe("queue");
            positions.push(d.position);
          }
          expect(positions.sort()).toEqual([1, 2, 3, 4, 5]);
        }),
      );

      test(
        "a client gone longer than the abandon time loses its place to those behind",
        withFleet(async ({ a }) => {
          const space = newSpace();
          const t = Date.now();
          const full = conformanceGate.maxListeners;
          const gone = queued(await a.admission.arrive(space, at(t, undefined, full)));
          const stays = queued(await a.admission.arrive(space, at(t, undefined, full)));
          expect(stays.position).toBe(2);
          const later = t + conformanceGate.abandonAfterMs + 1_000;
          const now = queued(await a.admission.arrive(space, at(later, stays.entryId ?? "", full)));
          expect(now.position).toBe(1);
          expect(gone.entryId).not.toBe(stays.entryId);
        }),
      );

      test(
        "a place lapses wherever it stands once its client stops asking: those behind move up",
        withFleet(async ({ a, b }) => {
          const space = newSpace();
          const t = Date.now();
          const full = conformanceGate.maxListeners;
          const first = queued(await a.admission.arrive(space, at(t, undefined, full)));
          queued(await b.admission.arrive(space, at(t, undefined, full))); // a browser closed
          const last = queued(await a.admission.arrive(space, at(t, undefined, full)));
          expect(last.position).toBe(3);
          // The two others keep asking, every half abandon time, on either node.
          const step = conformanceGate.abandonAfterMs / 2;
          for (let now = t + step; now <= t + 4 * step; now += step) {
            await b.admission.arrive(space, at(now, first.entryId ?? "", full));
            const again = queued(
              await a.admission.arrive(space, at(now, last.entryId ?? "", full)),
            );
            if (now > t + conformanceGate.abandonAfterMs) expect(again.position).toBe(2);
          }
        }),
      );

      test(
        "the pre-queue counts only clients still asking, and past the scheduled start gives no estimate",
        withFleet(async ({ a, b }) => {
          const space = newSpace();
          const t = Date.now();
          const pre = { phase: "pre-queue" as const, activeListeners: 0 };
          const opensAt = t + 10 * conformanceGate.abandonAfterMs;
          const ask = (node: typeof a, nowMs: number, entryId?: string) =>
            node.admission.arrive(space, { ...pre, nowMs, entryId, untilOpenMs: opensAt - nowMs });
          const stays = queued(await ask(a, t));
          queued(await ask(b, t)); // gone
          expect(queued(await ask(b, t, stays.entryId ?? "")).position).toBe(2);
          await ask(a, t + conformanceGate.abandonAfterMs / 2, stays.entryId ?? "");
          const later = t + conformanceGate.abandonAfterMs + 1_000;
          const now = queued(await ask(b, later, stays.entryId ?? ""));
          expect(now).toMatchObject({ phase: "pre-queue", position: 1 });
          expect(now.estimatedWaitSeconds).toBeGreaterThanOrEqual((opensAt - later) / 1000);
          // The client keeps asking; the scheduled start passes and the host has not started.
          for (let at = later; at < opensAt; at += conformanceGate.abandonAfterMs / 2) {
            await ask(at % 2 ? a : b, at, stays.entryId ?? "");
          }
          const late = queued(await ask(a, opensAt + 1_000, stays.entryId ?? ""));
          expect(late).toMatchObject({ phase: "pre-queue", position: 1, entryId: stays.entryId });
          expect(late.estimatedWaitSeconds).toBeNull();
        }),
      );

      test(
        "forgetting a Space starts its line afresh",
        withFleet(async ({ a, b }) => {
          const space = newSpace();
          const at = { phase: "queue" as const, nowMs: Date.now(), activeListeners: 0 };
          for (let i = 0; i < 3; i++) await a.admission.arrive(space, at);
          await b.admission.forget(space);
          await a.admission.forget(space);
          expect((await b.admission.arrive(space, at)).kind).toBe("admit");
        }),
      );
    });

    describe("presence", () => {
      test(
        "listeners heard on any node count once, in the window, with peak and distinct total",
        withFleet(async ({ a, b }) => {
          const space = newSpace();
          const t = Date.now();
          a.presence.issued(space, "t1", t);
          b.presence.seen(space, "t1", t);
          b.presence.seen(space, "t2", t);
          a.presence.seen(space, "t3", t);
          // Nodes send heartbeats in batches (a fraction of a second).
          await new Promise((r) => setTimeout(r, 500));
          // Both nodes read the same fleet-wide count (after their cache refresh).
          const later = t + conformanceCounter.refreshMs + 1;
          expect(await b.presence.current(space, later)).toBe(3);
          expect(await a.presence.current(space, later)).toBe(3);
          // Past the window only the ticket that kept beating counts.
          const windowLater = t + conformanceCounter.windowMs + conformanceCounter.bucketMs;
          a.presence.seen(space, "t2", windowLater);
          await new Promise((r) => setTimeout(r, 500));
          expect(await b.presence.current(space, windowLater + 1)).toBe(1);
          const figures = await a.presence.figures(space, windowLater + 2_000);
          expect(figures).toEqual({ current: 1, peak: 3, unique: 3 });
        }),
      );
    });

    describe("rate limits", () => {
      test(
        "one limit for the fleet: points spent on one node count on the other",
        withFleet(async ({ a, b }) => {
          const spec = { name: `conf-${newSpace()}`, points: 3, windowSeconds: 10 };
          const onA = a.limits.create(spec);
          const onB = b.limits.create(spec);
          await onA.consume("10.0.0.1");
          await onB.consume("10.0.0.1");
          await onA.consume("10.0.0.1");
          await expect(onB.consume("10.0.0.1")).rejects.toMatchObject({ remainingPoints: 0 });
          await expect(onA.consume("10.0.0.2")).resolves.toMatchObject({ remainingPoints: 2 });
        }),
      );
    });

    describe("attack signals", () => {
      test(
        "counts added on every node are summed, and the operator's switch applies everywhere",
        withFleet(async ({ a, b }) => {
          const bucket = Math.floor(Date.now() / 1000) * 1000 + (spaces++ % 997);
          await a.signals.add(bucket, { arrivals: 10, admitted: 2, refused: 1 });
          await b.signals.add(bucket, { arrivals: 5, admitted: 1, refused: 0 });
          await b.signals.add(bucket + 1, { arrivals: 1, admitted: 0, refused: 4 });
          expect(await a.signals.totals(bucket, bucket + 1)).toEqual({
            arrivals: 16,
            admitted: 3,
            refused: 5,
          });
          expect(await b.signals.totals(bucket + 1, bucket + 1)).toEqual({
            arrivals: 1,
            admitted: 0,
            refused: 4,
          });
          await a.signals.setOperatorMode("on");
          expect(await b.signals.operatorMode()).toBe("on");
          await b.signals.setOperatorMode("auto");
          expect(await a.signals.operatorMode()).toBe("auto");
        }),
      );
    });

    describe("spent nonces", () => {
      test(
        "a solved challenge is accepted once in the whole fleet",
        withFleet(async ({ a, b }) => {
          const nonce = `n-${newSpace()}`;
          const until = Date.now() + 60_000;
          expect(await a.nonces.spend(nonce, until)).toBe(true);
          expect(await b.nonces.spend(nonce, until)).toBe(false);
          expect(await a.nonces.spend(nonce, until)).toBe(false);
        }),
      );
    });

    describe("placement", () => {
      test(
        "one media node holds a Space; a lapsed lease passes to another with a higher epoch",
        withFleet(async ({ a, b }) => {
          const space = newSpace();
          const one = { name: "media-1", url: "http://127.0.0.1:1" };
          const two = { name: "media-2", url: "http://127.0.0.1:2" };
          const lease = await a.placement.acquire(space, one, 300);
          expect(lease).toMatchObject({ spaceId: space, name: "media-1" });
          const first = lease?.epoch ?? 0;
          expect(first).toBeGreaterThanOrEqual(Date.now() - 60_000);
          expect(await b.placement.acquire(space, two, 300)).toBeNull();
          expect(await b.placement.owner(space)).toMatchObject({
            name: "media-1",
            url: one.url,
            epoch: first,
          });
          if (!lease) throw new Error("no lease");
          expect(await a.placement.renew(lease, 300)).toBe(true);
          await new Promise((r) => setTimeout(r, 400));
          expect(await b.placement.owner(space)).toBeNull();
          const taken = await b.placement.acquire(space, two, 5_000);
          expect(taken).toMatchObject({ name: "media-2" });
          expect(taken?.epoch).toBeGreaterThan(first);
          // The old owner learns it lost the Space: its renewal fails, its release is a no-op.
          expect(await a.placement.renew(lease, 5_000)).toBe(false);
          await a.placement.release(lease);
          expect(await a.placement.owner(space)).toMatchObject({ name: "media-2" });
          if (taken) await b.placement.release(taken);
          expect(await a.placement.owner(space)).toBeNull();
        }),
      );

      test(
        "a lease gone with no newer owner (lapsed, or Redis restarted empty) is its owner's again",
        withFleet(async ({ a, b }) => {
          const space = newSpace();
          const one = { name: "media-1", url: "http://127.0.0.1:1" };
          const lease = await a.placement.acquire(space, one, 200);
          if (!lease) throw new Error("no lease");
          await new Promise((r) => setTimeout(r, 300));
          expect(await b.placement.owner(space)).toBeNull();
          expect(await a.placement.renew(lease, 5_000)).toBe(true);
          expect(await b.placement.owner(space)).toMatchObject({
            name: "media-1",
            epoch: lease.epoch,
          });
          // The next owner after it still gets a later epoch.
          await a.placement.release(lease);
          const two = { name: "media-2", url: "http://127.0.0.1:2" };
          const next = await b.placement.acquire(space, two, 5_000);
          expect(next?.epoch).toBeGreaterThan(lease.epoch);
        }),
      );

      test(
        "the owner marks where its stream stands; the next owner reads it; a stale owner cannot",
        withFleet(async ({ a, b }) => {
          const space = newSpace();
          const one = { name: "media-1", url: "http://127.0.0.1:1" };
          const two = { name: "media-2", url: "http://127.0.0.1:2" };
          expect(await b.placement.position(space)).toBeNull();
          const lease = await a.placement.acquire(space, one, 300);
          if (!lease) throw new Error("no lease");
          const at = { mediaSequence: 42, decodeTime: 96_000, discontinuitySequence: 1 };
          expect(await a.placement.mark(lease, at)).toBe(true);
          await new Promise((r) => setTimeout(r, 400));
          // media-1 died: its lease lapsed, its last mark stays for whoever takes over.
          const taken = await b.placement.acquire(space, two, 5_000);
          if (!taken) throw new Error("no takeover");
          expect(await b.placement.position(space)).toEqual(at);
          // media-1 comes back and tries to write: refused (fencing), the mark unchanged.
          expect(
            await a.placement.mark(lease, { ...at, mediaSequence: 43, decodeTime: 120_000 }),
          ).toBe(false);
          expect(await b.placement.position(space)).toEqual(at);
          await b.placement.release(taken);
        }),
      );
    });

    describe("live-state fan-out", () => {
      test(
        "an event published on one node reaches handlers on both, once each",
        withFleet(async ({ a, b }) => {
          const topic = `t-${newSpace()}`;
          type Events = Record<string, { n: number }>;
          const busA = a.bus<Events>("conformance");
          const busB = b.bus<Events>("conformance");
          const onA: number[] = [];
          const onB: number[] = [];
          busA.subscribe(topic, ({ n }) => onA.push(n));
          if (busB !== busA) busB.subscribe(topic, ({ n }) => onB.push(n));
          await new Promise((r) => setTimeout(r, 50));
          busA.publish(topic, { n: 1 });
          busB.publish(topic, { n: 2 });
          await eventually(() => onA.length >= 2 && (busB === busA || onB.length >= 2));
          await new Promise((r) => setTimeout(r, 50));
          expect(onA.sort()).toEqual([1, 2]);
          if (busB !== busA) expect(onB.sort()).toEqual([1, 2]);
        }),
      );
    });
  });
}
