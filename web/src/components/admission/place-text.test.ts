import { describe, expect, it } from "vitest";
import { placeText } from "./place-text";

describe("the place in line, in words", () => {
  it("never says 'one of 1 people' before the start", () => {
    expect(placeText({ phase: "pre-queue", position: 1 })).toBe(
      "You're the only one waiting so far.",
    );
    expect(placeText({ phase: "pre-queue", position: 2 })).toBe(
      "You and 1 other person are waiting.",
    );
    expect(placeText({ phase: "pre-queue", position: 40 })).toBe("You and 39 others are waiting.");
  });

  it("counts the people ahead once the line moves", () => {
    expect(placeText({ phase: "queue", position: 1 })).toBe("You're next.");
    expect(placeText({ phase: "queue", position: 2 })).toBe("1 person is ahead of you.");
    expect(placeText({ phase: "queue", position: 5 })).toBe("4 people are ahead of you.");
  });
});
