import { describe, expect, it } from "vitest";
import { cancelledReason, endedThanks } from "./ended-message";

describe("the goodbye of an ended Space", () => {
  it("thanks the hosts and speakers for what they did, not for listening", () => {
    expect(endedThanks("host")).toBe("Thanks for hosting.");
    expect(endedThanks("cohost")).toBe("Thanks for co-hosting.");
    expect(endedThanks("speaker")).toBe("Thanks for speaking.");
  });

  it("thanks everyone else for listening", () => {
    expect(endedThanks("listener")).toBe("Thanks for listening.");
    expect(endedThanks("anonymous")).toBe("Thanks for listening.");
  });

  it("tells the host that they cancelled, and the others that the host did", () => {
    expect(cancelledReason("host")).toMatch(/^You called it off/);
    expect(cancelledReason("listener")).toMatch(/^The host called it off/);
  });
});
