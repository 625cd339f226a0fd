import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { JitterBuffer, type JitterBufferOptions, type JitterResult } from "./jitter-buffer.ts";
import { seqAdd, seqDiff, timestampDiff } from "./seq.ts";

const packet = (seq: number) => ({
  seq: seq & 0xffff,
  timestamp: (seq * 960) >>> 0,
  payload: Uint8Array.of(seq & 0xff, (seq >> 8) & 0xff),
});

/** One arrival: packet `seq` pushed just before the pop of tick `tick`. */
interface Arrival {
  readonly tick: number;
  readonly seq: number;
}

/** Runs `ticks` ticks: at each, push that tick's arrivals in order, then pop once. */
function simulate(arrivals: readonly Arrival[], ticks: number, options?: JitterBufferOptions) {
  const buffer = new JitterBuffer(options);
  const byTick = new Map<number, number[]>();
  for (const a of arrivals) byTick.set(a.tick, [...(byTick.get(a.tick) ?? []), a.seq]);
  const results: JitterResult[] = [];
  for (let t = 0; t < ticks; t++) {
    for (const seq of byTick.get(t) ?? []) buffer.push(packet(seq), t * 20);
    results.push(buffer.pop());
  }
  return { buffer, results };
}

const playedSeqs = (results: readonly JitterResult[]) =>
  results.flatMap((r) => (r.kind === "packet" ? [r.seq] : []));
const kinds = (results: readonly JitterResult[]) =>
  results.map((r) => (r.kind === "packet" ? r.seq : r.kind)).join(",");
const inOrder = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => ({ tick: i, seq: from + i }));

describe("RTP sequence arithmetic", () => {
  test("distances are signed and wrap at 2^16", () => {
    expect(seqDiff(5, 3)).toBe(2);
    expect(seqDiff(3, 5)).toBe(-2);
    expect(seqDiff(0, 65535)).toBe(1);
    expect(seqDiff(65535, 0)).toBe(-1);
    expect(seqDiff(32767, 0)).toBe(32767);
    expect(seqDiff(32768, 0)).toBe(-32768);
    expect(seqAdd(65535, 1)).toBe(0);
    expect(timestampDiff(0, 0xffff_ffff)).toBe(1);
    expect(timestampDiff(100, 4_000_000_000)).toBe(100 - 4_000_000_000 + 2 ** 32);
  });
});

describe("JitterBuffer", () => {
  test("waits the target delay, then plays in order", () => {
    const { results } = simulate(inOrder(5), 8);
    expect(kinds(results)).toBe("empty,empty,0,1,2,3,4,lost");
  });

  test("starts early when more than the target is already buffered", () => {
    const buffer = new JitterBuffer();
    for (const seq of [0, 1, 2]) buffer.push(packet(seq), seq * 20);
    expect(buffer.pop()).toMatchObject({ kind: "packet", seq: 0 });
  });

  test("reorders within the window and drops duplicates and late packets", () => {
    const buffer = new JitterBuffer();
    expect(buffer.push(packet(1), 20)).toBe("accepted");
    expect(buffer.push(packet(0), 21)).toBe("accepted");
    expect(buffer.push(packet(1), 22)).toBe("duplicate");
    expect(buffer.pop().kind).toBe("empty");
    buffer.push(packet(3), 60);
    buffer.push(packet(2), 61);
    expect(buffer.pop()).toMatchObject({ kind: "packet", seq: 0 });
    expect(buffer.push(packet(0), 40)).toBe("late");
    expect(playedSeqs([buffer.pop(), buffer.pop(), buffer.pop()])).toEqual([1, 2, 3]);
    expect(buffer.stats).toMatchObject({ duplicates: 1, late: 1 });
  });

  test("a missing packet is reported lost while later ones wait", () => {
    const arrivals = inOrder(6).filter((a) => a.seq !== 3);
    const { results, buffer } = simulate(arrivals, 8);
    expect(kinds(results)).toBe("empty,empty,0,1,2,lost,4,5");
    expect(buffer.stats.lost).toBe(1);
  });

  test("a speaker who stops sending is concealed a few frames, then empty, without end", () => {
    const { results } = simulate(inOrder(3), 40, { maxConcealFrames: 3 });
    expect(kinds(results.slice(0, 8))).toBe("empty,empty,0,1,2,lost,lost,lost");
    expect(results.slice(8).every((r) => r.kind === "empty")).toBe(true);
  });

  test("after a pause (DTX: sequence continues, timestamp jumps) it primes again and plays", () => {
    const buffer = new JitterBuffer();
    const played: JitterResult[] = [];
    for (let t = 0; t < 5; t++) {
      buffer.push(packet(t), t * 20);
      played.push(buffer.pop());
    }
    for (let t = 5; t < 60; t++) played.push(buffer.pop());
    for (let t = 60; t < 66; t++) {
      buffer.push({ ...packet(t - 55), timestamp: t * 960 }, t * 20);
      played.push(buffer.pop());
    }
    expect(playedSeqs(played)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(kinds(played.slice(5, 14))).toBe("3,4,lost,lost,lost,lost,lost,empty,empty");
    expect(kinds(played.slice(60))).toBe("empty,empty,5,6,7,8");
  });

  test("plays straight across the 16-bit wrap", () => {
    const { results } = simulate(inOrder(6, 65533), 8);
    expect(playedSeqs(results)).toEqual([65533, 65534, 65535, 0, 1, 2]);
  });

  test("a big sequence jump (sender restart) resyncs after two packets", () => {
    const buffer = new JitterBuffer();
    const out: JitterResult[] = [];
    for (let t = 0; t < 5; t++) {
      buffer.push(packet(t), t * 20);
      out.push(buffer.pop());
    }
    expect(buffer.push(packet(40_000), 100)).toBe("probation");
    out.push(buffer.pop());
    expect(buffer.push(packet(40_001), 120)).toBe("resync");
    for (let t = 7; t < 12; t++) {
      buffer.push(packet(40_000 + t - 5), t * 20);
      out.push(buffer.pop());
    }
    expect(playedSeqs(out)).toEqual([0, 1, 2, 3, 40_000, 40_001, 40_002, 40_003, 40_004]);
    expect(buffer.stats.resyncs).toBe(1);
  });

  test("one stray packet far away does not disturb the stream", () => {
    const buffer = new JitterBuffer();
    const out: JitterResult[] = [];
    for (let t = 0; t < 10; t++) {
      buffer.push(packet(t), t * 20);
      if (t === 4) expect(buffer.push(packet(30_000), t * 20)).toBe("probation");
      out.push(buffer.pop());
    }
    expect(playedSeqs(out)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  test("the target delay grows with jitter, within bounds", () => {
    const buffer = new JitterBuffer({ minDelayFrames: 2, maxDelayFrames: 6 });
    for (let seq = 0; seq < 50; seq++) buffer.push(packet(seq), seq * 20 + (seq % 2) * 150);
    expect(buffer.targetFrames).toBe(6);
    const calm = new JitterBuffer({ minDelayFrames: 2, maxDelayFrames: 6 });
    for (let seq = 0; seq < 50; seq++) calm.push(packet(seq), seq * 20 + (seq % 2) * 30);
    expect(calm.targetFrames).toBe(3);
  });

  test("a bloated buffer sheds a frame to win latency back", () => {
    const buffer = new JitterBuffer({ shrinkAfterTicks: 10, jitterWindow: 1 });
    for (let seq = 0; seq < 10; seq++) buffer.push(packet(seq), 0);
    const out: JitterResult[] = [];
    for (let t = 0; t < 30; t++) {
      buffer.push(packet(10 + t), t * 20);
      out.push(buffer.pop());
    }
    expect(buffer.stats.dropped).toBeGreaterThan(0);
    const seqs = playedSeqs(out);
    expect(seqs.length).toBe(30);
    // Skipped sequence numbers are the dropped ones (the last drop may follow the last pop).
    expect(seqs.at(-1)).toBeGreaterThanOrEqual(28 + buffer.stats.dropped);
    expect(seqs.at(-1)).toBeLessThanOrEqual(29 + buffer.stats.dropped);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1] ?? 0);
  });

  test("after a network stall the extra latency is won back", () => {
    const buffer = new JitterBuffer();
    const sizes: number[] = [];
    for (let t = 0; t < 400; t++) {
      // Packets 100-109 are held up and all arrive at tick 110.
      if (t === 110) for (let seq = 100; seq <= 110; seq++) buffer.push(packet(seq), t * 20);
      else if (t < 100 || t > 110) buffer.push(packet(t), t * 20);
      buffer.pop();
      sizes.push(buffer.size);
    }
    expect(Math.max(...sizes.slice(110, 130))).toBeGreaterThan(6);
    expect(Math.max(...sizes.slice(350))).toBeLessThanOrEqual(4);
    expect(buffer.stats.dropped).toBeGreaterThan(0);
  });
});

describe("JitterBuffer properties", () => {
  const start = fc.oneof(
    fc.integer({ min: 0, max: 65535 }),
    fc.integer({ min: 65400, max: 65535 }),
  );

  test("any mix of loss, reordering and duplicates: one result per tick, increasing, unique", () => {
    const scenario = fc.record({
      start,
      packets: fc.array(
        fc.record({
          lost: fc.boolean(),
          delays: fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 1, maxLength: 3 }),
        }),
        { maxLength: 150 },
      ),
    });
    fc.assert(
      fc.property(scenario, ({ start, packets }) => {
        const arrivals = packets.flatMap((p, i) =>
          p.lost ? [] : p.delays.map((d) => ({ tick: i + d, seq: start + i })),
        );
        const ticks = packets.length + 30;
        const { results } = simulate(arrivals, ticks);
        expect(results.length).toBe(ticks);
        const seqs = playedSeqs(results);
        expect(new Set(seqs).size).toBe(seqs.length);
        for (let i = 1; i < seqs.length; i++) {
          expect(seqDiff(seqs[i] ?? 0, seqs[i - 1] ?? 0)).toBeGreaterThan(0);
        }
        const sent = new Set(arrivals.map((a) => a.seq & 0xffff));
        for (const seq of seqs) expect(sent.has(seq)).toBe(true);
      }),
    );
  });

  test("no loss, reordering and duplicates within the delay: every packet, once, in order", () => {
    const scenario = fc.record({
      start,
      minDelayFrames: fc.integer({ min: 2, max: 4 }),
      packets: fc.array(fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 3 }), {
        minLength: 1,
        maxLength: 150,
      }),
    });
    fc.assert(
      fc.property(scenario, ({ start, minDelayFrames, packets }) => {
        const arrivals = packets
          .flatMap((delays, i) =>
            delays.map((d) => ({ tick: i + Math.min(d, minDelayFrames), seq: start + i })),
          )
          .sort((a, b) => a.tick - b.tick);
        const { results } = simulate(arrivals, packets.length + 20, { minDelayFrames });
        const expected = packets.map((_, i) => (start + i) & 0xffff);
        expect(playedSeqs(results)).toEqual(expected);
        const first = results.findIndex((r) => r.kind === "packet");
        const played = results.slice(first, first + packets.length);
        expect(played.every((r) => r.kind === "packet")).toBe(true);
      }),
    );
  });

  test("in-order arrival with any loss pattern: every received packet plays once", () => {
    const lossRuns = fc
      .array(fc.boolean(), { maxLength: 200 })
      .filter((lost) => !lost.join("").includes("true".repeat(40)));
    fc.assert(
      fc.property(start, lossRuns, (start, lost) => {
        const arrivals = lost.flatMap((l, i) => (l ? [] : [{ tick: i, seq: start + i }]));
        const { results } = simulate(arrivals, lost.length + 30);
        expect(playedSeqs(results)).toEqual(arrivals.map((a) => a.seq & 0xffff));
      }),
    );
  });
});
