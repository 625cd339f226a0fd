import { describe, expect, it } from "vitest";
import { LiveCueTimeline } from "./live-cue-timeline";

describe("LiveCueTimeline", () => {
  it("gives the state the listener hears: the latest value of each field at or before t", () => {
    const timeline = new LiveCueTimeline();
    timeline.add(10, { v: 1, speaking: {}, stage: "a", listeners: 3 });
    timeline.add(10.3, { v: 1, speaking: { host: 0.8 } });
    timeline.add(10.5, { v: 1, listeners: 4 });
    timeline.add(11, { v: 1, stage: "b" });
    expect(timeline.stateAt(9)).toEqual({
      speaking: {},
      stage: null,
      listeners: null,
      ended: false,
    });
    expect(timeline.stateAt(10.29)).toEqual({
      speaking: {},
      stage: "a",
      listeners: 3,
      ended: false,
    });
    // The ring lights when the voice plays, not when the part arrived.
    expect(timeline.stateAt(10.3).speaking).toEqual({ host: 0.8 });
    expect(timeline.stateAt(10.6)).toEqual({
      speaking: { host: 0.8 },
      stage: "a",
      listeners: 4,
      ended: false,
    });
    expect(timeline.stateAt(12).stage).toBe("b");
  });

  it("sorts cues that arrive out of order and keeps a repeated cue once", () => {
    const timeline = new LiveCueTimeline();
    timeline.add(2, { v: 1, reactions: { "🔥": 1 } });
    timeline.add(1, { v: 1, reactions: { "👏": 2 } });
    timeline.add(2, { v: 1, reactions: { "🔥": 1 } });
    expect(timeline.reactionsBetween(0, 3)).toEqual({ "👏": 2, "🔥": 1 });
    expect(timeline.reactionsBetween(1, 3)).toEqual({ "🔥": 1 });
    expect(timeline.reactionsBetween(0, 1.5)).toEqual({ "👏": 2 });
  });

  it("knows the end, and forgets old cues but not the state before the cut", () => {
    const timeline = new LiveCueTimeline();
    timeline.add(0, { v: 1, speaking: {}, stage: "a", listeners: 1 });
    for (let t = 1; t < 300; t++) timeline.add(t, { v: 1, listeners: t });
    timeline.add(300, { v: 1, ended: true, stage: "z" });
    timeline.prune(300);
    expect(timeline.stateAt(300)).toEqual({
      speaking: {},
      stage: "z",
      listeners: 299,
      ended: true,
    });
    expect(timeline.has(100)).toBe(false);
    expect(timeline.has(180)).toBe(true);
  });
});
