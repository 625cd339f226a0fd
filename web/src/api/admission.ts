import { apiRequest, type RequestOptions } from "./client";
import type { HeartbeatAnswer, QueueAnswer, TicketAnswer, TicketRequest } from "./types";

const space = (id: string) => `/api/spaces/${encodeURIComponent(id)}`;

/** A 202 answer: a place in line rather than a ticket. */
export function isQueued(answer: TicketAnswer): answer is QueueAnswer {
  return "queue" in answer;
}

/**
 * The admission gate in front of a live Space: a ticket to listen (or a place in line),
 * heartbeats that keep the ticket alive, and the proof-of-work challenge asked for under attack.
 * Refusals (401, 409, 428, 429, 503) reject with an ApiError; 429 and 503 carry `retryAfter`.
 */
export const admissionApi = {
  ticket: (spaceId: string, body: TicketRequest, options?: RequestOptions) =>
    apiRequest<TicketAnswer>("POST", `${space(spaceId)}/tickets`, body, options),
  heartbeat: (spaceId: string, ticket: string, options?: RequestOptions) =>
    apiRequest<HeartbeatAnswer>("POST", `${space(spaceId)}/heartbeat`, { ticket }, options),
  /** The ALTCHA challenge JSON; the widget fetches it itself. */
  challengeUrl: (spaceId: string) => `${space(spaceId)}/challenge`,
};
