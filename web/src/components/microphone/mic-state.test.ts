import { describe, expect, it } from "vitest";
import { micPhase, micPhaseText, nextMutedByHost } from "./mic-state";

describe("the one microphone state", () => {
  it("is off without a session, whatever the stage's mute says", () => {
    expect(micPhase("idle", false, false)).toBe("off");
    expect(micPhase("idle", true, false)).toBe("off");
    expect(micPhaseText("off", null)).toBe("Mic off");
  });

  it("is live only when audio is sent and the stage has it unmuted", () => {
    expect(micPhase("live", false, false)).toBe("live");
    expect(micPhase("live", true, false)).toBe("muted");
    expect(micPhase("live", true, true)).toBe("mutedByHost");
    expect(micPhaseText("mutedByHost", null)).toBe("Muted by a host");
  });

  it("says what went wrong", () => {
    expect(micPhaseText(micPhase("error", false, false), "Gone")).toBe("Gone");
    expect(micPhaseText(micPhase("denied", false, false), null)).toBe("Permission denied");
    expect(micPhaseText(micPhase("requesting", true, false), null)).toBe("Connecting…");
  });
});

describe("muted by a host", () => {
  const unmuted = { muted: false, mutedByHost: false };

  it("is a mute that arrives while on the microphone without the viewer pressing Mute", () => {
    expect(nextMutedByHost(unmuted, { muted: true, joined: true, selfMuting: false })).toBe(true);
  });

  it("is not the viewer's own mute", () => {
    expect(nextMutedByHost(unmuted, { muted: true, joined: true, selfMuting: true })).toBe(false);
  });

  it("is kept while muted, and forgotten once unmuted or off the microphone", () => {
    const byHost = { muted: true, mutedByHost: true };
    expect(nextMutedByHost(byHost, { muted: true, joined: true, selfMuting: false })).toBe(true);
    expect(nextMutedByHost(byHost, { muted: false, joined: true, selfMuting: false })).toBe(false);
    expect(nextMutedByHost(byHost, { muted: true, joined: false, selfMuting: false })).toBe(false);
  });

  it("is not the mute a speaker starts with", () => {
    const startMuted = { muted: true, mutedByHost: false };
    expect(nextMutedByHost(startMuted, { muted: true, joined: true, selfMuting: false })).toBe(
      false,
    );
  });
});
