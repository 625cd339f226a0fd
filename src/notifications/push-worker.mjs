// Delivers Web Push messages off the main thread: encrypts each payload (RFC 8291, aes128gcm:
// an ECDH key pair, a shared secret and AES-GCM per subscription, ~0.5 ms each) and POSTs it
// to its push service, answering each request's status. Both halves stalled the server when
// they ran on its event loop: the crypto for tens of thousands of pushes, and starting a
// chunk's fetches in one tick (undici builds and clones every request), tens of milliseconds
// at a time. The VAPID header comes with each subscription (the main thread signs it once per
// push service, vapid-headers.ts). Plain JavaScript, so it runs under any loader (tsx, vitest).
import { setPriority } from "node:os";
import { parentPort } from "node:worker_threads";
import webpush from "web-push";

// Background work: when cores are short, the threads that answer requests go first. Linux
// keeps a nice value per thread, so this lowers this worker alone.
try {
  setPriority(10);
} catch {
  // Not allowed here (some containers): the same work at the same priority.
}

/** One subscription's request: headers without VAPID, and the encrypted body. */
function encrypt(sub, payload, ttlSeconds, urgency) {
  const details = webpush.generateRequestDetails(
    { endpoint: sub.endpoint, keys: { p256dh: sub.p256dh, auth: sub.auth } },
    payload,
    { vapidDetails: null, TTL: ttlSeconds, urgency, contentEncoding: "aes128gcm" },
  );
  const headers = {};
  for (const [name, value] of Object.entries(details.headers)) {
    if (name.toLowerCase() !== "content-length") headers[name] = String(value);
  }
  return { headers, body: new Uint8Array(details.body) };
}

/** Answers `{ status }` (the push service's) or `{ error }` (ours, or the network's). */
async function deliver(sub, payload, options) {
  try {
    const { headers, body } = encrypt(sub, payload, options.ttlSeconds, options.urgency);
    const response = await fetch(sub.endpoint, {
      method: "POST",
      headers: { ...headers, Authorization: sub.authorization },
      body,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    await response.body?.cancel();
    return { status: response.status };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

parentPort?.on("message", async (message) => {
  const { id, subs, payload, ...options } = message;
  const out = await Promise.all(subs.map((sub) => deliver(sub, payload, options)));
  parentPort?.postMessage({ id, out });
});
