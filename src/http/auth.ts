import type {} from "@fastify/cookie";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { AccountsService, SessionGrant } from "../accounts/accounts-service.ts";
import { AmphiError } from "../errors/error-registry.ts";
import type { AccountRecord } from "../store/repositories/accounts-repository.ts";

export const sessionCookie = "amphi_session";

declare module "fastify" {
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

export function authHook(accounts: AccountsService) {
  return async (request: FastifyRequest): Promise<void> => {
    request.account = null;
    request.authMethod = null;
    request.sessionToken = null;
    const found = tokenOf(request);
    if (!found) return;
    const account = await accounts.authenticate(found.token);
    if (!account) return;
    if (found.method === "cookie" && isUnsafe(request.method) && !sameOrigin(request)) {
      throw new AmphiError("AMPHI_CROSS_ORIGIN");
    }
    request.account = account;
    request.authMethod = found.method;
    request.sessionToken = found.token;
  };
}

function isUnsafe(method: string): boolean {
  return method !== "GET" && method !== "HEAD" && method !== "OPTIONS";
}

/** Cookies ride along on cross-site requests; a browser always says where those come from. */
function sameOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (!origin) return true;
  try {
    return new URL(origin).host === request.headers.host;
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
