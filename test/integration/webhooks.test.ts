import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  api,
  signUp,
  startTestServer,
  type TestAccount,
  type TestServer,
} from "../support/amphi-test-server.ts";
import { WebhookReceiver } from "../support/webhook-receiver.ts";

/**
 * Signed outgoing webhooks, end to end: a real Amphi server (media plane on, so an ended
 * recorded Space produces its recording) delivering to a real receiver on a loopback port,
 * which verifies every signature with the Standard Webhooks library.
 */
let server: TestServer;
let receiver: WebhookReceiver;
let base: string;

beforeAll(async () => {
  receiver = await WebhookReceiver.start();
  server = await startTestServer({
    mediaPlane: "on",
    webhooksAllowHttpLoopback: true,
    // 0.3 s, 0.6 s, 1.2 s (±20 %): the backoff of production, in a test's time.
    webhookRetrySeconds: "0.3,0.6,1.2",
    webhookTimeoutSeconds: 2,
    webhookFailingAfter: 2,
    webhooksPerAccount: 3,
  });
  base = server.url;
}, 120_000); // the media plane and the queue on a fresh database, on a busy machine
afterAll(async () => {
  await server?.close();
  await receiver?.close();
});

async function addWebhook(
  who: TestAccount,
  path: string,
  events: string[] = ["space.scheduled", "space.live", "space.ended", "recording.ready"],
): Promise<{ id: string; secret: string }> {
  const res = await api(base, "POST", "/api/webhooks", {
    token: who.token,
    body: { url: `${receiver.url}${path}`, events },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.webhook;
}

async function newSpace(host: TestAccount, body: Record<string, unknown>): Promise<string> {
  const res = await api(base, "POST", "/api/spaces", { token: host.token, body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.space.id;
}

function verified(secret: string, hook: { body: string; headers: Record<string, string> }): any {
  return new Webhook(secret).verify(hook.body, hook.headers);
}

async function deliveries(who: TestAccount, id: string): Promise<any[]> {
  const res = await api(base, "GET", `/api/webhooks/${id}/deliveries`, { token: who.token });
  expect(res.status).toBe(200);
  return res.body.deliveries;
}

describe("webhooks", () => {
  it("creates an endpoint with a whsec_ secret shown once, then lists it without", async () => {
    const host = await signUp(base);
    const res = await api(base, "POST", "/api/webhooks", {
      token: host.token,
      body: { url: `${receiver.url}/created`, events: ["space.live"] },
    });
    expect(res.status).toBe(201);
    expect(res.body.webhook).toMatchObject({
      url: `${receiver.url}/created`,
      events: ["space.live"],
      status: "active",
      consecutiveFailures: 0,
    });
    expect(res.body.webhook.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const list = await api(base, "GET", "/api/webhooks", { token: host.token });
    expect(list.status).toBe(200);
    expect(list.headers.get("cache-control")).toBe("private, no-store");
    expect(list.body.webhooks).toHaveLength(1);
    expect(list.body.webhooks[0].id).toBe(res.body.webhook.id);
    expect(JSON.stringify(list.body)).not.toContain("whsec_");
  });

  it("delivers space.scheduled, space.live, space.ended and recording.ready, signed", async () => {
    const host = await signUp(base);
    const { secret } = await addWebhook(host, "/lifecycle");
    const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
    const id = await newSpace(host, { title: "Tonight", scheduledFor: inAnHour, recording: true });
    const [scheduled] = await receiver.waitFor("/lifecycle", 1);
    expect(verified(secret, scheduled!)).toMatchObject({
      type: "space.scheduled",
      data: {
        space: {
          id,
          title: "Tonight",
          state: "scheduled",
          url: `${base}/spaces/${id}`,
          host: { handle: host.handle },
          scheduledFor: inAnHour,
        },
      },
    });

    expect((await api(base, "POST", `/api/spaces/${id}/start`, { token: host.token })).status).toBe(
      200,
    );
    const live = (await receiver.waitFor("/lifecycle", 2))[1]!;
    const livePayload = verified(secret, live);
    expect(livePayload).toMatchObject({
      type: "space.live",
      data: { space: { id, state: "live" } },
    });
    expect(Date.parse(livePayload.timestamp)).not.toBeNaN();
    expect(live.headers["webhook-id"]).toMatch(/^msg_/);
    expect(Math.abs(Number(live.headers["webhook-timestamp"]) - Date.now() / 1000)).toBeLessThan(
      10,
    );
    // A tampered body (or a wrong secret) does not verify.
    const tampered = live.body.replace('"live"', '"ended"');
    expect(() => verified(secret, { ...live, body: tampered })).toThrow();
    expect(() => verified(`whsec_${Buffer.alloc(32, 1).toString("base64")}`, live)).toThrow();

    await new Promise((resolve) => setTimeout(resolve, 1_200)); // let the room record a little
    expect((await api(base, "POST", `/api/spaces/${id}/end`, { token: host.token })).status).toBe(
      200,
    );
    const all = await receiver.waitFor("/lifecycle", 4, 15_000);
    const payloads = all.map((hook) => verified(secret, hook));
    // Messages are independent jobs: the end and the recording may arrive in either order.
    expect(payloads.map((p) => p.type).sort()).toEqual([
      "recording.ready",
      "space.ended",
      "space.live",
      "space.scheduled",
    ]);
    const ready = payloads.find((p) => p.type === "recording.ready");
    expect(ready.data.space).toMatchObject({ id, state: "ended" });
    expect(ready.data.recording.playlistUrl).toBe(`${base}/recordings/${id}/vod.m3u8`);
    expect(ready.data.recording.durationSeconds).toBeGreaterThan(0);
    // Each message once: four events, four distinct ids.
    expect(new Set(all.map((hook) => hook.headers["webhook-id"])).size).toBe(4);
  }, 30_000);

  it("sends only the events an endpoint subscribed to, and only to the host's endpoints", async () => {
    const host = await signUp(base);
    const other = await signUp(base);
    await addWebhook(host, "/only-ended", ["space.ended"]);
    await addWebhook(other, "/someone-else");
    const id = await newSpace(host, { title: "Quick", startNow: true, recording: false });
    await api(base, "POST", `/api/spaces/${id}/end`, { token: host.token });
    const [ended] = await receiver.waitFor("/only-ended", 1);
    expect(JSON.parse(ended!.body).type).toBe("space.ended");
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(receiver.at("/only-ended")).toHaveLength(1);
    expect(receiver.at("/someone-else")).toHaveLength(0);
  });

  it("retries a failing receiver with backoff, and the log says so attempt by attempt", async () => {
    const host = await signUp(base);
    receiver.script("/flaky", [500, 500]);
    const { id: webhookId, secret } = await addWebhook(host, "/flaky", ["space.live"]);
    await newSpace(host, { title: "Flaky", startNow: true, recording: false });
    const attempts = await receiver.waitFor("/flaky", 3, 15_000);
    // The same message every time: same id, same body, each signed afresh.
    expect(new Set(attempts.map((a) => a.headers["webhook-id"])).size).toBe(1);
    expect(new Set(attempts.map((a) => a.body)).size).toBe(1);
    for (const attempt of attempts) expect(verified(secret, attempt).type).toBe("space.live");
    // Backoff: ~0.3 s then ~0.6 s (±20 %; the queue polls every 0.5 s).
    const gaps = [attempts[1]!.at - attempts[0]!.at, attempts[2]!.at - attempts[1]!.at];
    expect(gaps[0]).toBeGreaterThanOrEqual(240);
    expect(gaps[1]).toBeGreaterThanOrEqual(480);

    let log: any[] = [];
    for (let i = 0; i < 50 && log.length < 3; i++) {
      log = await deliveries(host, webhookId);
      if (log.length < 3) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(log.map((d) => [d.attempt, d.outcome, d.statusCode])).toEqual([
      [3, "delivered", 200],
      [2, "failed", 500],
      [1, "failed", 500],
    ]);
    expect(log.every((d) => d.event === "space.live" && d.durationMs >= 0)).toBe(true);
    expect(log[2].error).toBe("HTTP 500");
    for (const failed of [log[1], log[2]]) {
      expect(Date.parse(failed.nextRetryAt)).toBeGreaterThan(Date.parse(failed.attemptedAt));
    }
    expect(log[0].nextRetryAt).toBeNull();
    const [endpoint] = (await api(base, "GET", "/api/webhooks", { token: host.token })).body
      .webhooks;
    expect(endpoint).toMatchObject({ status: "active", consecutiveFailures: 0 });
    expect(endpoint.lastSuccessAt).not.toBeNull();
  });

  it("shows an endpoint whose attempts keep failing as failing", async () => {
    const host = await signUp(base);
    receiver.script("/down", [503, 503, 503, 503]);
    const { id: webhookId } = await addWebhook(host, "/down", ["space.live"]);
    await newSpace(host, { title: "Down", startNow: true, recording: false });
    await receiver.waitFor("/down", 4, 15_000);
    let endpoint: any;
    for (let i = 0; i < 50; i++) {
      [endpoint] = (await api(base, "GET", "/api/webhooks", { token: host.token })).body.webhooks;
      if (endpoint.consecutiveFailures >= 4) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(endpoint).toMatchObject({ status: "failing", consecutiveFailures: 4 });
    // Four attempts in all (3 waits): the last says no retry is coming.
    const log = await deliveries(host, webhookId);
    expect(log.map((d) => d.attempt)).toEqual([4, 3, 2, 1]);
    expect(log[0].nextRetryAt).toBeNull();
  });

  it("sends a signed webhook.test now and answers its attempt", async () => {
    const host = await signUp(base);
    const { id, secret } = await addWebhook(host, "/test-me", ["space.live"]);
    const res = await api(base, "POST", `/api/webhooks/${id}/test`, { token: host.token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.delivery).toMatchObject({
      event: "webhook.test",
      attempt: 1,
      outcome: "delivered",
      statusCode: 200,
      error: null,
      nextRetryAt: null,
    });
    const [hook] = receiver.at("/test-me");
    expect(verified(secret, hook!)).toMatchObject({
      type: "webhook.test",
      data: { endpoint: { id } },
    });
    expect(hook!.headers["webhook-id"]).toBe(res.body.delivery.messageId);
    expect((await deliveries(host, id))[0]).toMatchObject({ event: "webhook.test" });
  });

  it("stops delivering once the endpoint is deleted, retries included", async () => {
    const host = await signUp(base);
    receiver.script("/deleted", [500, 500, 500, 500]);
    const { id } = await addWebhook(host, "/deleted", ["space.live", "space.ended"]);
    const spaceId = await newSpace(host, { title: "Gone", startNow: true, recording: false });
    await receiver.waitFor("/deleted", 1);
    const del = await api(base, "DELETE", `/api/webhooks/${id}`, { token: host.token });
    expect(del.status).toBe(200);
    // A retry may have gone out while the delete was on its way; nothing after it.
    const sentBefore = receiver.at("/deleted").length;
    await api(base, "POST", `/api/spaces/${spaceId}/end`, { token: host.token });
    await new Promise((resolve) => setTimeout(resolve, 2_500)); // past the next retries and the end
    expect(receiver.at("/deleted")).toHaveLength(sentBefore);
    expect(sentBefore).toBeLessThanOrEqual(2);
    expect((await api(base, "GET", "/api/webhooks", { token: host.token })).body.webhooks).toEqual(
      [],
    );
    expect(
      (await api(base, "GET", `/api/webhooks/${id}/deliveries`, { token: host.token })).status,
    ).toBe(404);
  });

  it("a test sent while the endpoint is being deleted answers 404, never 500 (found by the fuzz)", async () => {
    const host = await signUp(base);
    for (let i = 0; i < 5; i++) {
      const { id } = await addWebhook(host, "/raced", ["space.live"]);
      // The test finds the endpoint, the delete removes it, then the test writes its message.
      const [test, del] = await Promise.all([
        api(base, "POST", `/api/webhooks/${id}/test`, { token: host.token }),
        api(base, "DELETE", `/api/webhooks/${id}`, { token: host.token }),
      ]);
      expect(del.status).toBe(200);
      expect([200, 404], JSON.stringify(test.body)).toContain(test.status);
      if (test.status === 404) expect(test.body.error.code).toBe("AMPHI_WEBHOOK_NOT_FOUND");
    }
  });

  it("refuses bad URLs and events with 400 and a machine-readable reason", async () => {
    const host = await signUp(base);
    const refused = async (url: string, events: unknown = ["space.live"]) => {
      const res = await api(base, "POST", "/api/webhooks", {
        token: host.token,
        body: { url, events },
      });
      expect(res.status, `${url} ${JSON.stringify(res.body)}`).toBe(400);
      return res.body.error;
    };
    expect((await refused("ftp://example.com/hook")).code).toBe("AMPHI_VALIDATION_FAILED");
    expect((await refused("not a url")).code).toBe("AMPHI_VALIDATION_FAILED");
    for (const [url, reason] of [
      ["http://hooks.example.com/", "not_https"],
      ["https://10.0.0.7/hook", "private_address"],
      ["https://169.254.169.254/latest/meta-data", "private_address"],
      ["https://[fd00:ec2::254]/", "private_address"],
      ["https://user:pw@203.0.114.1/", "credentials"],
      ["https://no-such-host.invalid/", "unresolvable"],
    ]) {
      const error = await refused(url as string);
      expect(error, url).toMatchObject({
        code: "AMPHI_WEBHOOK_URL_REFUSED",
        details: { reason },
      });
    }
    const badEvent = await refused(`${receiver.url}/x`, ["space.exploded"]);
    expect(badEvent.code).toBe("AMPHI_VALIDATION_FAILED");
    expect(badEvent.details[0].path).toEqual(["body", "events", "0"]);
    expect((await refused(`${receiver.url}/x`, [])).code).toBe("AMPHI_VALIDATION_FAILED");
  });

  it("limits endpoints per account", async () => {
    const host = await signUp(base);
    for (let i = 0; i < 3; i++) await addWebhook(host, `/limit-${i}`, ["space.ended"]);
    const res = await api(base, "POST", "/api/webhooks", {
      token: host.token,
      body: { url: `${receiver.url}/limit-4`, events: ["space.ended"] },
    });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({
      code: "AMPHI_WEBHOOK_LIMIT_REACHED",
      details: { limit: 3 },
    });
  });

  it("keeps one account's webhooks from everyone else", async () => {
    const host = await signUp(base);
    const other = await signUp(base);
    const { id } = await addWebhook(host, "/private", ["space.ended"]);
    expect((await api(base, "GET", "/api/webhooks", { token: other.token })).body.webhooks).toEqual(
      [],
    );
    for (const [method, path] of [
      ["GET", `/api/webhooks/${id}/deliveries`],
      ["POST", `/api/webhooks/${id}/test`],
      ["DELETE", `/api/webhooks/${id}`],
    ] as const) {
      const res = await api(base, method, path, { token: other.token });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.error.code).toBe("AMPHI_WEBHOOK_NOT_FOUND");
      expect((await api(base, method, path)).status).toBe(401);
    }
    expect(receiver.at("/private")).toHaveLength(0);
    expect(
      (await api(base, "GET", "/api/webhooks", { token: host.token })).body.webhooks,
    ).toHaveLength(1);
  });
});
