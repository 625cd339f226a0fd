/**
 * One simulated client's connections, as a browser keeps them: per origin, up to
 * `connectionsPerOrigin` keep-alive HTTP/1.1 connections (`LeanHttp1Dispatcher`), opened when
 * every open one is busy, all from the client's own source address. A listener's blocking
 * playlist reload does not hold up its heartbeat or its part fetch, as in a browser.
 *
 * It replaces undici's `Agent` in `amphi loadtest` for its CPU: thousands of simulated
 * clients share one process with the servers under test on small machines, and the
 * generator's own cost per request decides how much of the machine is left to measure.
 */
import { Dispatcher } from "undici";
import { LeanHttp1Dispatcher, refuse } from "./lean-http1-dispatcher.ts";

export interface LeanAgentOptions {
  /** Source address of every connection (one loopback address per simulated client). */
  localAddress?: string | undefined;
  /** Connections per origin at most; more requests queue on the least busy (6, as browsers). */
  connectionsPerOrigin?: number;
  /** An answer silent this long fails (30 s). */
  timeoutMs?: number;
}

export class LeanAgent extends Dispatcher {
  readonly #pools = new Map<string, LeanHttp1Dispatcher[]>();
  readonly #options: LeanAgentOptions;
  #closed = false;

  constructor(options: LeanAgentOptions = {}) {
    super();
    this.#options = options;
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler) {
    if (this.#closed) return refuse(handler, "the agent is closed");
    if (!options.origin) return refuse(handler, "a request needs an origin");
    return this.#connectionFor(String(options.origin)).dispatch(options, handler);
  }

  #connectionFor(origin: string): LeanHttp1Dispatcher {
    const key = new URL(origin).origin;
    let pool = this.#pools.get(key);
    if (!pool) {
      pool = [];
      this.#pools.set(key, pool);
    }
    let best: LeanHttp1Dispatcher | undefined;
    for (const connection of pool) {
      if (connection.load === 0) return connection;
      if (!best || connection.load < best.load) best = connection;
    }
    if (!best || pool.length < (this.#options.connectionsPerOrigin ?? 6)) {
      const opened = new LeanHttp1Dispatcher(key, {
        ...(this.#options.timeoutMs ? { timeoutMs: this.#options.timeoutMs } : {}),
        ...(this.#options.localAddress ? { localAddress: this.#options.localAddress } : {}),
      });
      pool.push(opened);
      return opened;
    }
    return best;
  }

  #all(): LeanHttp1Dispatcher[] {
    return [...this.#pools.values()].flat();
  }

  // biome-ignore lint/suspicious/noExplicitAny: undici's overloads (callback or promise)
  override close(callback?: () => void): any {
    this.#closed = true;
    const done = Promise.all(this.#all().map((c) => c.close())).then(() => {});
    if (callback) void done.then(callback);
    else return done;
  }

  // biome-ignore lint/suspicious/noExplicitAny: undici's overloads (callback or promise)
  override destroy(...args: unknown[]): any {
    const callback = args.find((a): a is () => void => typeof a === "function");
    const error = args.find((a): a is Error => a instanceof Error);
    this.#closed = true;
    const done = Promise.all(this.#all().map((c) => c.destroy(error))).then(() => {});
    if (callback) void done.then(callback);
    else return done;
  }
}
