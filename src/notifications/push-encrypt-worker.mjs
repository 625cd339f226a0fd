// Encrypts Web Push payloads (RFC 8291, aes128gcm) off the main thread: an ECDH key pair, a
// shared secret and AES-GCM per subscription cost ~0.5 ms each, which for a go-live's tens of
// thousands of pushes would stall every request of the server. The VAPID header is not made
// here (the main thread signs it once per push service, vapid-headers.ts). Plain JavaScript, so
// it runs under any loader (tsx, vitest).
import { parentPort } from "node:worker_threads";
import webpush from "web-push";

parentPort?.on("message", (message) => {
  const { id, subs, payload, ttlSeconds, urgency } = message;
  const out = subs.map((sub) => {
    try {
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
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  });
  parentPort?.postMessage(
    { id, out },
    out.flatMap((o) => (o.body ? [o.body.buffer] : [])),
  );
});
