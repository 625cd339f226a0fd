// The embedded database (PGlite) in a thread of its own. PGlite runs each statement
// synchronously, in WebAssembly, on the thread that calls it: on the event loop's thread, a
// go-live's fan-out (a million inbox rows) kept the server from reading its sockets for tens
// of milliseconds at a time. Here the statements run beside the event loop, on the other core,
// and the event loop only posts them and reads their results (pglite-thread.ts). Plain
// JavaScript, so it runs under any loader (tsx, vitest).
import { parentPort, workerData } from "node:worker_threads";
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

let db;
try {
  db = workerData.dataDir ? new PGlite(workerData.dataDir) : new PGlite();
  await db.waitReady;
  parentPort.postMessage({ ready: true });
} catch (error) {
  parentPort.postMessage({ ready: false, error: describe(error) });
}

parentPort.on("message", async ({ id, op, sql, params }) => {
  try {
    let result;
    if (op === "query") {
      const { rows, affectedRows } = await db.query(sql, params);
      result = { rows, affectedRows };
    } else if (op === "exec") {
      result = (await db.exec(sql)).map(({ rows, affectedRows }) => ({ rows, affectedRows }));
    } else if (op === "close") {
      await db.close();
      result = null;
    } else {
      throw new Error(`unknown operation ${op}`);
    }
    parentPort.postMessage({ id, result });
  } catch (error) {
    parentPort.postMessage({ id, error: describe(error) });
  }
});
