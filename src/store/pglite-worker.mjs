// The embedded databases (PGlite) in a thread of their own. PGlite runs each statement
// synchronously, in WebAssembly, on the thread that calls it: on the event loop's thread, a
// go-live's fan-out (a million inbox rows) kept the server from reading its sockets for tens
// of milliseconds at a time. Here the statements run beside the event loop, on another core,
// and the event loop only posts them and reads their results (pglite-thread.ts). One thread
// serves every embedded database the process opens (a server has one; a test process opens
// many, and each new thread would load and compile PGlite again). Plain JavaScript, so it
// runs under any loader (tsx, vitest).
import { parentPort } from "node:worker_threads";
import { PGlite } from "@electric-sql/pglite";

/** What a failed statement says: PGlite's DatabaseError fields (code, detail, constraint...). */
function describe(error) {
  if (!(error instanceof Error)) return { message: String(error) };
  const fields = {};
  for (const [key, value] of Object.entries(error)) {
    if (value === undefined || typeof value === "function") continue;
    if (typeof value === "object" && value !== null) continue;
    fields[key] = value;
  }
  return { ...fields, name: error.name, message: error.message };
}

/** Open databases by the number the main thread gave them. */
const databases = new Map();

function database(n) {
  const db = databases.get(n);
  if (!db) throw new Error("The embedded database is closed.");
  return db;
}

async function run(op, n, sql, params, dataDir) {
  if (op === "query") {
    const { rows, affectedRows } = await database(n).query(sql, params);
    return { rows, affectedRows };
  }
  if (op === "exec") {
    const results = await database(n).exec(sql);
    return results.map(({ rows, affectedRows }) => ({ rows, affectedRows }));
  }
  if (op === "open") {
    const db = dataDir ? new PGlite(dataDir) : new PGlite();
    await db.waitReady;
    databases.set(n, db);
    return null;
  }
  if (op === "close") {
    const db = databases.get(n);
    databases.delete(n);
    await db?.close();
    return null;
  }
  throw new Error(`unknown operation ${op}`);
}

parentPort.on("message", async ({ id, op, db, sql, params, dataDir }) => {
  try {
    parentPort.postMessage({ id, result: await run(op, db, sql, params, dataDir) });
  } catch (error) {
    parentPort.postMessage({ id, error: describe(error) });
  }
});
