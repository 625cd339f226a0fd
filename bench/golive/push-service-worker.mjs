/**
 * The golive benchmark's Web Push service, in a worker thread (its own event loop: receiving
 * 20,000 pushes must not cost the server's, which the "Live now" reader measures). It accepts
 * what web-push posts (an aes128gcm body with a VAPID Authorization header), counts each
 * endpoint once and notes when the last one arrived. It decrypts nothing: the encryption is
 * the sender's cost, which is what the benchmark measures. Plain JavaScript: a worker thread
 * does not load TypeScript here.
 */
import { createServer } from "node:http";
import { parentPort } from "node:worker_threads";

const seen = new Set();
let repeats = 0;
let malformed = 0;
/** Wall-clock ms of the latest push, or null. */
let lastAt = null;
const server = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    const ok =
      req.method === "POST" &&
      req.headers["content-encoding"] === "aes128gcm" &&
      typeof req.headers.ttl === "string" &&
      /^vapid t=/.test(String(req.headers.authorization ?? ""));
    if (!ok) malformed++;
    const path = req.url ?? "";
    if (seen.has(path)) repeats++;
    else seen.add(path);
    lastAt = performance.timeOrigin + performance.now();
    res.writeHead(201).end();
  });
});
server.keepAliveTimeout = 30_000;
server.listen(0, "127.0.0.1", () => {
  parentPort?.postMessage({ port: server.address().port });
});
parentPort?.on("message", (message) => {
  if (message === "stats") {
    parentPort?.postMessage({ stats: { received: seen.size, repeats, malformed, lastAt } });
  } else if (message === "close") {
    server.closeAllConnections();
    server.close(() => parentPort?.postMessage({ closed: true }));
  }
});
