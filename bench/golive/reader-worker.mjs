/**
 * The "Live now" reader of the golive benchmark, in a worker thread (its own event loop, so
 * its timing is not the server's): reads `GET /api/discovery/live` as one logged-in person,
 * one request at a time, every `intervalMs`, until told to stop; answers every latency with
 * the moment it started. Plain JavaScript: a worker thread does not load TypeScript here.
 */
import { parentPort, workerData } from "node:worker_threads";

const { url, token, intervalMs } = workerData;
/** @type {{ at: number; ms: number; ok: boolean }[]} */
const samples = [];
let running = true;
parentPort?.on("message", (message) => {
  if (message === "stop") running = false;
});

const origin = performance.timeOrigin;
while (running) {
  const started = performance.now();
  let ok = false;
  try {
    const res = await fetch(`${url}/api/discovery/live`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = await res.json();
    ok = res.status === 200 && Array.isArray(body.following);
  } catch {
    ok = false;
  }
  const ms = performance.now() - started;
  // Wall-clock milliseconds, comparable with the main thread's Date.now().
  samples.push({ at: origin + started, ms, ok });
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, intervalMs - ms)));
}
parentPort?.postMessage(samples);
