/**
 * A child process holding many simulated listeners (see listener-swarm.ts, which forks it):
 * LL-HLS followers (`followHls` over a lean one-connection dispatcher each) or Icecast
 * listeners (one plain HTTP stream each). The parent drives it over IPC: add listeners at a
 * steady rate, open and close a measuring window, stop.
 */
import { setMaxListeners } from "node:events";
import { connect, type Socket } from "node:net";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { followHls, type HlsFollowStats } from "../../src/loadtest/listener/hls-follower.ts";
import { LeanHttp1Dispatcher } from "../../src/loadtest/listener/lean-http1-dispatcher.ts";
import type { SwarmReply, SwarmRequest, WindowSummary } from "./listener-swarm.ts";

interface Listener {
  startedAt: number;
  /** Cumulative media received: seconds (HLS) or bytes (Icecast). */
  received: number;
  firstMediaAt: number | undefined;
  errors: number;
  final: Promise<HlsFollowStats | null>;
}

const stop = new AbortController();
setMaxListeners(0, stop.signal);
const listeners: Listener[] = [];
let windowStart: { at: number; received: number[]; errors: number } | undefined;
let joinedReported = 0;
// How late this process's event loop runs: when it is late, the generator is the bottleneck.
const loopDelay = monitorEventLoopDelay({ resolution: 20 });
loopDelay.enable();

function startHls(playlistUrl: string): Listener {
  const listener: Listener = {
    startedAt: performance.now(),
    received: 0,
    firstMediaAt: undefined,
    errors: 0,
    final: Promise.resolve(null),
  };
  const origin = new URL(playlistUrl).origin;
  listener.final = followHls({
    playlistUrl,
    dispatcher: new LeanHttp1Dispatcher(origin),
    signal: stop.signal,
    onPart: (p) => {
      listener.firstMediaAt ??= performance.now();
      listener.received += p.duration;
    },
  }).then((stats) => {
    listener.errors = stats.errors;
    return stats;
  });
  return listener;
}

/** An Icecast listener: GET the mount over HTTP/1.0, count body bytes; reconnect on loss. */
function startIcecast(streamUrl: string): Listener {
  const url = new URL(streamUrl);
  const listener: Listener = {
    startedAt: performance.now(),
    received: 0,
    firstMediaAt: undefined,
    errors: 0,
    final: Promise.resolve(null),
  };
  let failures = 0;
  const open = () => {
    if (stop.signal.aborted) return;
    let head = true;
    let pending = Buffer.alloc(0);
    const socket: Socket = connect({ host: url.hostname, port: Number(url.port) });
    const onAbort = () => socket.destroy();
    stop.signal.addEventListener("abort", onAbort, { once: true });
    socket.write(
      `GET ${url.pathname} HTTP/1.0\r\nHost: ${url.host}\r\nUser-Agent: amphi-bench\r\n\r\n`,
    );
    socket.on("data", (chunk: Buffer) => {
      if (head) {
        pending = Buffer.concat([pending, chunk]);
        const end = pending.indexOf("\r\n\r\n");
        if (end < 0) return;
        if (!/^HTTP\/1\.[01] 200/.test(pending.toString("latin1", 0, 16))) {
          socket.destroy(new Error("refused"));
          return;
        }
        head = false;
        chunk = pending.subarray(end + 4);
      }
      if (chunk.length === 0) return;
      failures = 0;
      listener.firstMediaAt ??= performance.now();
      listener.received += chunk.length;
    });
    socket.on("error", () => {});
    socket.on("close", () => {
      stop.signal.removeEventListener("abort", onAbort);
      if (stop.signal.aborted) return;
      listener.errors++;
      failures++;
      setTimeout(open, Math.min(250 * 2 ** (failures - 1), 4000) * (0.75 + Math.random() / 2));
    });
  };
  open();
  return listener;
}

function quantiles(values: number[]): { p50: number | null; p99: number | null } {
  if (values.length === 0) return { p50: null, p99: null };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0;
  return { p50: at(0.5), p99: at(0.99) };
}

async function handle(request: SwarmRequest): Promise<unknown> {
  switch (request.type) {
    case "add": {
      const started = performance.now();
      for (let i = 0; i < request.count && !stop.signal.aborted; i++) {
        // A steady ramp: listener i starts at i / rate seconds.
        const wait = started + (i * 1000) / request.ratePerSecond - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        listeners.push(request.kind === "hls" ? startHls(request.url) : startIcecast(request.url));
      }
      return { listeners: listeners.length };
    }
    case "status":
      return {
        listeners: listeners.length,
        joined: listeners.filter((l) => l.firstMediaAt !== undefined).length,
      };
    case "window-start":
      loopDelay.reset();
      windowStart = {
        at: performance.now(),
        received: listeners.map((l) => l.received),
        errors: listeners.reduce((sum, l) => sum + l.errors, 0),
      };
      return {};
    case "window-end": {
      const start = windowStart;
      if (!start) throw new Error("window-end without window-start");
      const seconds = (performance.now() - start.at) / 1000;
      const measured = listeners.slice(0, start.received.length);
      const rates = measured.map((l, i) => (l.received - (start.received[i] ?? 0)) / seconds);
      const joined = listeners.slice(joinedReported);
      joinedReported = listeners.length;
      const joinMs = joined
        .filter((l) => l.firstMediaAt !== undefined)
        .map((l) => (l.firstMediaAt as number) - l.startedAt);
      const summary: WindowSummary = {
        listeners: measured.length,
        seconds,
        rates,
        neverJoined: joined.length - joinMs.length,
        join: quantiles(joinMs),
        errors: listeners.reduce((sum, l) => sum + l.errors, 0) - start.errors,
        loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
      };
      return summary;
    }
    case "stop": {
      stop.abort();
      const finals = await Promise.all(listeners.map((l) => l.final));
      return { finals: finals.filter((f): f is HlsFollowStats => f !== null) };
    }
  }
}

process.on("message", (message: { id: number; request: SwarmRequest }) => {
  handle(message.request).then(
    (result) => process.send?.({ id: message.id, ok: true, result } satisfies SwarmReply),
    (error: unknown) =>
      process.send?.({ id: message.id, ok: false, error: String(error) } satisfies SwarmReply),
  );
});
process.on("disconnect", () => {
  stop.abort();
  process.exit(0);
});
process.send?.({ id: 0, ok: true, result: "ready" } satisfies SwarmReply);
