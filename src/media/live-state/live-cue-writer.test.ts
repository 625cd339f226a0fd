import { describe, expect, it } from "vitest";
import type { SpeakerLevel } from "../mixer/program-mixer.ts";
import { decodeLiveCue, type LiveCue } from "./live-cue.ts";
import { LiveCueWriter } from "./live-cue-writer.ts";

const quiet: SpeakerLevel = { dbfs: -127, speaking: false };
const loud = (dbfs = -20): SpeakerLevel => ({ dbfs, speaking: true });
const levels = (entries: Record<string, SpeakerLevel>) => new Map(Object.entries(entries));
const read = (text: string | undefined): LiveCue | null =>
  text === undefined ? null : decodeLiveCue(text);

describe("LiveCueWriter", () => {
  it("puts the full state at a part's start and only changes in between", () => {
    const writer = new LiveCueWriter();
    writer.setStage("v1");
    writer.setListeners(12);
    expect(read(writer.next(levels({ a: quiet }), true))).toEqual({
      v: 1,
      speaking: {},
      stage: "v1",
      listeners: 12,
    });
    // Nothing changed: no cue.
    expect(writer.next(levels({ a: quiet }), false)).toBeUndefined();
    // Someone starts speaking: at once, with their loudness.
    expect(read(writer.next(levels({ a: loud(-20) }), false))).toEqual({
      v: 1,
      speaking: { a: 0.8 },
    });
    writer.setListeners(13);
    expect(read(writer.next(levels({ a: loud(-20) }), false))).toEqual({ v: 1, listeners: 13 });
    // The next part repeats everything.
    expect(read(writer.next(levels({ a: loud(-20) }), true))).toEqual({
      v: 1,
      speaking: { a: 0.8 },
      stage: "v1",
      listeners: 13,
    });
  });

  it("sends loudness changes at most every few frames, and who speaks at once", () => {
    const writer = new LiveCueWriter({ levelEveryFrames: 5 });
    writer.next(levels({ a: loud(-20) }), true); // frame 0
    const cues = [];
    for (let f = 1; f < 10; f++) cues.push(read(writer.next(levels({ a: loud(-30 + f) }), false)));
    // Loudness moves every frame, but only frame 5 sends it.
    expect(cues.map((c) => c?.speaking ?? null)).toEqual([
      null,
      null,
      null,
      null,
      { a: 0.7 },
      null,
      null,
      null,
      null,
    ]);
    expect(read(writer.next(levels({ a: quiet }), false))).toEqual({ v: 1, speaking: {} });
  });

  it("hands on reactions once, summed, and ends with the final state", () => {
    const writer = new LiveCueWriter();
    writer.setStage("v2");
    writer.next(levels({}), true);
    writer.addReactions({ "🔥": 2 });
    writer.addReactions({ "🔥": 1, "👏": 1 });
    expect(read(writer.next(levels({}), false))).toEqual({
      v: 1,
      reactions: { "🔥": 3, "👏": 1 },
    });
    expect(writer.next(levels({}), false)).toBeUndefined();
    writer.setStage("v3");
    expect(read(writer.end())).toEqual({ v: 1, speaking: {}, stage: "v3", ended: true });
  });

  it("decodes only well-formed version 1 cues", () => {
    expect(decodeLiveCue("not json")).toBeNull();
    expect(decodeLiveCue('{"v":2}')).toBeNull();
    expect(decodeLiveCue('{"v":1,"speaking":{"a":7,"b":0.5},"listeners":-1,"ended":1}')).toEqual({
      v: 1,
      speaking: { b: 0.5 },
    });
  });
});
