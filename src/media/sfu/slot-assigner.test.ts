import { describe, expect, it } from "vitest";
import { SlotAssigner } from "./slot-assigner.ts";

describe("SlotAssigner", () => {
  it("gives each new speaker the lowest free slot, and the same slot when asked again", () => {
    const slots = new SlotAssigner(3);
    expect(slots.assign("a")).toBe(0);
    expect(slots.assign("b")).toBe(1);
    expect(slots.assign("a")).toBe(0);
    expect(slots.occupants()).toEqual(["a", "b", null]);
    expect(slots.freeSlots).toBe(1);
  });

  it("returns undefined when every slot is taken, and fills a freed one", () => {
    const slots = new SlotAssigner(2);
    slots.assign("a");
    slots.assign("b");
    expect(slots.assign("c")).toBeUndefined();
    expect(slots.release("a")).toBe(0);
    expect(slots.release("a")).toBeUndefined();
    expect(slots.assign("c")).toBe(0);
    expect(slots.slotOf("c")).toBe(0);
    expect(slots.occupant(0)).toBe("c");
  });

  it("gives a returning speaker their previous slot back", () => {
    const slots = new SlotAssigner(4);
    slots.assign("a");
    slots.assign("b");
    slots.assign("c");
    slots.release("b");
    slots.release("a");
    expect(slots.assign("b")).toBe(1);
    expect(slots.assign("a")).toBe(0);
  });

  it("prefers a never-used slot for a newcomer over one someone may come back to", () => {
    const slots = new SlotAssigner(3);
    slots.assign("a");
    slots.release("a");
    expect(slots.assign("b")).toBe(1);
    expect(slots.assign("c")).toBe(2);
    // Only a's old slot is left: a newcomer takes it rather than go unheard.
    expect(slots.assign("d")).toBe(0);
    expect(slots.assign("a")).toBeUndefined();
  });

  it("refuses a listener without slots", () => {
    expect(() => new SlotAssigner(0)).toThrow(RangeError);
  });
});
