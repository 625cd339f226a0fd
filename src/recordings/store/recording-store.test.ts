import { appendFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore, type Store } from "../../store/database.ts";
import { FailingRecordingFiles } from "./failing-recording-files.ts";
import { FileRecordingStore, recordingDir } from "./file-recording-store.ts";
import { RecordingIndex } from "./recording-index.ts";
import {
  describeRecordingFencing,
  describeRecordingStore,
  part,
} from "./recording-store-conformance.ts";
import { SqlRecordingStore } from "./sql-recording-store.ts";
import { recordableSpace } from "./test-spaces.ts";

const dir = mkdtempSync(join(tmpdir(), "amphi-recordings-"));
let seq = 0;
let database: Promise<Store> | null = null;
// Opening PGlite takes seconds on a busy machine: once, before the tests' own timeouts run.
beforeAll(async () => {
  database ??= openStore({});
  await database;
}, 120_000);
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await (await database)?.close();
});

describeRecordingStore("files in DATA_DIR", async () => ({
  store: new FileRecordingStore(dir),
  newSpace: async () => `space-${++seq}`,
}));

const onPglite = async () => {
  database ??= openStore({});
  const store = await database;
  return { store: new SqlRecordingStore(store.db), newSpace: () => recordableSpace(store.db) };
};
describeRecordingStore("the database (PGlite)", onPglite);
describeRecordingFencing("the database (PGlite)", onPglite, async () => {
  database ??= openStore({});
  return new SqlRecordingStore((await database).db);
});

describe("recording store: files on a disk that fails", () => {
  it("a write cut short by a full disk tears a journal line that hides nothing after it", async () => {
    const files = new FailingRecordingFiles();
    const store = new FileRecordingStore(dir, { files });
    const id = `space-${++seq}`;
    await store.begin(id, new Uint8Array([1]), 1);
    await store.keep(id, 1, part(0, 0));
    files.fail = "ENOSPC";
    files.appendsOnly = true;
    await expect(store.keep(id, 1, part(0, 1))).rejects.toMatchObject({ code: "ENOSPC" });
    const journal = readFileSync(join(recordingDir(dir, id), "parts.jsonl"), "utf8");
    expect(journal.endsWith("\n")).toBe(false); // half a line reached the disk
    files.fail = null;
    await store.keep(id, 1, part(0, 1)); // the retry
    await store.keep(id, 1, part(0, 2));
    const uris = ["part-0-0.m4s", "part-0-1.m4s", "part-0-2.m4s"];
    expect((await store.parts(id)).map((p) => p.uri)).toEqual(uris);
    // A new process (a restart) reads the same journal the same way.
    expect((await new FileRecordingStore(dir).parts(id)).map((p) => p.uri)).toEqual(uris);
  });

  it("a torn last line left by a crash: the next append starts a line of its own", async () => {
    const id = `space-${++seq}`;
    const before = new FileRecordingStore(dir);
    await before.begin(id, new Uint8Array([1]), 1);
    await before.keep(id, 1, part(0, 0));
    const journal = join(recordingDir(dir, id), "parts.jsonl");
    appendFileSync(journal, '{"uri":"part-0-1.m4s","msn":0,"in');
    const after = new FileRecordingStore(dir);
    await after.begin(id, new Uint8Array([1]), 1);
    await after.keep(id, 1, part(1, 0, { discontinuity: true }));
    await after.keep(id, 1, part(1, 1));
    expect((await new FileRecordingStore(dir).parts(id)).map((p) => p.uri)).toEqual([
      "part-0-0.m4s",
      "part-1-0.m4s",
      "part-1-1.m4s",
    ]);
  });

  it("reads a journal once, then answers from memory and appends what it keeps", async () => {
    const files = new FailingRecordingFiles();
    const store = new FileRecordingStore(dir, { files });
    const id = `space-${++seq}`;
    await store.begin(id, new Uint8Array([1]), 1);
    for (let i = 0; i < 5; i++) await store.keep(id, 1, part(0, i));
    for (let i = 0; i < 10; i++) expect(await store.parts(id)).toHaveLength(5);
    await store.keep(id, 1, part(1, 0));
    expect((await store.parts(id)).at(-1)?.uri).toBe("part-1-0.m4s");
    expect(files.journalReads).toBe(1);
    await store.delete(id);
    expect(await store.parts(id)).toEqual([]);
  });
});

describe("RecordingIndex", () => {
  const entry = (msn: number) => ({ ...part(msn, 0), bytes: undefined });
  it("forgets the least recently used recordings past its budget", () => {
    const index = new RecordingIndex(5);
    index.set("a", [entry(0), entry(1)]);
    index.set("b", [entry(0), entry(1)]);
    index.get("a");
    index.set("c", [entry(0), entry(1)]);
    expect(index.get("b")).toBeUndefined();
    expect(index.get("a")).toHaveLength(2);
    index.append("a", entry(2));
    index.append("a", entry(2)); // a repeat is not appended
    expect(index.get("a")).toHaveLength(3);
    expect(index.size).toBeLessThanOrEqual(5);
  });
});
