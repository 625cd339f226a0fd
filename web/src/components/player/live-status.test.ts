import { describe, expect, it } from "vitest";
import type { SpaceDocument } from "../../api/types";
import type { HlsPlayer } from "../../media/use-hls-player";
import { type LiveListening, latencyText, liveStatusText } from "./live-status";

const space = { state: "live", scheduledFor: null } as SpaceDocument;
const player = { phase: "ready", blocked: false, error: null, latency: 2 } as unknown as HlsPlayer;
const idle: LiveListening = {
  listening: false,
  started: false,
  micLive: false,
  paused: true,
  waiting: false,
  admission: "idle",
};

describe("the live player's words", () => {
  it("labels the delay as how far behind live the listener is", () => {
    expect(latencyText(2.14)).toBe("2.1 s behind live");
    expect(latencyText(-0.2)).toBe("0.0 s behind live");
  });

  it("says why the program is off on the microphone: the stage is heard live, with no echo", () => {
    const text = liveStatusText(space, player, { ...idle, micLive: true });
    expect(text).toMatch(/on the microphone/);
    expect(text).toMatch(/live/);
    expect(text).toMatch(/echo/);
    expect(text).not.toMatch(/headphones/i);
  });
});
