import { describe, expect, it } from "vitest";
import { SeenNotifications } from "./seen-notifications";

describe("SeenNotifications", () => {
  it("toasts a notification once, however often its delivery is repeated", () => {
    const seen = new SeenNotifications();
    expect(seen.first("41")).toBe(true);
    expect(seen.first("41")).toBe(false);
    expect(seen.first("42")).toBe(true);
    expect(seen.first("41")).toBe(false);
  });

  it("forgets the oldest ids past its bound", () => {
    const seen = new SeenNotifications(2);
    seen.first("1");
    seen.first("2");
    seen.first("3");
    expect(seen.first("1")).toBe(true);
    expect(seen.first("3")).toBe(false);
  });
});
