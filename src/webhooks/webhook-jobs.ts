/**
 * The part of the durable job queue (src/jobs/job-queue.ts) webhooks use: one job per
 * attempt of a message to an endpoint, enqueued again (with `startAfter`) after a failure.
 */
export interface WebhookJobQueue {
  send<T extends object>(
    name: string,
    data: T,
    options?: { startAfter?: Date; singletonKey?: string; retryLimit?: number },
  ): Promise<string | null>;
  work<T extends object>(
    name: string,
    options: { batchSize?: number; concurrency?: number; pollingIntervalSeconds?: number },
    handler: (jobs: { id: string; data: T }[]) => Promise<void>,
  ): Promise<void>;
}

export const deliverJobName = "webhook-deliver";

/** One attempt of one message to one endpoint. */
export interface DeliverJob {
  messageId: string;
  endpointId: string;
  /** 1 for the first try. */
  attempt: number;
}
