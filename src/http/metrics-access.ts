import { timingSafeEqual } from "node:crypto";
import type { FastifyRequest } from "fastify";
import { AmphiError } from "../errors/error-registry.ts";

function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith("::ffff:") ? address.slice(7) : address;
  return v4 === "::1" || /^127\./.test(v4);
}

/**
 * Who may read `/metrics` (route names, live counts, node internals): with METRICS_TOKEN, a
 * request carrying it as a Bearer token (else 401); without, only a client on this machine
 * talking to the server directly: the socket is loopback and no trusted proxy relayed it for
 * someone else (request.ip, after TRUST_PROXY, is loopback too). Anyone else gets 404.
 */
export function checkMetricsAccess(request: FastifyRequest, token: string | undefined): void {
  if (token) {
    const header = request.headers.authorization ?? "";
    const given = Buffer.from(header.startsWith("Bearer ") ? header.slice(7).trim() : "");
    const expected = Buffer.from(token);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new AmphiError("AMPHI_UNAUTHENTICATED", {
        message: "Scraping /metrics needs the metrics token (METRICS_TOKEN) as a Bearer token.",
      });
    }
    return;
  }
  if (!isLoopback(request.socket.remoteAddress) || !isLoopback(request.ip)) {
    throw new AmphiError("AMPHI_NOT_FOUND");
  }
}
