/**
 * The durable job queue as notifications use it (src/jobs/job-queue.ts: pg-boss on
 * PostgreSQL and on embedded PGlite).
 */
export interface JobQueue {
  send<T>(
    name: string,
    data: T,
    options?: {
      startAfter?: Date;
      singletonKey?: string;
      retryLimit?: number;
      retryDelaySeconds?: number;
      retryBackoff?: boolean;
    },
  ): Promise<string | null>;
  sendMany<T>(
    name: string,
    jobs: { data: T; startAfter?: Date; singletonKey?: string }[],
  ): Promise<void>;
  work<T>(
    name: string,
    options: { batchSize?: number; concurrency?: number },
    handler: (jobs: { id: string; data: T }[]) => Promise<void>,
  ): Promise<void>;
  stop(): Promise<void>;
}
