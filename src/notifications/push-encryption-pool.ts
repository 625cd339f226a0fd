import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";

const workerFile = new URL("./push-encrypt-worker.mjs", import.meta.url);

/** One subscription's request, encrypted: headers without VAPID, and the body. */
export type EncryptedPush =
  | { headers: Record<string, string>; body: Uint8Array<ArrayBuffer> }
  | { error: string };

export interface EncryptionInput {
  subs: readonly { endpoint: string; p256dh: string; auth: string }[];
  payload: string;
  ttlSeconds: number;
  urgency: "normal" | "high";
}

interface Job {
  id: number;
  input: EncryptionInput;
  resolve: (out: EncryptedPush[]) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker | null;
  current: Job | null;
}

/** Workers by default: the cores left beside the event loop's, 1 to 4. */
export function defaultEncryptionWorkers(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

/**
 * A small pool of worker threads that encrypt Web Push payloads (push-encrypt-worker.mjs), a
 * chunk of subscriptions per message so the messaging costs little next to the crypto. Jobs
 * wait in one queue; each worker takes the next when it is done. Workers start with the first
 * job, do not keep the process alive, and a worker that dies fails only its own chunk (the
 * next job starts a new one).
 */
export class PushEncryptionPool {
  private readonly slots: Slot[];
  private readonly queue: Job[] = [];
  private nextId = 1;

  constructor(size = defaultEncryptionWorkers()) {
    this.slots = Array.from({ length: Math.max(1, size) }, () => ({ worker: null, current: null }));
  }

  get size(): number {
    return this.slots.length;
  }

  encrypt(input: EncryptionInput): Promise<EncryptedPush[]> {
    if (input.subs.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, input, resolve, reject });
      this.pump();
    });
  }

  async close(): Promise<void> {
    const workers = this.slots.flatMap((s) => (s.worker ? [s.worker] : []));
    for (const slot of this.slots) slot.worker = null;
    await Promise.all(workers.map((w) => w.terminate()));
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.current) continue;
      const job = this.queue.shift();
      if (!job) return;
      slot.current = job;
      this.workerOf(slot).postMessage({ id: job.id, ...job.input });
    }
  }

  private workerOf(slot: Slot): Worker {
    if (slot.worker) return slot.worker;
    const worker = new Worker(workerFile);
    worker.unref();
    worker.on("message", (message: { id: number; out: EncryptedPush[] }) => {
      const job = slot.current;
      if (!job || job.id !== message.id) return;
      slot.current = null;
      job.resolve(message.out);
      this.pump();
    });
    const lost = (error: Error) => {
      if (slot.worker === worker) slot.worker = null;
      const job = slot.current;
      slot.current = null;
      job?.reject(error);
      this.pump();
    };
    worker.on("error", lost);
    worker.on("exit", (code) => lost(new Error(`push encryption worker exited (${code})`)));
    slot.worker = worker;
    return worker;
  }
}
