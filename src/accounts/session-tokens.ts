import { createHash, randomBytes } from "node:crypto";

/** A session token is 32 random bytes; only its SHA-256 is stored, so a database leak logs nobody in. */
export function newSessionToken(): string {
  return randomBytes(32).toString("base64url");
}

export function hashSessionToken(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}
