/**
 * A Web Push service on loopback for the golive benchmark: it accepts what web-push posts
 * (an aes128gcm-encrypted body with a VAPID Authorization header), counts each endpoint once
 * and notes when the last one arrived. It decrypts nothing: the encryption cost is paid by
 * the sender, which is what the benchmark measures.
 */
import { createECDH, randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface PushService {
  /** Base of the endpoints: `${base}/${n}`. */
  base: string;
  /** A subscription's keys, valid P-256 and 16 random bytes, shared by every endpoint. */
  keys: { p256dh: string; auth: string };
  /** Distinct endpoints that received a push. */
  received(): number;
  /** Pushes to an endpoint that already had one. */
  repeats(): number;
  /** performance.now() of the latest push, or null. */
  lastAt(): number | null;
  /** Pushes without the headers RFC 8030/8291/8292 require. */
  malformed(): number;
  close(): Promise<void>;
}

export async function startPushService(): Promise<PushService> {
  const ecdh = createECDH("prime256v1");
  ecdh.generateKeys();
  const keys = {
    p256dh: ecdh.getPublicKey().toString("base64url"),
    auth: randomBytes(16).toString("base64url"),
  };
  const seen = new Set<string>();
  let repeats = 0;
  let malformed = 0;
  let lastAt: number | null = null;
  const server: Server = createServer((req, res) => {
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
      lastAt = performance.now();
      res.writeHead(201).end();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}/push`,
    keys,
    received: () => seen.size,
    repeats: () => repeats,
    lastAt: () => lastAt,
    malformed: () => malformed,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
