import { describe, expect, it } from "vitest";
import type { StageEntry } from "../api/types";
import { currentSpeaker } from "./current-speaker";

const entry = (id: string): StageEntry => ({
  account: { id, handle: `h${id}`, displayName: `Person ${id}` },
  role: "speaker",
  muted: false,
});
const stage = [entry("a"), entry("b"), entry("c")];

describe("the current speaker of an embed", () => {
  it("is the loudest of those on stage who speak", () => {
    expect(currentSpeaker(stage, { b: 0.4, c: 0.9 })?.account.id).toBe("c");
    expect(currentSpeaker(stage, { a: 0.2 })?.account.id).toBe("a");
  });

  it("is the earlier on stage on a tie", () => {
    expect(currentSpeaker(stage, { c: 0.5, b: 0.5 })?.account.id).toBe("b");
  });

  it("is nobody when no one on stage speaks", () => {
    expect(currentSpeaker(stage, {})).toBeNull();
    // Someone the media names who is not on stage (yet) in the document held.
    expect(currentSpeaker(stage, { z: 1 })).toBeNull();
  });
});
