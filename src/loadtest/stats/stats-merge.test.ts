import { describe, expect, test } from "vitest";
import {
  decodeHistogram,
  encodeHistogram,
  newHistogram,
  percentilesOf,
} from "./latency-histogram.ts";
import { StatsAggregate } from "./stats-aggregate.ts";
import { isEmptyDelta, StatsRecorder } from "./stats-recorder.ts";

/** A recorder whose clock the test moves. */
function clocked(startedAtMs = 1_000_000) {
  let now = startedAtMs;
  const recorder = new StatsRecorder(startedAtMs, () => now);
  return { recorder, at: (seconds: number) => (now = startedAtMs + seconds * 1000) };
}

/** Sends a delta through JSON, as IPC does. */
const overTheWire = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe("HdrHistogram transfer", () => {
  test("an encoded histogram decodes to the same distribution", () => {
    const h = newHistogram();
    for (let v = 1; v <= 10_000; v++) h.recordValue(v * 100);
    const back = decodeHistogram(encodeHistogram(h));
    expect(back.totalCount).toBe(10_000);
    const { max, ...rest } = percentilesOf(back);
    const { max: originalMax, ...originalRest } = percentilesOf(h);
    expect(rest).toEqual(originalRest);
    // The decoded maximum is the top of the value's bucket (3 significant digits).
    expect(max).toBeCloseTo(originalMax, 0);
  });
});

describe("merging the figures of several workers", () => {
  test("counters, outcomes and error breakdowns add up; histograms merge into exact percentiles", () => {
    const a = clocked();
    const b = clocked();
    // Worker A: 100 ticket requests of 1..100 ms in second 0; worker B: 100 of 101..200 ms in second 2.
    a.at(0.5);
    for (let i = 1; i <= 100; i++) {
      a.recorder.count("arrivals");
      a.recorder.latency("ticketRequest", i);
    }
    a.recorder.outcome("admitted");
    a.recorder.error("503 AMPHI_OVERLOADED");
    b.at(2.2);
    for (let i = 101; i <= 200; i++) {
      b.recorder.count("arrivals");
      b.recorder.latency("ticketRequest", i);
    }
    b.recorder.outcome("admitted");
    b.recorder.outcome("still-queued");
    b.recorder.error("503 AMPHI_OVERLOADED");
    b.recorder.error("network ECONNRESET");

    const total = new StatsAggregate();
    total.merge(overTheWire(a.recorder.drain()));
    total.merge(overTheWire(b.recorder.drain()));

    expect(total.total("arrivals")).toBe(200);
    expect(total.total("errors")).toBe(3);
    expect(total.outcomes).toEqual({ admitted: 2, "still-queued": 1 });
    expect(total.errors).toEqual({ "503 AMPHI_OVERLOADED": 2, "network ECONNRESET": 1 });
    const p = total.percentiles("ticketRequest");
    expect(p.count).toBe(200);
    expect(p.p50).toBeCloseTo(100, 0);
    expect(p.p99).toBeCloseTo(198, 0);
    expect(p.max).toBeCloseTo(200, 0);
    // Per second: A's requests in second 0, B's in second 2.
    expect(total.perSecond.get(0)?.arrivals).toBe(100);
    expect(total.perSecond.get(1)).toBeUndefined();
    expect(total.perSecond.get(2)?.arrivals).toBe(100);
    expect(total.histogramsBySecond.get(0)?.get("ticketRequest")?.totalCount).toBe(100);
    expect(total.histogramsBySecond.get(2)?.get("ticketRequest")?.maxValue).toBeGreaterThan(
      199_000,
    );
  });

  test("a drain hands over only what happened since the previous one", () => {
    const { recorder, at } = clocked();
    at(0);
    recorder.count("arrivals");
    recorder.latency("heartbeat", 5);
    const first = recorder.drain();
    expect(isEmptyDelta(recorder.drain())).toBe(true);
    at(1);
    recorder.count("arrivals");
    recorder.latency("heartbeat", 7);
    const second = recorder.drain();
    const total = new StatsAggregate();
    total.merge(first);
    total.merge(second);
    expect(total.total("arrivals")).toBe(2);
    expect(total.percentiles("heartbeat").count).toBe(2);
  });

  test("gauges: queued and listening are what entered minus what left, rates over the last seconds", () => {
    const { recorder, at } = clocked();
    at(0);
    recorder.count("queueEntered", 10);
    recorder.count("arrivals", 30);
    at(1);
    recorder.count("queueLeft", 4);
    recorder.count("listeningStarted", 4);
    recorder.count("arrivals", 30);
    at(2);
    recorder.count("listeningStopped", 1);
    recorder.count("arrivals", 30);
    const total = new StatsAggregate();
    total.merge(recorder.drain());
    const figures = total.progress(3);
    expect(figures.queued).toBe(6);
    expect(figures.listening).toBe(3);
    expect(figures.arrived).toBe(90);
    expect(figures.rates.arrivals).toBe(30);
  });

  test("queue positions are kept as numbers, not durations", () => {
    const { recorder } = clocked();
    for (const position of [1, 50, 100]) recorder.value("queuePosition", position);
    const total = new StatsAggregate();
    total.merge(recorder.drain());
    expect(total.percentiles("queuePosition")).toMatchObject({ count: 3, max: 100, p50: 50 });
  });
});
