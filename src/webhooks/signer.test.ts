import { createHmac } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { eventMessageId, newMessageId, newSigningSecret, signedHeaders } from "./signer.ts";

describe("webhook signer", () => {
  it("makes whsec_ secrets of 32 random bytes", () => {
    const secret = newSigningSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(secret.slice(6), "base64")).toHaveLength(32);
    expect(newSigningSecret()).not.toBe(secret);
  });

  it("signs id.timestamp.body with HMAC-SHA256, as the spec writes it and its library verifies", () => {
    const secret = newSigningSecret();
    const body = JSON.stringify({ type: "space.live", timestamp: "2026-12-03T06:00:00.000Z" });
    const at = new Date();
    const headers = signedHeaders(secret, "msg_abc", body, at);
    const timestamp = Math.floor(at.getTime() / 1000);
    const expected = createHmac("sha256", Buffer.from(secret.slice(6), "base64"))
      .update(`msg_abc.${timestamp}.${body}`)
      .digest("base64");
    expect(headers).toEqual({
      "webhook-id": "msg_abc",
      "webhook-timestamp": String(timestamp),
      "webhook-signature": `v1,${expected}`,
    });
    expect(new Webhook(secret).verify(body, headers)).toMatchObject({ type: "space.live" });
    expect(() => new Webhook(secret).verify(`${body} `, headers)).toThrow();
    expect(() => new Webhook(newSigningSecret()).verify(body, headers)).toThrow();
  });

  it("gives one event one message id per endpoint, and one-off messages fresh ones", () => {
    expect(eventMessageId("e1", "space.live", "s1")).toBe(eventMessageId("e1", "space.live", "s1"));
    expect(eventMessageId("e1", "space.live", "s1")).not.toBe(
      eventMessageId("e2", "space.live", "s1"),
    );
    expect(eventMessageId("e1", "space.live", "s1")).not.toBe(
      eventMessageId("e1", "space.ended", "s1"),
    );
    expect(eventMessageId("e1", "space.live", "s1")).toMatch(/^msg_[A-Za-z0-9_-]+$/);
    expect(newMessageId()).not.toBe(newMessageId());
  });
});
