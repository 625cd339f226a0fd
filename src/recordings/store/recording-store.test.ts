import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { openStore, type Store } from "../../store/database.ts";
import { FileRecordingStore } from "./file-recording-store.ts";
import { describeRecordingFencing, describeRecordingStore } from "./recording-store-conformance.ts";
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
describeRecordingFencing("the database (PGlite)", onPglite);
