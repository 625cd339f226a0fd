import { answerKey, errorCodeOf, type HttpAnswer } from "./http-call.ts";
import { retryAfterSeconds } from "./retry-after.ts";

/** What an answer to POST /api/spaces/:id/tickets means for a listener (the admission contract). */
export type TicketAnswer =
  | {
      kind: "ticket";
      ticket: string;
      playlistUrl: string;
      heartbeatSeconds: number;
    }
  | {
      kind: "queued";
      /** Null when the server hands out no token (yet): keep any earlier one. */
      token: string | null;
      position: number;
      phase: string;
      retryAfterSeconds: number;
    }
  | { kind: "challenge" }
  | { kind: "rate-limited"; retryAfterSeconds: number }
  /** 503 AMPHI_OVERLOADED: an error (5xx) that still says when to come back. */
  | { kind: "overloaded"; key: string; retryAfterSeconds: number }
  /** A contract answer that ends the journey (401, 404, 409): the Space cannot be joined. */
  | { kind: "refused"; key: string }
  /** Any other 5xx or an answer outside the contract. */
  | { kind: "error"; key: string; retryAfterSeconds: number };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;
const refusals = new Set([
  "AMPHI_UNAUTHENTICATED",
  "AMPHI_SPACE_NOT_FOUND",
  "AMPHI_SPACE_ENDED",
  "AMPHI_SPACE_NOT_LIVE",
]);

/** Classifies a ticket answer. Pure; `nowMs` only serves Retry-After dates. */
export function classifyTicketAnswer(answer: HttpAnswer, nowMs: number): TicketAnswer {
  const { status, body, headers } = answer;
  const code = errorCodeOf(body);
  const wait = (fallback: number) => retryAfterSeconds(headers, body, fallback, nowMs);
  if (status === 200 && isObject(body)) {
    const { ticket, playlistUrl, heartbeatSeconds } = body;
    if (typeof ticket === "string" && typeof playlistUrl === "string") {
      return {
        kind: "ticket",
        ticket,
        playlistUrl,
        heartbeatSeconds:
          typeof heartbeatSeconds === "number" && heartbeatSeconds > 0 ? heartbeatSeconds : 30,
      };
    }
  }
  if (status === 202 && isObject(body) && isObject(body.queue)) {
    const { token, position, phase } = body.queue;
    if (typeof token === "string" || token === null) {
      return {
        kind: "queued",
        token,
        position: typeof position === "number" ? position : 0,
        phase: typeof phase === "string" ? phase : "queue",
        retryAfterSeconds: wait(1),
      };
    }
  }
  if (status === 428 && code === "AMPHI_CHALLENGE_REQUIRED") return { kind: "challenge" };
  if (status === 429) return { kind: "rate-limited", retryAfterSeconds: wait(1) };
  if (status === 503 && code === "AMPHI_OVERLOADED") {
    return { kind: "overloaded", key: answerKey(answer), retryAfterSeconds: wait(1) };
  }
  if ((status === 401 || status === 404 || status === 409) && code && refusals.has(code)) {
    return { kind: "refused", key: answerKey(answer) };
  }
  const key = status >= 200 && status < 300 ? `${status} outside the contract` : answerKey(answer);
  return { kind: "error", key, retryAfterSeconds: wait(1) };
}

/** What an answer to POST /api/spaces/:id/heartbeat means. */
export type HeartbeatAnswer =
  | {
      kind: "renewed";
      ticket: string;
      heartbeatSeconds: number;
      /** The playlist signed for the current window (older servers: absent). */
      playlistUrl?: string;
    }
  /** 401 AMPHI_TICKET_INVALID: ask for a new ticket. */
  | { kind: "ticket-invalid" }
  | { kind: "rate-limited"; retryAfterSeconds: number }
  | { kind: "error"; key: string; retryAfterSeconds: number };

export function classifyHeartbeatAnswer(answer: HttpAnswer, nowMs: number): HeartbeatAnswer {
  const { status, body, headers } = answer;
  const wait = (fallback: number) => retryAfterSeconds(headers, body, fallback, nowMs);
  if (status === 200 && isObject(body) && typeof body.ticket === "string") {
    const hb = body.heartbeatSeconds;
    return {
      kind: "renewed",
      ticket: body.ticket,
      heartbeatSeconds: typeof hb === "number" && hb > 0 ? hb : 30,
      ...(typeof body.playlistUrl === "string" ? { playlistUrl: body.playlistUrl } : {}),
    };
  }
  if (status === 401 && errorCodeOf(body) === "AMPHI_TICKET_INVALID")
    return { kind: "ticket-invalid" };
  if (status === 429) return { kind: "rate-limited", retryAfterSeconds: wait(1) };
  const key = status >= 200 && status < 300 ? `${status} outside the contract` : answerKey(answer);
  return { kind: "error", key, retryAfterSeconds: wait(1) };
}
