/**
 * The durable job queue of the control plane: work that must happen even if the node that
 * asked for it dies (notifications, reminders, webhook deliveries). It lives in the database
 * Amphi already has, so it needs nothing else to run, and any node of a fleet may work a job.
 */
export interface JobQueue {
  /**
   * Enqueues one job; answers its id. A job with the `singletonKey` of one already enqueued
   * (waiting, running or done, for the retention period) is not enqueued again and answers
   * null: that is how a repeated request, or a retried fan-out, stays one job.
   */
  send<T extends object>(name: string, data: T, options?: JobOptions): Promise<string | null>;
  /** Enqueues many jobs in one statement (fan-out batches). */
  sendMany<T extends object>(name: string, jobs: QueuedJobInsert<T>[]): Promise<void>;
  /**
   * Works the named queue on this node: up to `batchSize` jobs at a time, `concurrency`
   * batches at once. A handler that throws fails the whole batch, which is retried as the
   * jobs' retry options say; handlers must therefore be idempotent.
   */
  work<T extends object>(
    name: string,
    options: WorkOptions,
    handler: (jobs: QueuedJob<T>[]) => Promise<void>,
  ): Promise<void>;
  /** Counts of a queue's jobs by state, for tests, benchmarks and metrics. */
  counts(name: string): Promise<QueueCounts>;
  /** Stops fetching, waits (bounded) for the handlers under way. Idempotent. */
  stop(): Promise<void>;
}

export interface JobOptions {
  /** Not before this time (reminders, backoff, spreading a fan-out). */
  startAfter?: Date;
  /** Enqueued once per key and queue (see `send`). */
  singletonKey?: string;
  /** Retries after the first attempt (default 2). */
  retryLimit?: number;
  retryDelaySeconds?: number;
  /** Doubles the delay at each retry, with jitter. */
  retryBackoff?: boolean;
}

export interface QueuedJobInsert<T> extends JobOptions {
  data: T;
}

export interface QueuedJob<T> {
  id: string;
  data: T;
}

export interface WorkOptions {
  batchSize?: number;
  /** Batches this node works at once (default 1). */
  concurrency?: number;
  /** How often an idle worker looks for new jobs (default 1 s; at least 0.5 s). */
  pollingIntervalSeconds?: number;
}

export interface QueueCounts {
  waiting: number;
  active: number;
  completed: number;
  failed: number;
}
