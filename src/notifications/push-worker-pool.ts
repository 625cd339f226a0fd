import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";

const workerFile = new URL("./push-worker.mjs", import.meta.url);

/** One subscription to push to, with its VAPID `Authorization` header already signed. */
export interface PushTarget {
  endpoint: string;
  p256dh: string;
  auth: string;
  authorization: string;
}

/** What became of one push: the push service's status, or why no answer came. */
export type PushResult = { status: number } | { error: string };

export interface PushChunk {
  subs: readonly PushTarget[];
  payload: string;
  ttlSeconds: number;
  urgency: "normal" | "high";
  timeoutMs: number;
}

interface Job {
  id: number;
  chunk: PushChunk;
  resolve: (out: PushResult[]) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker | null;
  running: Map<number, Job>;
}

/** Workers by default: the cores left beside the event loop's, 1 to 4. */
export function defaultPushWorkers(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

/**
 * A small pool of worker threads that deliver Web Push messages (push-worker.mjs): each
 * message is a chunk of subscriptions that the worker encrypts and POSTs, answering every
 * request's status, so the event loop only posts one message per chunk. Chunks wait in one
 * queue; a worker runs up to `chunksPerWorker` at once, so it encrypts the next chunk while the
 * last one's requests are on the wire. Workers start with the first chunk and do not keep the
 * process alive; a worker that dies fails only its own chunks (the next chunk starts another).
 */
export class PushWorkerPool {
  private readonly slots: Slot[];
  private readonly queue: Job[] = [];
  private nextId = 1;

  constructor(
    size = defaultPushWorkers(),
    private readonly chunksPerWorker = 2,
  ) {
    this.slots = Array.from({ length: Math.max(1, size) }, () => ({
      worker: null,
      running: new Map(),
    }));
  }

  get size(): number {
    return this.slots.length;
  }

  deliver(chunk: PushChunk): Promise<PushResult[]> {
    if (chunk.subs.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, chunk, resolve, reject });
      this.pump();
    });
  }

  async close(): Promise<void> {
    const workers = this.slots.flatMap((s) => (s.worker ? [s.worker] : []));
    const closed = new Error("push workers closed");
    for (const slot of this.slots) {
      slot.worker = null;
      for (const job of slot.running.values()) job.reject(closed);
      slot.running.clear();
    }
    await Promise.all(workers.map((w) => w.terminate()));
  }

  private pump(): void {
    for (let round = 0; round < this.chunksPerWorker; round++) {
      for (const slot of this.slots) {
        if (slot.running.size > round) continue;
        const job = this.queue.shift();
        if (!job) return;
        slot.running.set(job.id, job);
        this.workerOf(slot).postMessage({ id: job.id, ...job.chunk });
      }
    }
  }

  private workerOf(slot: Slot): Worker {
    if (slot.worker) return slot.worker;
    const worker = new Worker(workerFile);
    worker.unref();
    worker.on("message", (message: { id: number; out: PushResult[] }) => {
      const job = slot.running.get(message.id);
      if (!job) return;
      slot.running.delete(message.id);
      job.resolve(message.out);
      this.pump();
    });
    const lost = (error: Error) => {
      if (slot.worker !== worker) return;
      slot.worker = null;
      const jobs = [...slot.running.values()];
      slot.running.clear();
      for (const job of jobs) job.reject(error);
      this.pump();
    };
    worker.on("error", lost);
    worker.on("exit", (code) => lost(new Error(`push worker exited (${code})`)));
    slot.worker = worker;
    return worker;
  }
}
