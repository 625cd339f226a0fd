import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SlotRewriter, type SlotRtpIn, seqDelta } from "./slot-rewriter.ts";

/** 20 ms Opus packets of one source, starting at seq/timestamp, arriving every 20 ms. */
function stream(
  sourceId: string,
  ssrc: number,
  seq: number,
  timestamp: number,
  count: number,
  arrivalMs: number,
): SlotRtpIn[] {
  return Array.from({ length: count }, (_, i) => ({
    sourceId,
    ssrc,
    seq: (seq + i) & 0xffff,
    timestamp: (timestamp + i * 960) >>> 0,
    marker: i === 0,
    arrivalMs: arrivalMs + i * 20,
  }));
}

function expectContinuous(out: Array<{ seq: number; timestamp: number }>): void {
  for (let i = 1; i < out.length; i++) {
    expect(seqDelta(out[i]!.seq, out[i - 1]!.seq)).toBe(1);
    expect((out[i]!.timestamp - out[i - 1]!.timestamp) >>> 0 >= 960).toBe(true);
  }
}

describe("seqDelta", () => {
  it("measures on the 16-bit circle", () => {
    expect(seqDelta(1, 0)).toBe(1);
    expect(seqDelta(0, 65535)).toBe(1);
    expect(seqDelta(65535, 0)).toBe(-1);
    expect(seqDelta(100, 65500)).toBe(136);
    expect(seqDelta(32767, 0)).toBe(32767);
    expect(seqDelta(32768, 0)).toBe(-32768);
  });
});

describe("SlotRewriter", () => {
  it("sends the first occupant with the slot's SSRC, seq and timestamp, marker on the first packet", () => {
    const rewriter = new SlotRewriter({ ssrc: 0xdeadbeef, initialSeq: 500, initialTimestamp: 7 });
    const out = stream("a", 1111, 40_000, 123_456, 3, 0).map((p) => rewriter.rewrite(p)!);
    expect(out).toEqual([
      { ssrc: 0xdeadbeef, seq: 500, timestamp: 7, marker: true },
      { ssrc: 0xdeadbeef, seq: 501, timestamp: 967, marker: false },
      { ssrc: 0xdeadbeef, seq: 502, timestamp: 1927, marker: false },
    ]);
    expect(rewriter.sourceId).toBe("a");
  });

  it("keeps the slot continuous when the occupant changes, advancing the timestamp by the gap", () => {
    const rewriter = new SlotRewriter({ ssrc: 9, initialSeq: 10, initialTimestamp: 1000 });
    const a = stream("a", 1, 5000, 900_000, 50, 0).map((p) => rewriter.rewrite(p)!);
    rewriter.release();
    // b starts 1 s after a's last packet (arrived at 980 ms).
    const b = stream("b", 2, 61_000, 42, 50, 1980).map((p) => rewriter.rewrite(p)!);
    expectContinuous(a);
    expectContinuous(b);
    expect(seqDelta(b[0]!.seq, a.at(-1)!.seq)).toBe(1);
    expect((b[0]!.timestamp - a.at(-1)!.timestamp) >>> 0).toBe(48_000);
    expect(b[0]!.marker).toBe(true);
    expect(new Set([...a, ...b].map((p) => p.ssrc))).toEqual(new Set([9]));
  });

  it("starts a new epoch without release() when another source or a new SSRC shows up", () => {
    const rewriter = new SlotRewriter({ ssrc: 9, initialSeq: 0, initialTimestamp: 0 });
    rewriter.rewrite(stream("a", 1, 100, 0, 1, 0)[0]!);
    const other = rewriter.rewrite(stream("b", 2, 9000, 5, 1, 5)[0]!);
    expect(other).toEqual({ ssrc: 9, seq: 1, timestamp: 960, marker: true });
    const newSsrc = rewriter.rewrite(stream("b", 3, 20, 5, 1, 10)[0]!);
    expect(newSsrc).toMatchObject({ seq: 2, timestamp: 1920, marker: true });
  });

  it("wraps the input sequence number (65535 -> 0) without a discontinuity", () => {
    const rewriter = new SlotRewriter({ ssrc: 9, initialSeq: 300, initialTimestamp: 0 });
    const out = stream("a", 1, 65_530, 4_294_960_000, 12, 0).map((p) => rewriter.rewrite(p)!);
    expect(out.map((p) => p.seq)).toEqual(Array.from({ length: 12 }, (_, i) => 300 + i));
    expectContinuous(out);
  });

  it("wraps the output sequence number and timestamp", () => {
    const rewriter = new SlotRewriter({
      ssrc: 9,
      initialSeq: 65_534,
      initialTimestamp: 4_294_966_000,
    });
    const out = stream("a", 1, 10, 0, 4, 0).map((p) => rewriter.rewrite(p)!);
    expect(out.map((p) => p.seq)).toEqual([65_534, 65_535, 0, 1]);
    expect(out.map((p) => p.timestamp)).toEqual([4_294_966_000, 4_294_966_960, 624, 1584]);
    rewriter.release();
    const next = rewriter.rewrite(stream("b", 2, 0, 0, 1, 80)[0]!);
    expect(next).toMatchObject({ seq: 2, timestamp: 2544 });
  });

  it("passes reordering and loss within an epoch through, drops duplicates and pre-epoch packets", () => {
    const rewriter = new SlotRewriter({ ssrc: 9, initialSeq: 1000, initialTimestamp: 0 });
    const packets = stream("a", 1, 200, 0, 6, 0);
    const [p0, p1, p2, p3, p4, p5] = packets;
    expect(rewriter.rewrite(p1!)?.seq).toBe(1000); // epoch starts at seq 201
    expect(rewriter.rewrite(p0!)).toBeUndefined(); // 200 predates the epoch
    expect(rewriter.rewrite(p3!)?.seq).toBe(1002); // 202 lost (for now)
    expect(rewriter.rewrite(p2!)?.seq).toBe(1001); // late 202, in its place
    expect(rewriter.rewrite(p3!)).toBeUndefined(); // duplicate of the highest
    expect(rewriter.rewrite(p5!)).toMatchObject({ seq: 1004, timestamp: 4 * 960 });
    expect(rewriter.rewrite(p4!)).toMatchObject({ seq: 1003, timestamp: 3 * 960 });
    expect(rewriter.last).toEqual({ seq: 1004, timestamp: 4 * 960 });
  });

  it("treats a large sequence jump of the same source as a restart", () => {
    const rewriter = new SlotRewriter({ ssrc: 9, initialSeq: 0, initialTimestamp: 0 });
    rewriter.rewrite(stream("a", 1, 100, 0, 1, 0)[0]!);
    const jumped = rewriter.rewrite({ ...stream("a", 1, 30_000, 999, 1, 20)[0]!, marker: false });
    expect(jumped).toMatchObject({ seq: 1, timestamp: 960, marker: true });
  });

  it("keeps any sequence of occupants continuous (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffff }),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.array(
          fc.record({
            source: fc.constantFrom("a", "b", "c"),
            seq: fc.integer({ min: 0, max: 0xffff }),
            timestamp: fc.integer({ min: 0, max: 0xffffffff }),
            count: fc.integer({ min: 1, max: 40 }),
            gapMs: fc.integer({ min: 0, max: 5000 }),
          }),
          { minLength: 1, maxLength: 8 },
        ),
        (initialSeq, initialTimestamp, runs) => {
          const rewriter = new SlotRewriter({ ssrc: 5, initialSeq, initialTimestamp });
          const out: Array<{ seq: number; timestamp: number }> = [];
          let clock = 0;
          for (const run of runs) {
            rewriter.release();
            clock += run.gapMs;
            for (const packet of stream(run.source, 7, run.seq, run.timestamp, run.count, clock)) {
              const rewritten = rewriter.rewrite(packet);
              if (rewritten) out.push(rewritten);
            }
            clock += run.count * 20;
          }
          expect(out[0]).toMatchObject({ seq: initialSeq, timestamp: initialTimestamp });
          expectContinuous(out);
        },
      ),
    );
  });
});
