/**
 * A Web Push service on loopback for the golive benchmark, run in a worker thread
 * (push-service-worker.mjs) so that receiving the pushes does not load the server's event
 * loop. Every endpoint shares one subscription's keys.
 */
import { createECDH, randomBytes } from "node:crypto";
import { Worker } from "node:worker_threads";

export interface PushStats {
  /** Distinct endpoints that received a push. */
  received: number;
  /** Pushes to an endpoint that already had one. */
  repeats: number;
  /** Pushes without the headers RFC 8030/8291/8292 require. */
  malformed: number;
  /** Wall-clock ms (Date.now() scale) of the latest push, or null. */
  lastAt: number | null;
}

export interface PushService {
  /** Base of the endpoints: `${base}/${n}`. */
  base: string;
  /** A subscription's keys, valid P-256 and 16 random bytes, shared by every endpoint. */
  keys: { p256dh: string; auth: string };
  stats(): Promise<PushStats>;
  close(): Promise<void>;
}

export async function startPushService(): Promise<PushService> {
  const ecdh = createECDH("prime256v1");
  ecdh.generateKeys();
  const keys = {
    p256dh: ecdh.getPublicKey().toString("base64url"),
    auth: randomBytes(16).toString("base64url"),
  };
  const worker = new Worker(new URL("./push-service-worker.mjs", import.meta.url));
  const next = <T>(pick: (message: Record<string, unknown>) => T | undefined): Promise<T> =>
    new Promise((resolve, reject) => {
      const onMessage = (message: Record<string, unknown>) => {
        const value = pick(message);
        if (value === undefined) return;
        worker.off("message", onMessage);
        worker.off("error", reject);
        resolve(value);
      };
      worker.on("message", onMessage);
      worker.once("error", reject);
    });
  const port = await next((m) => m.port as number | undefined);
  return {
    base: `http://127.0.0.1:${port}/push`,
    keys,
    stats: () => {
      const answer = next((m) => m.stats as PushStats | undefined);
      worker.postMessage("stats");
      return answer;
    },
    close: async () => {
      const closed = next((m) => (m.closed ? true : undefined));
      worker.postMessage("close");
      await closed;
      await worker.terminate();
    },
  };
}
