import { Worker } from "node:worker_threads";

const workerFile = new URL("./pglite-worker.mjs", import.meta.url);

export interface QueryResults {
  rows: Record<string, unknown>[];
  affectedRows?: number;
}

interface ErrorFields {
  message: string;
  name?: string;
  [field: string]: unknown;
}

interface Pending {
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
}

/**
 * The worker thread that runs the process's embedded databases (pglite-worker.mjs). Requests
 * are posted to it and answered by structured clone (PGlite's Dates, JSON values, bytes and
 * bigints as PGlite parsed them). Like PGlite in the process, it keeps the process alive only
 * while a request is under way. If it dies, every request under way fails, and so does every
 * later one on the databases it held; the next database opened starts a new thread.
 */
class DatabaseThread {
  private readonly worker = new Worker(workerFile);
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private nextDatabase = 1;
  stopped: Error | null = null;

  constructor() {
    this.worker.unref();
    this.worker.on("message", (message: { id: number; result?: unknown; error?: ErrorFields }) => {
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
    this.worker.on("error", (error) =>
      stop(new Error("The embedded database stopped.", { cause: error })),
    );
    this.worker.on("exit", (code) =>
      stop(new Error(`The embedded database stopped (exit ${code}).`)),
    );
  }

  newDatabase(): number {
    return this.nextDatabase++;
  }

  request(message: {
    op: string;
    db: number;
    sql?: string;
    params?: readonly unknown[];
    dataDir?: string | undefined;
  }): Promise<unknown> {
    if (this.stopped) return Promise.reject(this.stopped);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, ...message });
    });
  }
}

let shared: DatabaseThread | null = null;

/**
 * One embedded database, PGlite, run by the process's database thread, so the event loop
 * never runs SQL. It offers what kysely's PGlite dialect calls (`query`, `close`) and `exec`
 * for the job queue's multi-statement blocks. A failed statement rejects with an Error
 * carrying PGlite's fields (`code`, `constraint`...), as PGlite itself throws.
 */
export class PGliteThread {
  private closing: Promise<void> | null = null;

  private constructor(
    private readonly thread: DatabaseThread,
    private readonly db: number,
  ) {}

  /** Opens the database in `dataDir` (or in memory), once it is ready. */
  static async open(dataDir?: string): Promise<PGliteThread> {
    if (!shared || shared.stopped) shared = new DatabaseThread();
    const thread = shared;
    const db = thread.newDatabase();
    await thread.request({ op: "open", db, dataDir });
    return new PGliteThread(thread, db);
  }

  query(sql: string, params: readonly unknown[] = []): Promise<QueryResults> {
    return this.thread.request({ op: "query", db: this.db, sql, params }) as Promise<QueryResults>;
  }

  /** Several statements without parameters (PGlite's simple protocol): one result each. */
  exec(sql: string): Promise<QueryResults[]> {
    return this.thread.request({ op: "exec", db: this.db, sql }) as Promise<QueryResults[]>;
  }

  /** Closes the database, its files flushed. */
  close(): Promise<void> {
    this.closing ??= this.thread.request({ op: "close", db: this.db }).then(() => {});
    return this.closing;
  }
}

/** An Error as PGlite threw it in the thread: its message and its fields (`code`...). */
function toError(fields: ErrorFields): Error {
  const error = new Error(fields.message);
  for (const [key, value] of Object.entries(fields)) {
    if (key !== "message" && key !== "stack") {
      (error as unknown as Record<string, unknown>)[key] = value;
    }
  }
  return error;
}
