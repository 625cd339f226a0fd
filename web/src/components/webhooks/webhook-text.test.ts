import { describe, expect, it } from "vitest";
import type { WebhookDelivery } from "../../api/types";
import { deliveryText, retryText } from "./webhook-text";

const attempt = (d: Partial<WebhookDelivery>): WebhookDelivery => ({
  id: "1",
  messageId: "msg_x",
  event: "space.live",
  attempt: 1,
  outcome: "failed",
  statusCode: 500,
  error: "HTTP 500",
  durationMs: 12,
  attemptedAt: "2026-12-03T07:00:00.000Z",
  nextRetryAt: "2026-12-03T07:00:30.000Z",
  ...d,
});

describe("delivery log text", () => {
  it("says what happened to an attempt", () => {
    expect(deliveryText(attempt({}))).toBe("Failed · 500 · 12 ms");
    expect(deliveryText(attempt({ statusCode: null, error: "timed out after 10 s" }))).toBe(
      "Failed · timed out after 10 s · 12 ms",
    );
    expect(deliveryText(attempt({ outcome: "delivered", statusCode: 204, error: null }))).toBe(
      "Delivered · 204 · 12 ms",
    );
  });

  it("says when the next attempt comes", () => {
    const now = Date.parse("2026-12-03T07:00:00.000Z");
    expect(retryText(attempt({}), now)).toBe("Retry in 30 s");
    expect(retryText(attempt({ nextRetryAt: "2026-12-03T08:00:00.000Z" }), now)).toBe(
      "Retry in 1 h",
    );
    expect(retryText(attempt({ nextRetryAt: null }), now)).toBe("No more retries");
    expect(retryText(attempt({ outcome: "delivered" }), now)).toBeNull();
  });
});
