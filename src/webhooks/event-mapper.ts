import type { WebhookEventType } from "../contracts/webhook-contracts.ts";
import type { SpaceDocument } from "../spaces/space-document.ts";

/**
 * What a Space's change means to webhooks, and the bodies they carry. Pure: the caller reads
 * the Space and the clock.
 */

/** The Space part of every body: what a receiver needs to post "live now" with a link. */
export interface WebhookSpace {
  id: string;
  title: string;
  description: string;
  state: SpaceDocument["state"];
  url: string;
  host: { handle: string; displayName: string };
  scheduledFor: string | null;
  startedAt: string | null;
  endedAt: string | null;
  recording: boolean;
}

export interface WebhookRecording {
  playlistUrl: string;
  downloadUrl: string;
  durationSeconds: number;
  expiresAt: string;
}

/** The Standard Webhooks payload shape: `{type, timestamp, data}`. */
export type WebhookPayload =
  | {
      type: WebhookEventType;
      /** When the event happened (ISO 8601), the same on every attempt. */
      timestamp: string;
      data: { space: WebhookSpace; recording?: WebhookRecording };
    }
  | {
      type: "webhook.test";
      timestamp: string;
      data: { endpoint: { id: string; url: string } };
    };

/**
 * The event a Space's current state announces: scheduled (only with a planned time), live,
 * ended; null for the rest (cancelled, or scheduled without a time).
 */
export function spaceEventOf(space: SpaceDocument): WebhookEventType | null {
  switch (space.state) {
    case "scheduled":
      return space.scheduledFor ? "space.scheduled" : null;
    case "live":
      return "space.live";
    case "ended":
      return "space.ended";
    default:
      return null;
  }
}

/** When the Space's event happened (a recording is ready when it is announced: `now`). */
export function occurredAt(space: SpaceDocument, type: WebhookEventType, now: Date): string {
  if (type === "space.live") return space.startedAt ?? now.toISOString();
  if (type === "space.ended") return space.endedAt ?? now.toISOString();
  if (type === "space.scheduled") return space.createdAt;
  return now.toISOString();
}

export function webhookSpace(space: SpaceDocument, publicUrl: string): WebhookSpace {
  return {
    id: space.id,
    title: space.title,
    description: space.description,
    state: space.state,
    url: `${publicUrl}/spaces/${space.id}`,
    host: { handle: space.host.handle, displayName: space.host.displayName },
    scheduledFor: space.scheduledFor,
    startedAt: space.startedAt,
    endedAt: space.endedAt,
    recording: space.recording,
  };
}

/** The exact body sent (and signed): minified JSON. */
export function webhookBody(payload: WebhookPayload): string {
  return JSON.stringify(payload);
}
