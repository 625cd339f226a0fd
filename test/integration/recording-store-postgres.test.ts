/** The database recording store on a real PostgreSQL server: the fleet's recordings. */
import { afterAll, beforeAll } from "vitest";
import {
  describeRecordingFencing,
  describeRecordingStore,
} from "../../src/recordings/store/recording-store-conformance.ts";
import { SqlRecordingStore } from "../../src/recordings/store/sql-recording-store.ts";
import { recordableSpace } from "../../src/recordings/store/test-spaces.ts";
import { openStore, type Store } from "../../src/store/database.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

let database: TestDatabase;
let store: Store;
beforeAll(async () => {
  database = await createTestDatabase();
  store = await openStore({ databaseUrl: database.url });
}, 60_000);
afterAll(async () => {
  await store?.close();
  await database?.drop();
});

const onPostgres = async () => ({
  store: new SqlRecordingStore(store.db),
  newSpace: () => recordableSpace(store.db),
});
describeRecordingStore("the database (PostgreSQL)", onPostgres);
describeRecordingFencing(
  "the database (PostgreSQL)",
  onPostgres,
  async () => new SqlRecordingStore(store.db),
);
