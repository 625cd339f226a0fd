import { randomBytes } from "node:crypto";

/** Ids of moderation records: a prefix and 16 random base64url characters. */
export function newModerationId(prefix: "rep" | "st" | "ap" | "rs"): string {
  return `${prefix}_${randomBytes(12).toString("base64url")}`;
}

/** A report's receipt token: 32 random bytes (only its SHA-256 is stored). */
export function newReceiptToken(): string {
  return randomBytes(32).toString("base64url");
}
