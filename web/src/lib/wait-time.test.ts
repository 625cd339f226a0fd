import { describe, expect, it } from "vitest";
import { formatCountdown, formatWait } from "./wait-time";

describe("the wait, in words", () => {
  it("rounds estimates as people say them", () => {
    expect(formatWait(20)).toBe("less than a minute");
    expect(formatWait(240)).toBe("about 4 minutes");
    expect(formatWait(80 * 60)).toBe("about 1 hour 20 minutes");
  });

  it("past a scheduled start the host has not begun, says the host has not started, not a time", () => {
    expect(formatWait(null)).toBe("unknown, the host hasn't started yet");
    expect(formatWait(null)).not.toMatch(/minute/);
  });

  it("counts down in seconds, then minutes", () => {
    expect(formatCountdown(5)).toBe("5 s");
    expect(formatCountdown(70)).toBe("1 min 10 s");
  });
});
