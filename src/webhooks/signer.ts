import { createHash, randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";

/**
 * Standard Webhooks signatures (HMAC-SHA256 of `id.timestamp.body`, `v1,<base64>`), made by
 * the `standardwebhooks` package so that any receiver using a Standard Webhooks library
 * verifies them as they are.
 */

/** A new endpoint secret: `whsec_` + base64 of 32 random bytes (the spec asks for >= 24). */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

/** A message id for a one-off message (a test): `msg_` + 128 random bits, no "." in it. */
export function newMessageId(): string {
  return `msg_${randomBytes(16).toString("base64url")}`;
}

/**
 * The id of the message telling `endpointId` that `eventType` happened to `subjectId`: the
 * same wherever and however often it is computed, so every API node of a fleet that hears of
 * the event owes the endpoint the same one message (the database keeps it once).
 */
export function eventMessageId(endpointId: string, eventType: string, subjectId: string): string {
  const digest = createHash("sha256").update(`${endpointId}\n${eventType}\n${subjectId}`).digest();
  return `msg_${digest.subarray(0, 16).toString("base64url")}`;
}

/** The three Standard Webhooks headers of one attempt, signed now. */
export function signedHeaders(
  secret: string,
  messageId: string,
  body: string,
  at: Date,
): { "webhook-id": string; "webhook-timestamp": string; "webhook-signature": string } {
  return {
    "webhook-id": messageId,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": new Webhook(secret).sign(messageId, at, body),
  };
}
