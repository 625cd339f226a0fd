import { describe, expect, it } from "vitest";
import { ReadersInFlight } from "./readers-in-flight.ts";

describe("ReadersInFlight", () => {
  it("a deletion waits for the downloads under way, then goes on", async () => {
    const readers = new ReadersInFlight();
    const first = readers.enter("s");
    const second = readers.enter("s");
    let drained = false;
    const waiting = readers.drained("s", 10_000).then(() => (drained = true));
    first();
    first(); // leaving twice counts once
    await new Promise((r) => setTimeout(r, 10));
    expect(drained).toBe(false);
    expect(readers.count("s")).toBe(1);
    second();
    await waiting;
    expect(drained).toBe(true);
    expect(readers.count("s")).toBe(0);
  });

  it("does not wait for nobody, and stops waiting for a stalled reader at the limit", async () => {
    const readers = new ReadersInFlight();
    await readers.drained("none", 10_000);
    readers.enter("s");
    const started = Date.now();
    await readers.drained("s", 50);
    expect(Date.now() - started).toBeGreaterThanOrEqual(40);
  });
});
