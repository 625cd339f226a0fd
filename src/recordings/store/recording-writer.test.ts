import pino from "pino";
import { describe, expect, it } from "vitest";
import { FencedOut, type PartToKeep, type RecordingStore } from "./recording-store.ts";
import { part } from "./recording-store-conformance.ts";
import { RecordingWriter } from "./recording-writer.ts";

/** A store in memory that can be told to fail (a full disk, PostgreSQL restarting). */
class FlakyStore implements RecordingStore {
  readonly kind = "database";
  readonly kept: PartToKeep[] = [];
  down = false;
  newerOwner = false;
  begun = 0;
  async begin(): Promise<void> {
    if (this.down) throw new Error("connection refused");
    this.begun++;
  }
  async keep(spaceId: string, epoch: number, p: PartToKeep): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 2));
    if (this.newerOwner) throw new FencedOut(spaceId, epoch);
    if (this.down) throw new Error("connection refused");
    this.kept.push(p);
  }
  async parts() {
    return this.kept;
  }
  async init() {
    return null;
  }
  async part() {
    return null;
  }
  async delete() {}
}

function writer(
  store: RecordingStore,
  onFenced = () => {},
  extra: Partial<ConstructorParameters<typeof RecordingWriter>[0]> = {},
) {
  return new RecordingWriter({
    store,
    spaceId: "s",
    epoch: 1,
    init: new Uint8Array([1]),
    log: pino({ level: "silent" }),
    onFenced,
    patienceMs: 200,
    retryMs: [10, 40],
    ...extra,
  });
}

describe("RecordingWriter", () => {
  it("keeps parts in order and lets each go out once it is kept", async () => {
    const store = new FlakyStore();
    const w = writer(store);
    await Promise.all([w.write(part(0, 0)), w.write(part(0, 1)), w.write(part(0, 2))]);
    expect(store.kept.map((p) => p.uri)).toEqual(["part-0-0.m4s", "part-0-1.m4s", "part-0-2.m4s"]);
    expect(store.begun).toBe(1);
  });

  it("while the store fails, live audio does not wait, and the recording catches up in order", async () => {
    const store = new FlakyStore();
    store.down = true;
    const w = writer(store);
    const started = performance.now();
    await w.write(part(0, 0)); // waits its patience once: the store might only be slow
    for (let i = 1; i < 10; i++) await w.write(part(0, i)); // then at once: it is failing
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(w.failing).toBe(true);
    expect(store.kept).toHaveLength(0);
    store.down = false;
    await w.flush();
    expect(store.kept.map((p) => p.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(w.failing).toBe(false);
  });

  it("stops writing and says so when a newer owner took the recording", async () => {
    const store = new FlakyStore();
    let fenced = 0;
    const w = writer(store, () => fenced++);
    await w.write(part(0, 0));
    store.newerOwner = true;
    await w.write(part(0, 1));
    await w.flush();
    await w.write(part(0, 2));
    expect(fenced).toBe(1);
    expect(store.kept.map((p) => p.uri)).toEqual(["part-0-0.m4s"]);
  });

  it("says when the recording pauses and resumes, and counts each failed write", async () => {
    const store = new FlakyStore();
    store.down = true;
    const seen: string[] = [];
    let failures = 0;
    const w = writer(store, () => {}, {
      events: {
        writeFailed: () => failures++,
        paused: (since) => seen.push(`paused ${since instanceof Date}`),
        resumed: () => seen.push("resumed"),
      },
    });
    await w.write(part(0, 0));
    expect(w.pausedSince).toBeInstanceOf(Date);
    await new Promise((resolve) => setTimeout(resolve, 60));
    store.down = false;
    await w.flush();
    expect(seen).toEqual(["paused true", "resumed"]);
    expect(failures).toBeGreaterThanOrEqual(2); // retried with backoff
    expect(w.pausedSince).toBeNull();
    expect(store.kept).toHaveLength(1);
  });

  it("an outage longer than memory holds drops the oldest parts and marks the gap", async () => {
    const store = new FlakyStore();
    store.down = true;
    let dropped = 0;
    const w = writer(store, () => {}, {
      maxPending: 3,
      events: { dropped: (n) => (dropped += n) },
    });
    for (let i = 0; i < 8; i++) await w.write(part(0, i));
    store.down = false;
    await w.flush();
    expect(dropped).toBe(5);
    const kept = store.kept.map((p) => [p.index, p.discontinuity ?? false]);
    // The head was in flight (kept all the same); the part after the gap says so.
    expect(kept).toEqual([
      [0, false],
      [6, true],
      [7, false],
    ]);
  });

  it("gives the backlog up when a flush outlasts its timeout (a Space ends on a full disk)", async () => {
    const store = new FlakyStore();
    store.down = true;
    let dropped = 0;
    const w = writer(store, () => {}, { events: { dropped: (n) => (dropped += n) } });
    for (let i = 0; i < 3; i++) await w.write(part(0, i));
    expect(await w.flush(100)).toBe(false);
    expect(dropped).toBe(3);
    await w.write(part(0, 3)); // at once: nothing more is kept
    store.down = false;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(store.kept).toHaveLength(0);
  });
});
