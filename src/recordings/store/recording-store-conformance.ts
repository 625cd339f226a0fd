/**
 * What every recording store does, run against each (files and the database on PGlite in
 * src/recordings/store/recording-store.test.ts; PostgreSQL in
 * test/integration/recording-store-postgres.test.ts).
 */
import { describe, expect, it } from "vitest";
import { FencedOut, type PartToKeep, type RecordingStore } from "./recording-store.ts";

export interface RecordingStoreSubject {
  store: RecordingStore;
  /** A Space the store may record (the database needs its row). */
  newSpace(): Promise<string>;
}

export function part(msn: number, index: number, extra: Partial<PartToKeep> = {}): PartToKeep {
  return {
    uri: `part-${msn}-${index}.m4s`,
    msn,
    index,
    duration: 0.5,
    startedAt: 1_800_000_000_000 + (msn * 4 + index) * 500,
    bytes: new Uint8Array([msn, index, 7, 7]),
    ...extra,
  };
}

const init = new Uint8Array([1, 2, 3]);

export function describeRecordingStore(
  name: string,
  subject: () => Promise<RecordingStoreSubject>,
): void {
  describe(`recording store: ${name}`, () => {
    it("keeps the init segment and every part in order, with their bytes", async () => {
      const { store, newSpace } = await subject();
      const id = await newSpace();
      expect(await store.parts(id)).toEqual([]);
      await store.begin(id, init, 1);
      for (const p of [part(0, 0), part(0, 1), part(1, 0)]) await store.keep(id, 1, p);
      const parts = await store.parts(id);
      expect(parts.map((p) => p.uri)).toEqual(["part-0-0.m4s", "part-0-1.m4s", "part-1-0.m4s"]);
      expect(parts[1]).toEqual({
        uri: "part-0-1.m4s",
        msn: 0,
        index: 1,
        duration: 0.5,
        startedAt: part(0, 1).startedAt,
      });
      expect(Buffer.from((await store.init(id)) ?? [])).toEqual(Buffer.from(init));
      expect(Buffer.from((await store.part(id, "part-1-0.m4s")) ?? [])).toEqual(
        Buffer.from([1, 0, 7, 7]),
      );
      expect(await store.part(id, "part-9-9.m4s")).toBeNull();
      expect(await store.part(id, "../init.mp4")).toBeNull();
    });

    it("a resumed recording keeps what came before and marks where it resumed", async () => {
      const { store, newSpace } = await subject();
      const id = await newSpace();
      await store.begin(id, init, 1);
      await store.keep(id, 1, part(0, 0));
      await store.begin(id, new Uint8Array([9]), 2);
      await store.keep(id, 2, part(1, 0, { discontinuity: true }));
      const parts = await store.parts(id);
      expect(parts.map((p) => [p.uri, p.discontinuity ?? false])).toEqual([
        ["part-0-0.m4s", false],
        ["part-1-0.m4s", true],
      ]);
      // The first init segment stays: the stream's parameters do not change.
      expect(Buffer.from((await store.init(id)) ?? [])).toEqual(Buffer.from(init));
    });

    it("deletes a recording", async () => {
      const { store, newSpace } = await subject();
      const id = await newSpace();
      await store.begin(id, init, 1);
      await store.keep(id, 1, part(0, 0));
      await store.delete(id);
      expect(await store.parts(id)).toEqual([]);
      expect(await store.init(id)).toBeNull();
    });
  });
}

/** Fencing: only stores shared by several media nodes (the database) promise it. */
export function describeRecordingFencing(
  name: string,
  subject: () => Promise<RecordingStoreSubject>,
  /** Another handle on the same store (another node of the fleet). */
  another?: () => Promise<RecordingStore>,
): void {
  describe(`recording store fencing: ${name}`, () => {
    it.runIf(another)("a node's index shows the parts other nodes kept since it read", async () => {
      const { store: reader, newSpace } = await subject();
      const writer = await (another as () => Promise<RecordingStore>)();
      const id = await newSpace();
      await writer.begin(id, init, 1);
      await writer.keep(id, 1, part(0, 0));
      expect(await reader.parts(id)).toHaveLength(1);
      await writer.keep(id, 1, part(0, 1));
      await writer.keep(id, 1, part(1, 0));
      expect((await reader.parts(id)).map((p) => p.uri)).toEqual([
        "part-0-0.m4s",
        "part-0-1.m4s",
        "part-1-0.m4s",
      ]);
      await reader.delete(id);
      expect(await reader.parts(id)).toEqual([]);
    });

    it("refuses a stale owner's parts once a newer owner began", async () => {
      const { store, newSpace } = await subject();
      const id = await newSpace();
      await store.begin(id, init, 4);
      await store.keep(id, 4, part(0, 0));
      await store.begin(id, init, 5);
      await expect(store.keep(id, 4, part(0, 1))).rejects.toBeInstanceOf(FencedOut);
      await expect(store.begin(id, init, 4)).rejects.toBeInstanceOf(FencedOut);
      await store.keep(id, 5, part(1, 0, { discontinuity: true }));
      expect((await store.parts(id)).map((p) => p.uri)).toEqual(["part-0-0.m4s", "part-1-0.m4s"]);
    });

    it("keeps a part once when the same write is retried", async () => {
      const { store, newSpace } = await subject();
      const id = await newSpace();
      await store.begin(id, init, 1);
      await store.keep(id, 1, part(0, 0));
      await store.keep(id, 1, part(0, 0));
      expect(await store.parts(id)).toHaveLength(1);
    });

    it("a takeover racing a stale owner's writes: every kept part is before it or refused", async () => {
      const { store, newSpace } = await subject();
      const id = await newSpace();
      await store.begin(id, init, 1);
      const stale = Array.from({ length: 20 }, (_, i) =>
        store.keep(id, 1, part(0, i)).then(
          () => "kept" as const,
          (error: unknown) => (error instanceof FencedOut ? ("fenced" as const) : error),
        ),
      );
      await store.begin(id, init, 2);
      const after = (await store.parts(id)).length;
      const outcomes = await Promise.all(stale);
      expect(outcomes.every((o) => o === "kept" || o === "fenced")).toBe(true);
      // Nothing the stale owner wrote landed after the new owner looked.
      expect(outcomes.filter((o) => o === "kept")).toHaveLength(after);
    });
  });
}
