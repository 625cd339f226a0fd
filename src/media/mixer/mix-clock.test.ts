import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { type MixTick, startMixClock } from "./mix-clock.ts";

describe("startMixClock (fake timers)", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  test("one tick per 20 ms against absolute deadlines: 51 ticks in [0, 1000] ms", () => {
    const ticks: MixTick[] = [];
    const clock = startMixClock({ onTick: (t) => ticks.push(t) });
    vi.advanceTimersByTime(1000);
    expect(ticks.length).toBe(51);
    expect(clock.ticks).toBe(51);
    ticks.forEach((t, i) => {
      expect(t.index).toBe(i);
      expect(t.scheduledMs - (ticks[0]?.scheduledMs ?? 0)).toBe(i * 20);
    });
    clock.stop();
  });

  test("a late wake-up catches up by emitting every tick that came due", () => {
    let lag = 0;
    const wakeups: number[][] = [];
    const clock = startMixClock({
      now: () => performance.now() + lag,
      onTick: (t) => {
        const last = wakeups.at(-1);
        if (last && t.nowMs === wakeups.at(-1)?.[1]) last[0] = (last[0] ?? 0) + 1;
        else wakeups.push([1, t.nowMs]);
      },
    });
    vi.advanceTimersByTime(200);
    lag = 105; // the event loop was blocked for ~100 ms
    vi.advanceTimersByTime(200);
    expect(Math.max(...wakeups.map((w) => w[0] ?? 0))).toBe(6);
    // 11 ticks in the first 200 ms, then real time 400 ms + 105 ms lag: floor(505 / 20) + 1 = 26.
    expect(clock.ticks).toBe(26);
    clock.stop();
  });

  test("after a long stall it skips rather than bursting, and reports the skip", () => {
    let lag = 0;
    const skips: number[] = [];
    const ticks: MixTick[] = [];
    const clock = startMixClock({
      now: () => performance.now() + lag,
      maxCatchUpTicks: 5,
      onSkip: (n) => skips.push(n),
      onTick: (t) => ticks.push(t),
    });
    vi.advanceTimersByTime(100);
    lag = 10_000;
    vi.advanceTimersByTime(20);
    // Due at 10 120 ms: ticks 6..506 (501); the last 5 run, 496 are skipped.
    expect(skips).toEqual([496]);
    expect(ticks.at(-1)?.index).toBe(506);
    clock.stop();
  });

  test("stop() ends ticking, and a throwing tick does not kill the clock", () => {
    const errors: unknown[] = [];
    let count = 0;
    const clock = startMixClock({
      onTick: () => {
        count++;
        throw new Error("tick failed");
      },
      onError: (e) => errors.push(e),
    });
    vi.advanceTimersByTime(100);
    clock.stop();
    vi.advanceTimersByTime(1000);
    expect(count).toBe(6);
    expect(errors.length).toBe(6);
  });
});

describe("startMixClock (real time)", () => {
  test("keeps pace with the wall clock over ~500 ms", async () => {
    const started = performance.now();
    const clock = startMixClock({ onTick: () => {} });
    await new Promise((resolve) => setTimeout(resolve, 500));
    clock.stop();
    // Drift-free: however late the timers ran, the count tracks elapsed time.
    const due = Math.floor((performance.now() - started) / 20) + 1;
    expect(clock.ticks).toBeGreaterThanOrEqual(due - 2);
    expect(clock.ticks).toBeLessThanOrEqual(due);
    expect(clock.ticks).toBeGreaterThanOrEqual(25);
  });
});
