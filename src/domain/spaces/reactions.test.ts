import { describe, expect, test } from "vitest";
import { isReactionEmoji, ReactionAggregator, reactionEmojis } from "./reactions.ts";

describe("reaction emojis", () => {
  test("the fixed set of eight", () => {
    expect(reactionEmojis).toEqual(["💯", "👏", "😂", "❤️", "🙌", "😮", "😢", "🔥"]);
  });

  test.each(reactionEmojis)("%s is a reaction", (emoji) => {
    expect(isReactionEmoji(emoji)).toBe(true);
  });

  test.each(["", "👍", "❤", "fire", "🔥🔥", " 🔥"])("%j is not", (value) => {
    expect(isReactionEmoji(value)).toBe(false);
  });
});

describe("ReactionAggregator batches", () => {
  test("counts per emoji and in total, one batch per Space", () => {
    const agg = new ReactionAggregator();
    agg.add("s1", "🔥", "ada", 1_000);
    agg.add("s1", "🔥", "bob", 1_001);
    agg.add("s1", "👏", "ada", 1_002);
    agg.add("s2", "😂", "cy", 1_003);
    const batches = agg.drain();
    expect(batches).toEqual([
      {
        spaceId: "s1",
        counts: { "🔥": 2, "👏": 1 },
        samples: [
          { emoji: "🔥", handle: "ada" },
          { emoji: "🔥", handle: "bob" },
          { emoji: "👏", handle: "ada" },
        ],
        total: 3,
      },
      { spaceId: "s2", counts: { "😂": 1 }, samples: [{ emoji: "😂", handle: "cy" }], total: 1 },
    ]);
  });

  test("drain empties: the next drain has nothing until more reactions arrive", () => {
    const agg = new ReactionAggregator();
    expect(agg.drain()).toEqual([]);
    agg.add("s1", "💯", "ada", 0);
    expect(agg.drain()).toHaveLength(1);
    expect(agg.drain()).toEqual([]);
    agg.add("s1", "💯", "ada", 10);
    expect(agg.drain()).toEqual([
      { spaceId: "s1", counts: { "💯": 1 }, samples: [{ emoji: "💯", handle: "ada" }], total: 1 },
    ]);
  });

  test("listeners without a handle (ticket reactions) join the same batch, sampled with null", () => {
    const agg = new ReactionAggregator();
    agg.add("s1", "🔥", "ada", 0);
    agg.add("s1", "🔥", null, 1);
    agg.add("s1", "👏", null, 2);
    expect(agg.drain()).toEqual([
      {
        spaceId: "s1",
        counts: { "🔥": 2, "👏": 1 },
        samples: [
          { emoji: "🔥", handle: "ada" },
          { emoji: "🔥", handle: null },
          { emoji: "👏", handle: null },
        ],
        total: 3,
      },
    ]);
    expect(agg.lastSecond("s1", 1000)).toBe(3);
  });

  test("samples stop at the cap while counts go on", () => {
    const agg = new ReactionAggregator(3);
    for (let i = 0; i < 10; i++) agg.add("s1", i % 2 ? "🙌" : "😮", `u${i}`, i);
    const [batch] = agg.drain();
    expect(batch?.total).toBe(10);
    expect(batch?.counts).toEqual({ "😮": 5, "🙌": 5 });
    expect(batch?.samples.map((s) => s.handle)).toEqual(["u0", "u1", "u2"]);
  });

  test("the default cap is 20 samples", () => {
    const agg = new ReactionAggregator();
    for (let i = 0; i < 500; i++) agg.add("s1", "❤️", `u${i}`, i);
    const [batch] = agg.drain();
    expect(batch?.samples).toHaveLength(20);
    expect(batch?.total).toBe(500);
  });

  test("a cap of 0 keeps no samples", () => {
    const agg = new ReactionAggregator(0);
    agg.add("s1", "😢", "ada", 0);
    expect(agg.drain()[0]).toMatchObject({ samples: [], total: 1 });
  });

  test("forget drops a Space's pending batch and rate", () => {
    const agg = new ReactionAggregator();
    agg.add("s1", "🔥", "ada", 1_000);
    agg.add("s2", "🔥", "bob", 1_000);
    agg.forget("s1");
    expect(agg.drain().map((b) => b.spaceId)).toEqual(["s2"]);
    expect(agg.lastSecond("s1", 2_000)).toBe(0);
    expect(agg.lastSecond("s2", 2_000)).toBe(1);
  });
});

describe("ReactionAggregator.lastSecond (the caller's clock)", () => {
  test("counts the last complete second, not the one in progress", () => {
    const agg = new ReactionAggregator();
    for (const t of [5_000, 5_100, 5_999]) agg.add("s1", "🔥", "ada", t);
    // Second 5 is still going on: nothing has completed yet.
    expect(agg.lastSecond("s1", 5_999)).toBe(0);
    // During second 6, second 5 is the last complete one.
    expect(agg.lastSecond("s1", 6_000)).toBe(3);
    expect(agg.lastSecond("s1", 6_999)).toBe(3);
    // By second 7 nothing came in second 6.
    expect(agg.lastSecond("s1", 7_000)).toBe(0);
  });

  test("reactions in the current second do not hide the previous one", () => {
    const agg = new ReactionAggregator();
    for (let i = 0; i < 4; i++) agg.add("s1", "👏", "ada", 10_000 + i);
    agg.add("s1", "👏", "bob", 11_200);
    agg.add("s1", "👏", "bob", 11_300);
    expect(agg.lastSecond("s1", 11_500)).toBe(4);
    expect(agg.lastSecond("s1", 12_000)).toBe(2);
  });

  test("after a quiet second the previous count is zero", () => {
    const agg = new ReactionAggregator();
    agg.add("s1", "👏", "ada", 20_000);
    agg.add("s1", "👏", "ada", 22_500); // second 21 had nothing
    expect(agg.lastSecond("s1", 22_600)).toBe(0);
    expect(agg.lastSecond("s1", 23_000)).toBe(1);
  });

  test("draining does not reset the rate; Spaces are counted apart", () => {
    const agg = new ReactionAggregator();
    agg.add("s1", "😂", "ada", 30_000);
    agg.add("s1", "😂", "ada", 30_001);
    agg.add("s2", "😂", "ada", 30_002);
    agg.drain();
    expect(agg.lastSecond("s1", 31_000)).toBe(2);
    expect(agg.lastSecond("s2", 31_000)).toBe(1);
    expect(agg.lastSecond("unknown", 31_000)).toBe(0);
  });

  test("an unknown Space has no rate", () => {
    expect(new ReactionAggregator().lastSecond("s1", 0)).toBe(0);
  });
});
