import { describe, expect, it } from "vitest";
import { RealTimeCheck } from "./real-time-check.ts";

describe("RealTimeCheck", () => {
  it("keeps up without stalls when parts arrive at the pace they play", () => {
    const check = new RealTimeCheck();
    for (let i = 0; i < 20; i++) check.received(0.5, 1000 + i * 500);
    expect(check.mediaSeconds).toBe(10);
    expect(check.stalls).toBe(0);
    expect(check.keepingUp(1000 + 20 * 500)).toBe(true);
  });

  it("counts a stall each time the buffer runs dry, and falls behind when too slow", () => {
    const check = new RealTimeCheck();
    // A part every 0.7 s: the 0.5 s just received is always used up first.
    for (let i = 0; i < 10; i++) check.received(0.5, i * 700);
    expect(check.stalls).toBe(9);
    expect(check.keepingUp(10 * 700)).toBe(false);
  });

  it("absorbs a late part with what is buffered", () => {
    const check = new RealTimeCheck();
    check.received(0.5, 0);
    check.received(0.5, 10);
    check.received(0.5, 20);
    check.received(0.5, 1400); // 1.4 s in, 1.5 s buffered: no stall
    expect(check.stalls).toBe(0);
  });

  it("starts playing only once it holds the start-up buffer", () => {
    const check = new RealTimeCheck({ startupSeconds: 1.5 });
    // Joining a fresh stream: one part, then one every 0.5 s (a little late).
    for (let i = 0; i < 10; i++) check.received(0.5, i * 520);
    expect(check.stalls).toBe(0);
    const eager = new RealTimeCheck();
    for (let i = 0; i < 10; i++) eager.received(0.5, i * 520);
    expect(eager.stalls).toBeGreaterThan(0);
  });

  it("is not keeping up before any media arrives", () => {
    expect(new RealTimeCheck().keepingUp(5000)).toBe(false);
  });
});
