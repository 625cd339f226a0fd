import { describe, expect, it } from "vitest";
import { recordingNote } from "./recording-note";

describe("what a Space's page says about its recording", () => {
  it("says a cancelled Space has no recording, whatever the host chose", () => {
    expect(recordingNote({ state: "cancelled", recording: true })).toEqual({
      badge: null,
      detail: "No recording: the Space was cancelled",
    });
  });

  it("says a scheduled Space will be recorded, and live or ended ones are", () => {
    expect(recordingNote({ state: "scheduled", recording: true }).badge).toBe("Will be recorded");
    expect(recordingNote({ state: "live", recording: true }).badge).toBe("Recorded");
    expect(recordingNote({ state: "ended", recording: true }).badge).toBe("Recorded");
    expect(recordingNote({ state: "ended", recording: false })).toEqual({
      badge: null,
      detail: "Not recorded",
    });
  });
});
