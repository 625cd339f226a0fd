import type {} from "@fastify/cookie";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { AccountsService, SessionGrant } from "../accounts/accounts-service.ts";
import { AmphiError } from "../errors/error-registry.ts";
import type { AccountRecord } from "../store/repositories/accounts-repository.ts";

export const sessionCookie = "amphi_session";
/** A browser that logged in to an account before: the account's lockout spares it. */
export const deviceCookie = "amphi_device";

declare module "fastify" {
  interface FastifyContextConfig {
    /** Treat the request as anonymous when its session cannot be checked (database down). */
    anonymousIfAuthFails?: boolean;
  }
  interface FastifyRequest {
    /** The logged-in account, or null; set by the auth hook. */
    account: AccountRecord | null;
    /** How the request proved who it is. */
    authMethod: "cookie" | "bearer" | null;
    sessionToken: string | null;
  }
}

/** The session token of a request: `Authorization: Bearer` first, then the cookie. */
export function tokenOf(
  request: FastifyRequest,
): { token: string; method: "cookie" | "bearer" } | null {
  const header = request.headers.authorization;
  if (header?.startsWith("Bearer ")) return { token: header.slice(7).trim(), method: "bearer" };
  const cookie = request.cookies?.[sessionCookie];
  if (cookie) return { token: cookie, method: "cookie" };
  return null;
}

/**
 * The auth `preHandler`. A callback hook: an anonymous request (no token, e.g. every
 * listener joining) is done at once, with no promise and no microtask; only a request that
 * carries a token waits for the session check. The fields it sets are declared on every
 * request up front (`decorateRequest` in app.ts), so requests keep one object shape.
 */
export function authHook(accounts: AccountsService, publicUrl?: string) {
  const check = sessionCheck(accounts, publicUrl);
  return (request: FastifyRequest, _reply: FastifyReply, done: (error?: Error) => void): void => {
    request.account = null;
    request.authMethod = null;
    request.sessionToken = null;
    const found = tokenOf(request);
    if (!found) {
      done();
      return;
    }
    check(request, found).then(() => done(), done);
  };
}

function sessionCheck(accounts: AccountsService, publicUrl?: string) {
  const publicOrigin = publicUrl ? new URL(publicUrl).origin : null;
  return async (
    request: FastifyRequest,
    found: { token: string; method: "cookie" | "bearer" },
  ): Promise<void> => {
    let account: AccountRecord | null;
    try {
      account = await accounts.authenticate(found.token);
    } catch (error) {
      // The join path must keep working while the database is down: there, a session that
      // cannot be checked counts as anonymous. Everywhere else the failure is reported.
      if (!request.routeOptions.config?.anonymousIfAuthFails) throw error;
      request.log.warn({ err: error }, "auth: session check failed; continuing as anonymous");
      return;
    }
    if (!account) return;
    if (
      found.method === "cookie" &&
      needsOriginCheck(request) &&
      !sameOrigin(request, publicOrigin)
    ) {
      throw new AmphiError("AMPHI_CROSS_ORIGIN");
    }
    request.account = account;
    request.authMethod = found.method;
    request.sessionToken = found.token;
  };
}

/**
 * Requests a cross-site page could make with the victim's cookie: unsafe methods, and
 * WebSocket upgrades (a GET that browsers send cross-site without any CORS check).
 */
function needsOriginCheck(request: FastifyRequest): boolean {
  const m = request.method;
  const unsafe = m !== "GET" && m !== "HEAD" && m !== "OPTIONS";
  return unsafe || request.headers.upgrade?.toLowerCase() === "websocket";
}

/**
 * Browsers always say where a cross-site request comes from. With PUBLIC_URL the origin must
 * match it exactly (scheme included); without it, the host must match the Host header.
 */
function sameOrigin(request: FastifyRequest, publicOrigin: string | null): boolean {
  const origin = request.headers.origin;
  if (!origin) return true;
  try {
    const url = new URL(origin);
    if (publicOrigin) return url.origin === publicOrigin || url.host === request.headers.host;
    return url.host === request.headers.host;
  } catch {
    return false;
  }
}

export function requireAccount(request: FastifyRequest): AccountRecord {
  if (!request.account) throw new AmphiError("AMPHI_UNAUTHENTICATED");
  return request.account;
}

export function setSessionCookie(reply: FastifyReply, grant: SessionGrant, secure: boolean): void {
  reply.setCookie(sessionCookie, grant.token, {
    httpOnly: true,
    sameSite: "lax",
    secure,
    path: "/",
    expires: grant.expiresAt,
  });
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(sessionCookie, { httpOnly: true, sameSite: "lax", secure, path: "/" });
}

/**
 * The "known device" cookie: a random token (only its hash is stored) that outlives sessions,
 * so a locked handle still lets its owner's browsers in (docs/decisions.md). API-only: path /api.
 */
export function setDeviceCookie(reply: FastifyReply, token: string, secure: boolean): void {
  reply.setCookie(deviceCookie, token, {
    httpOnly: true,
    sameSite: "strict",
    secure,
    path: "/api",
    maxAge: 365 * 86_400,
  });
}

/** What the account routes pass the service about the client. */
export function clientOf(request: FastifyRequest): {
  ip: string;
  userAgent: string | undefined;
  deviceToken: string | undefined;
} {
  return {
    ip: request.ip,
    userAgent: request.headers["user-agent"],
    deviceToken: request.cookies?.[deviceCookie],
  };
}
