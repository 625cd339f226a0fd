import { describe, expect, test } from "vitest";
import { OwnReactionEchoes } from "./own-reaction-echoes";

describe("OwnReactionEchoes", () => {
  test("logged in: drops samples with my handle, keeps everyone else's, named or not", () => {
    const echoes = new OwnReactionEchoes();
    const samples = [
      { emoji: "🔥" as const, handle: "ada" },
      { emoji: "🔥" as const, handle: "bo" },
      { emoji: "👏" as const, handle: null },
    ];
    expect(echoes.others(samples, "ada")).toEqual(samples.slice(1));
  });

  test("not logged in: each press skips one nameless echo of its emoji, no more", () => {
    const echoes = new OwnReactionEchoes();
    echoes.pressed("🔥");
    const batch = [
      { emoji: "🔥" as const, handle: null },
      { emoji: "🔥" as const, handle: null },
      { emoji: "👏" as const, handle: null },
      { emoji: "🔥" as const, handle: "ada" },
    ];
    expect(echoes.others(batch, null)).toEqual(batch.slice(1));
    // The press was used up: the next batch is all someone else's.
    expect(echoes.others(batch, null)).toEqual(batch);
  });

  test("a press whose echo never came stops skipping after a few seconds", () => {
    let now = 0;
    const echoes = new OwnReactionEchoes(() => now);
    echoes.pressed("😂");
    now = 6_000;
    const batch = [{ emoji: "😂" as const, handle: null }];
    expect(echoes.others(batch, null)).toEqual(batch);
  });
});
