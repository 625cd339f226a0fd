import { describe, expect, test } from "vitest";
import type { HttpAnswer } from "./http-call.ts";
import { classifyHeartbeatAnswer, classifyTicketAnswer } from "./ticket-answer.ts";

const now = Date.parse("2030-01-01T00:00:00Z");
const answer = (
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): HttpAnswer => ({
  status,
  body,
  headers,
  ms: 1,
});
const error = (code: string) => ({ error: { code, message: "m" } });

describe("ticket answers", () => {
  test("200 with a ticket admits", () => {
    const meaning = classifyTicketAnswer(
      answer(200, {
        ticket: "jwt",
        ticketId: "t1",
        playlistUrl: "/hls/s/index.m3u8",
        expiresAt: "2030-01-01T00:01:00Z",
        heartbeatSeconds: 30,
      }),
      now,
    );
    expect(meaning).toEqual({
      kind: "ticket",
      ticket: "jwt",
      playlistUrl: "/hls/s/index.m3u8",
      heartbeatSeconds: 30,
    });
  });

  test("202 queues with the token and the Retry-After header (header wins over the body)", () => {
    const body = {
      queue: { token: "q", position: 17, estimatedWaitSeconds: 4, phase: "queue", opensAt: null },
      retryAfter: 3,
    };
    expect(classifyTicketAnswer(answer(202, body, { "retry-after": "2" }), now)).toEqual({
      kind: "queued",
      token: "q",
      position: 17,
      phase: "queue",
      retryAfterSeconds: 2,
    });
    expect(classifyTicketAnswer(answer(202, body), now)).toMatchObject({ retryAfterSeconds: 3 });
    // The pre-queue may hand out no token yet.
    const noToken = { ...body, queue: { ...body.queue, token: null, phase: "pre-queue" } };
    expect(classifyTicketAnswer(answer(202, noToken), now)).toMatchObject({
      kind: "queued",
      token: null,
    });
  });

  test("428, 429 and 503 OVERLOADED are admission control; 503 OVERLOADED is still an error key", () => {
    expect(classifyTicketAnswer(answer(428, error("AMPHI_CHALLENGE_REQUIRED")), now)).toEqual({
      kind: "challenge",
    });
    expect(
      classifyTicketAnswer(answer(429, error("AMPHI_RATE_LIMITED"), { "retry-after": "5" }), now),
    ).toEqual({
      kind: "rate-limited",
      retryAfterSeconds: 5,
    });
    expect(
      classifyTicketAnswer(answer(503, error("AMPHI_OVERLOADED"), { "retry-after": "7" }), now),
    ).toEqual({
      kind: "overloaded",
      key: "503 AMPHI_OVERLOADED",
      retryAfterSeconds: 7,
    });
  });

  test("contract refusals end the journey with their status and code", () => {
    expect(classifyTicketAnswer(answer(404, error("AMPHI_SPACE_NOT_FOUND")), now)).toEqual({
      kind: "refused",
      key: "404 AMPHI_SPACE_NOT_FOUND",
    });
    expect(classifyTicketAnswer(answer(409, error("AMPHI_SPACE_ENDED")), now).kind).toBe("refused");
    expect(classifyTicketAnswer(answer(401, error("AMPHI_UNAUTHENTICATED")), now).kind).toBe(
      "refused",
    );
  });

  test("5xx and answers outside the contract are errors", () => {
    expect(classifyTicketAnswer(answer(500, error("AMPHI_INTERNAL")), now)).toMatchObject({
      kind: "error",
      key: "500 AMPHI_INTERNAL",
    });
    expect(classifyTicketAnswer(answer(502, "<html>bad gateway</html>"), now)).toMatchObject({
      kind: "error",
      key: "502",
    });
    expect(classifyTicketAnswer(answer(200, { nope: true }), now)).toMatchObject({
      kind: "error",
      key: "200 outside the contract",
    });
    expect(classifyTicketAnswer(answer(202, { queue: {} }), now).kind).toBe("error");
    expect(classifyTicketAnswer(answer(428, error("AMPHI_SOMETHING_ELSE")), now).kind).toBe(
      "error",
    );
  });
});

describe("heartbeat answers", () => {
  test("200 renews the ticket; 401 TICKET_INVALID asks for a new one", () => {
    expect(
      classifyHeartbeatAnswer(
        answer(200, { listeners: 3, ticket: "t2", expiresAt: "x", heartbeatSeconds: 20 }),
        now,
      ),
    ).toEqual({ kind: "renewed", ticket: "t2", heartbeatSeconds: 20 });
    expect(classifyHeartbeatAnswer(answer(401, error("AMPHI_TICKET_INVALID")), now)).toEqual({
      kind: "ticket-invalid",
    });
  });

  test("anything else is rate limiting or an error", () => {
    expect(classifyHeartbeatAnswer(answer(429, error("AMPHI_RATE_LIMITED")), now).kind).toBe(
      "rate-limited",
    );
    expect(classifyHeartbeatAnswer(answer(500, error("AMPHI_INTERNAL")), now)).toMatchObject({
      kind: "error",
      key: "500 AMPHI_INTERNAL",
    });
    expect(classifyHeartbeatAnswer(answer(401, error("AMPHI_UNAUTHENTICATED")), now).kind).toBe(
      "error",
    );
  });
});
