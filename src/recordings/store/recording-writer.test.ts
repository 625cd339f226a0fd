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

function writer(store: RecordingStore, onFenced = () => {}) {
  return new RecordingWriter({
    store,
    spaceId: "s",
    epoch: 1,
    init: new Uint8Array([1]),
    log: pino({ level: "silent" }),
    onFenced,
    patienceMs: 200,
    retryMs: [10, 40],
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
});
