import { Redis } from "ioredis";

export interface RedisConnectionOptions {
  url: string;
  /** Most time one command may take before the caller falls back to its local answer. */
  commandTimeoutMs?: number;
  onError?: (error: unknown) => void;
}

/**
 * A Redis client tuned for a path that must never wait on a dead dependency: commands fail at
 * once while disconnected (no offline queue) or after `commandTimeoutMs`, so every caller can
 * fall back to a local answer; the client keeps reconnecting in the background.
 * (No auto-pipelining: it breaks rate-limiter-flexible's MULTI replies in ioredis 5.)
 */
export function connectRedis(options: RedisConnectionOptions): Redis {
  const client = new Redis(options.url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeoutMs ?? 1_000,
    connectTimeout: 2_000,
    // Keep trying, at most every second: Redis coming back must be noticed quickly.
    retryStrategy: (times) => Math.min(50 * times, 1_000),
    lazyConnect: false,
  });
  // ioredis reports every failed reconnect; one line per outage is enough.
  let reported = false;
  client.on("error", (error) => {
    if (reported) return;
    reported = true;
    options.onError?.(error);
  });
  client.on("ready", () => {
    reported = false;
  });
  return client;
}

/** Resolves once the client is ready, or after `timeoutMs` (a node starts degraded then). */
export function whenReady(client: Redis, timeoutMs: number): Promise<boolean> {
  if (client.status === "ready") return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      client.off("ready", onReady);
      resolve(false);
    }, timeoutMs);
    timer.unref();
    const onReady = () => {
      clearTimeout(timer);
      resolve(true);
    };
    client.once("ready", onReady);
  });
}
