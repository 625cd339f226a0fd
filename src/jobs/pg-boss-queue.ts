import { createHash } from "node:crypto";
import PgBoss from "pg-boss";
import type { Logger } from "pino";
import type { Store } from "../store/database.ts";
import type {
  JobOptions,
  JobQueue,
  QueueCounts,
  QueuedJob,
  QueuedJobInsert,
  WorkOptions,
} from "./job-queue.ts";
import { pgliteExecutor } from "./pglite-executor.ts";

export interface JobQueueSettings {
  /** postgres://... when the store is a PostgreSQL server: pg-boss gets a small pool of its own. */
  databaseUrl?: string | undefined;
  /** The schema that holds the queue's tables (default "pgboss"). */
  schema?: string;
  /** Whether this node runs the queue's maintenance (archive, expire): one node is enough. */
  maintenance?: boolean;
}

/** Seconds a stop waits for handlers under way before it gives up on them (they retry elsewhere). */
const stopTimeoutSeconds = 10;

/**
 * The job queue on pg-boss, in the database Amphi already uses: PostgreSQL through its own
 * pool, or the embedded PGlite through kysely's single connection (see pglite-executor.ts).
 * pg-boss brings what a queue must get right (SKIP LOCKED fetches, retries with backoff,
 * singleton keys, expiry of jobs whose worker died, archiving) and keeps its own schema.
 */
export async function openJobQueue(
  store: Store,
  settings: JobQueueSettings,
  log: Logger,
): Promise<JobQueue> {
  const common = {
    schema: settings.schema ?? "pgboss",
    supervise: settings.maintenance ?? true,
    schedule: false,
    migrate: true,
    // A job whose worker died is retried after this long.
    expireInSeconds: 60,
    retentionDays: 7,
    deleteAfterDays: 7,
  } satisfies PgBoss.ConstructorOptions;
  let boss: PgBoss;
  // Known once started; the PGlite executor asks it whether the queue is stopping.
  let queue: PgBossQueue | undefined;
  if (store.kind === "postgres") {
    if (!settings.databaseUrl) throw new Error("The job queue needs DATABASE_URL on PostgreSQL.");
    boss = new PgBoss({ ...common, connectionString: settings.databaseUrl, max: 4 });
  } else {
    if (!store.pglite) throw new Error("The embedded store has no PGlite handle.");
    boss = new PgBoss({
      ...common,
      db: pgliteExecutor(store.db, store.pglite, () => queue?.stopping ?? false),
    });
  }
  // pg-boss reports a failed poll or maintenance run here; it keeps going by itself.
  boss.on("error", (err) => log.warn({ err }, "job queue error"));
  await boss.start();
  queue = new PgBossQueue(boss, common.schema);
  return queue;
}

class PgBossQueue implements JobQueue {
  readonly #boss: PgBoss;
  readonly #schema: string;
  readonly #queues = new Map<string, Promise<void>>();
  #creating: Promise<void> = Promise.resolve();
  #stopping: Promise<void> | undefined;

  constructor(boss: PgBoss, schema: string) {
    this.#boss = boss;
    this.#schema = schema;
  }

  /** stop() has begun. */
  get stopping(): boolean {
    return this.#stopping !== undefined;
  }

  async send<T extends object>(
    name: string,
    data: T,
    options: JobOptions = {},
  ): Promise<string | null> {
    await this.#ensureQueue(name);
    return this.#boss.send(name, data, toSendOptions(name, options));
  }

  async sendMany<T extends object>(name: string, jobs: QueuedJobInsert<T>[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.#ensureQueue(name);
    await this.#boss.insert(
      jobs.map(({ data, startAfter, singletonKey, ...retry }) => ({
        name,
        data,
        ...(startAfter ? { startAfter } : {}),
        ...(singletonKey ? { id: keyedJobId(name, singletonKey), singletonKey } : {}),
        retryLimit: retry.retryLimit ?? 2,
        ...(retry.retryDelaySeconds !== undefined ? { retryDelay: retry.retryDelaySeconds } : {}),
        ...(retry.retryBackoff !== undefined ? { retryBackoff: retry.retryBackoff } : {}),
      })),
    );
  }

  async work<T extends object>(
    name: string,
    options: WorkOptions,
    handler: (jobs: QueuedJob<T>[]) => Promise<void>,
  ): Promise<void> {
    await this.#ensureQueue(name);
    const workOptions = {
      batchSize: options.batchSize ?? 1,
      pollingIntervalSeconds: Math.max(0.5, options.pollingIntervalSeconds ?? 1),
    };
    for (let i = 0; i < Math.max(1, options.concurrency ?? 1); i++) {
      await this.#boss.work<T>(name, workOptions, async (jobs) => {
        await handler(jobs.map((job) => ({ id: job.id, data: job.data })));
      });
    }
  }

  async counts(name: string): Promise<QueueCounts> {
    const { rows } = (await this.#boss
      .getDb()
      .executeSql(
        `SELECT state, count(*)::int AS n FROM ${this.#schema}.job WHERE name = $1 GROUP BY state`,
        [name],
      )) as { rows: { state: string; n: number }[] };
    const n = (...states: string[]) =>
      rows.filter((r) => states.includes(r.state)).reduce((sum, r) => sum + Number(r.n), 0);
    return {
      waiting: n("created", "retry"),
      active: n("active"),
      completed: n("completed"),
      failed: n("failed", "cancelled"),
    };
  }

  stop(): Promise<void> {
    this.#stopping ??= this.#boss.stop({
      graceful: true,
      wait: true,
      timeout: stopTimeoutSeconds * 1000,
    });
    return this.#stopping;
  }

  #ensureQueue(name: string): Promise<void> {
    let ready = this.#queues.get(name);
    if (!ready) {
      // One creation at a time: pg-boss creates a partition per queue, and two creations at
      // once deadlock on PostgreSQL (seen at start-up, when workers and sends race). Another
      // node may still race us: a failed creation is tried again a few times.
      ready = this.#creating = this.#creating
        .catch(() => {})
        .then(() => createWithRetries(this.#boss, name));
      ready.catch(() => this.#queues.delete(name));
      this.#queues.set(name, ready);
    }
    return ready;
  }
}

async function createWithRetries(boss: PgBoss, name: string, attempts = 5): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await boss.createQueue(name);
      return;
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt + Math.random() * 100));
    }
  }
}

/**
 * The id of the job a singleton key names: the same key always gives the same id, and pg-boss
 * inserts a job whose id exists as nothing. So a key is enqueued once, whatever state its job
 * is in, until the job is archived (completed jobs are kept `retentionDays`).
 */
export function keyedJobId(name: string, key: string): string {
  const hex = createHash("sha1").update(`${name}\u0000${key}`).digest("hex");
  // Shaped as a version-5 UUID (name-based, SHA-1), as the job id column requires.
  const variant = ((Number.parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}

function toSendOptions(name: string, options: JobOptions): PgBoss.SendOptions {
  return {
    ...(options.startAfter ? { startAfter: options.startAfter } : {}),
    ...(options.singletonKey
      ? { id: keyedJobId(name, options.singletonKey), singletonKey: options.singletonKey }
      : {}),
    retryLimit: options.retryLimit ?? 2,
    ...(options.retryDelaySeconds !== undefined ? { retryDelay: options.retryDelaySeconds } : {}),
    ...(options.retryBackoff !== undefined ? { retryBackoff: options.retryBackoff } : {}),
  };
}
