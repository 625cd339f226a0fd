import { describe, expect, it } from "vitest";
import { SpeakerLiveness } from "./speaker-liveness.ts";

describe("SpeakerLiveness", () => {
  it("reports nothing before the transport is up, then connected once", () => {
    const liveness = new SpeakerLiveness(5000);
    expect(liveness.tick(100)).toBeUndefined();
    expect(liveness.transport(false, 200)).toBeUndefined();
    expect(liveness.state).toBeUndefined();
    expect(liveness.transport(true, 1000)).toBe("connected");
    expect(liveness.rtp(1020)).toBeUndefined();
    expect(liveness.tick(2000)).toBeUndefined();
    expect(liveness.state).toBe("connected");
  });

  it("goes disconnected after the inactivity timeout without RTP, and back on the next packet", () => {
    const liveness = new SpeakerLiveness(5000);
    liveness.transport(true, 0);
    liveness.rtp(1000);
    expect(liveness.tick(5999)).toBeUndefined();
    expect(liveness.tick(6000)).toBe("disconnected");
    expect(liveness.tick(9000)).toBeUndefined();
    expect(liveness.rtp(9500)).toBe("connected");
  });

  it("gives a freshly connected speaker the timeout to start sending", () => {
    const liveness = new SpeakerLiveness(5000);
    expect(liveness.transport(true, 10_000)).toBe("connected");
    expect(liveness.tick(14_999)).toBeUndefined();
    expect(liveness.tick(15_000)).toBe("disconnected");
  });

  it("follows the transport going down and up", () => {
    const liveness = new SpeakerLiveness(5000);
    liveness.transport(true, 0);
    liveness.rtp(100);
    expect(liveness.transport(false, 200)).toBe("disconnected");
    expect(liveness.rtp(250)).toBeUndefined(); // stray packet while ICE says disconnected
    expect(liveness.transport(true, 300)).toBe("connected");
  });

  it("reports disconnected once when the session ends, then nothing", () => {
    const liveness = new SpeakerLiveness(5000);
    liveness.transport(true, 0);
    expect(liveness.end()).toBe("disconnected");
    expect(liveness.end()).toBeUndefined();
    expect(liveness.rtp(10)).toBeUndefined();
    expect(liveness.transport(true, 20)).toBeUndefined();
    const never = new SpeakerLiveness(5000);
    expect(never.end()).toBeUndefined();
  });
});
