import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { HlsFollowStats } from "../../src/loadtest/listener/hls-follower.ts";

/**
 * Simulated listeners in a child process of their own (listener-swarm-child.ts), so that a
 * test or benchmark can spread thousands of them over several processes: each process is
 * capped at 20,000 open files here, and one Node process uses one core at most.
 */
export type SwarmRequest =
  | { type: "add"; kind: "hls" | "icecast"; url: string; count: number; ratePerSecond: number }
  | { type: "status" }
  | { type: "window-start" }
  | { type: "window-end" }
  | { type: "stop" };

export type SwarmReply =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: string };

export interface WindowSummary {
  /** Listeners present when the window opened (the ones measured). */
  listeners: number;
  seconds: number;
  /** Per listener: media seconds (HLS) or bytes (Icecast) received per second of window. */
  rates: number[];
  /** Listeners started since the previous window that have not received media yet. */
  neverJoined: number;
  /** Start to first media, for listeners started since the previous window (ms). */
  join: { p50: number | null; p99: number | null };
  errors: number;
  /** p99 of this process's event-loop delay over the window (ms): high = generator-bound. */
  loopDelayP99Ms: number;
}

export interface ListenerSwarm {
  pid: number;
  /** Starts `count` more listeners at a steady rate; resolves when the last one started. */
  add(kind: "hls" | "icecast", url: string, count: number, ratePerSecond: number): Promise<void>;
  /** Listeners started, and how many of them have received media. */
  status(): Promise<{ listeners: number; joined: number }>;
  windowStart(): Promise<void>;
  windowEnd(): Promise<WindowSummary>;
  /** Stops every listener; the HLS listeners' own statistics. Then the process exits. */
  stop(): Promise<HlsFollowStats[]>;
  kill(): void;
}

const childScript = fileURLToPath(new URL("./listener-swarm-child.ts", import.meta.url));

export async function startListenerSwarm(): Promise<ListenerSwarm> {
  const child: ChildProcess = fork(childScript, [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  void exited.then(() => {
    for (const w of waiting.values()) w.reject(new Error("the listener process exited"));
    waiting.clear();
  });
  const ready = new Promise<void>((resolve, reject) => {
    waiting.set(0, { resolve: () => resolve(), reject });
  });
  child.on("message", (reply: SwarmReply) => {
    const w = waiting.get(reply.id);
    if (!w) return;
    waiting.delete(reply.id);
    if (reply.ok) w.resolve(reply.result);
    else w.reject(new Error(reply.error));
  });
  const call = <T>(request: SwarmRequest): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ id, request });
    });
  await ready;
  return {
    pid: child.pid ?? 0,
    add: async (kind, url, count, ratePerSecond) => {
      await call({ type: "add", kind, url, count, ratePerSecond });
    },
    status: () => call<{ listeners: number; joined: number }>({ type: "status" }),
    windowStart: async () => {
      await call({ type: "window-start" });
    },
    windowEnd: () => call<WindowSummary>({ type: "window-end" }),
    stop: async () => {
      const { finals } = await call<{ finals: HlsFollowStats[] }>({ type: "stop" });
      child.disconnect();
      await exited;
      return finals;
    },
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
  };
}
