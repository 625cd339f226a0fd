import { Worker } from "node:worker_threads";

const workerFile = new URL("./pglite-worker.mjs", import.meta.url);

export interface QueryResults {
  rows: Record<string, unknown>[];
  affectedRows?: number;
}

interface Pending {
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
}

/**
 * The embedded database, PGlite, running in a worker thread (pglite-worker.mjs): statements
 * are posted to it and their rows come back by structured clone (Dates, JSON values, bytes and
 * bigints as PGlite parsed them), so the event loop never runs SQL. It offers what kysely's
 * PGlite dialect calls (`query`, `close`) and `exec` for the job queue's multi-statement
 * blocks. A failed statement rejects with an Error carrying PGlite's fields (`code`,
 * `constraint`...); if the thread dies, every statement under way and every later one fails
 * (the process and its live audio go on).
 */
export class PGliteThread {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private stopped: Error | null = null;

  private constructor(private readonly worker: Worker) {
    // Like PGlite in the process, the thread keeps the process alive only while it works.
    worker.unref();
    worker.on("message", (message: { id?: number; result?: unknown; error?: ErrorFields }) => {
      if (message.id === undefined) return;
      const waiting = this.pending.get(message.id);
      if (!waiting) return;
      this.pending.delete(message.id);
      if (this.pending.size === 0) this.worker.unref();
      if (message.error) waiting.reject(toError(message.error));
      else waiting.resolve(message.result);
    });
    const stop = (error: Error) => {
      this.stopped ??= error;
      for (const waiting of this.pending.values()) waiting.reject(this.stopped);
      this.pending.clear();
    };
    worker.on("error", (error) =>
      stop(new Error("The embedded database stopped.", { cause: error })),
    );
    worker.on("exit", (code) => stop(new Error(`The embedded database stopped (exit ${code}).`)));
  }

  /** Opens the database in `dataDir` (or in memory) in a new thread, once it is ready. */
  static async open(dataDir?: string): Promise<PGliteThread> {
    const worker = new Worker(workerFile, { workerData: { dataDir } });
    const ready = await new Promise<{ ready: boolean; error?: ErrorFields }>((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
      worker.once("exit", (code) => reject(new Error(`The embedded database exited (${code}).`)));
    });
    if (!ready.ready) {
      await worker.terminate();
      throw toError(ready.error ?? { message: "The embedded database did not start." });
    }
    return new PGliteThread(worker);
  }

  query(sql: string, params: readonly unknown[] = []): Promise<QueryResults> {
    return this.post("query", sql, params) as Promise<QueryResults>;
  }

  /** Several statements without parameters (PGlite's simple protocol): one result each. */
  exec(sql: string): Promise<QueryResults[]> {
    return this.post("exec", sql, []) as Promise<QueryResults[]>;
  }

  /** Closes the database (its files flushed), then the thread. */
  async close(): Promise<void> {
    if (!this.stopped) {
      try {
        await this.post("close", "", []);
      } finally {
        await this.worker.terminate();
      }
    }
  }

  private post(op: string, sql: string, params: readonly unknown[]): Promise<unknown> {
    if (this.stopped) return Promise.reject(this.stopped);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, op, sql, params });
    });
  }
}

interface ErrorFields {
  message: string;
  name?: string;
  [field: string]: unknown;
}

/** An Error as PGlite threw it in the thread: its message and its fields (`code`...). */
function toError(fields: ErrorFields): Error {
  const error = new Error(fields.message);
  for (const [key, value] of Object.entries(fields)) {
    if (key !== "message" && key !== "stack")
      (error as unknown as Record<string, unknown>)[key] = value;
  }
  return error;
}
