import { describe, expect, it } from "vitest";
import webpush from "web-push";
import { VapidHeaders } from "./vapid-headers.ts";

describe("VAPID headers", () => {
  const keys = webpush.generateVAPIDKeys();

  it("signs once per push service and renews an hour before the token expires", () => {
    let now = 1_000_000;
    const vapid = new VapidHeaders(keys, "mailto:ops@example.org", () => now);
    const first = vapid.for("https://push.example.com/send/a");
    expect(first).toMatch(/^vapid t=[\w-]+\.[\w-]+\.[\w-]+, k=[\w-]+$/);
    expect(first).toContain(`k=${keys.publicKey}`);
    // Another subscription of the same service: the same token.
    expect(vapid.for("https://push.example.com/send/b")).toBe(first);
    // Another service: a token with its own audience.
    const other = vapid.for("https://fcm.example.net/x");
    expect(other).not.toBe(first);
    const claims = (header: string) =>
      JSON.parse(
        Buffer.from(
          (header.match(/t=([^,]+)/)?.[1] ?? "").split(".")[1] ?? "",
          "base64url",
        ).toString(),
      );
    expect(claims(first)).toMatchObject({ aud: "https://push.example.com", exp: now + 12 * 3600 });
    expect(claims(other).aud).toBe("https://fcm.example.net");
    now += 11 * 3600 - 1;
    expect(vapid.for("https://push.example.com/send/c")).toBe(first);
    now += 2;
    const renewed = vapid.for("https://push.example.com/send/c");
    expect(claims(renewed).exp).toBe(now + 12 * 3600);
  });
});
