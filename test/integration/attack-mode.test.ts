import { request as httpRequest } from "node:http";
import { type Challenge, solveChallenge } from "altcha-lib";
import { deriveKey } from "altcha-lib/algorithms/pbkdf2";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { api, signUp, startTestServer, type TestServer } from "../support/amphi-test-server.ts";

const opsToken = "operator-token-0123456789";

/** A ticket request from a chosen loopback source address (127.x.y.z all reach the server). */
function ticketFrom(
  base: string,
  spaceId: string,
  localAddress: string,
  body: Record<string, unknown> = {},
): Promise<{ status: number; body: any; retryAfter: string | undefined }> {
  const url = new URL(`${base}/api/spaces/${spaceId}/tickets`);
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: "POST",
        localAddress,
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(payload),
        },
      },
      (res) => {
        let text = "";
        res.on("data", (chunk) => {
          text += chunk;
        });
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            body: JSON.parse(text),
            retryAfter: res.headers["retry-after"] as string | undefined,
          }),
        );
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

async function solvedPayload(base: string, spaceId: string): Promise<string> {
  const res = await api(base, "GET", `/api/spaces/${spaceId}/challenge`);
  expect(res.status).toBe(200);
  expect(res.headers.get("cache-control")).toBe("no-store");
  const challenge = res.body as Challenge;
  const solution = await solveChallenge({ challenge, deriveKey });
  return Buffer.from(JSON.stringify({ challenge, solution })).toString("base64");
}

async function liveSpace(base: string): Promise<string> {
  const host = await signUp(base);
  const res = await api(base, "POST", "/api/spaces", {
    token: host.token,
    body: { title: "Under attack", startNow: true },
  });
  return res.body.space.id as string;
}

describe("network limits on joining", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      networkLimitExempt: "",
      ticketsPerAddress: 3,
      ticketsPerPrefix: 5,
      ticketLimitWindowSeconds: 60,
      attackMode: "off",
    });
  });
  afterAll(() => server.close());

  test("one address is cut off with 429 + Retry-After while its neighbours still join", async () => {
    const id = await liveSpace(server.url);
    const fromOne = [];
    for (let i = 0; i < 4; i++) fromOne.push(await ticketFrom(server.url, id, "127.0.1.1"));
    expect(fromOne.map((r) => r.status)).toEqual([200, 200, 200, 429]);
    expect(fromOne[3]?.body.error.code).toBe("AMPHI_RATE_LIMITED");
    expect(Number(fromOne[3]?.retryAfter)).toBeGreaterThanOrEqual(1);
    // Another address in the same /24 still gets in...
    expect((await ticketFrom(server.url, id, "127.0.1.2")).status).toBe(200);
    expect((await ticketFrom(server.url, id, "127.0.1.3")).status).toBe(200);
    // ...until the /24 as a whole is spent; another /24 is untouched.
    expect((await ticketFrom(server.url, id, "127.0.1.4")).status).toBe(429);
    expect((await ticketFrom(server.url, id, "127.0.2.1")).status).toBe(200);
  });
});

describe("attack mode", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      opsToken,
      // Small and easy: the test solves challenges in Node.
      altchaMaxNumber: 500,
      // One admitted per 5 s: the seconds a busy machine spends solving challenges between
      // two requests do not refill the bucket.
      admitRatePerSecond: 0.2,
      attackArrivalsMultiple: 3,
    });
  });
  afterAll(() => server.close());

  const setMode = (mode: string, token = opsToken) =>
    api(server.url, "PUT", "/api/admin/attack-mode", {
      body: { mode },
      headers: { authorization: `Bearer ${token}` },
    });

  test("only the operator token may switch it", async () => {
    expect((await setMode("on", "wrong-token-but-long-enough")).status).toBe(403);
    expect((await api(server.url, "GET", "/api/admin/attack-mode")).status).toBe(403);
  });

  test("forced on, a ticket needs a solved challenge, once; back to auto, it does not", async () => {
    const id = await liveSpace(server.url);
    const on = await setMode("on");
    expect(on.body).toMatchObject({ mode: "on", active: true });
    const bare = await api(server.url, "POST", `/api/spaces/${id}/tickets`, { body: {} });
    expect(bare.status).toBe(428);
    expect(bare.body.error).toMatchObject({
      code: "AMPHI_CHALLENGE_REQUIRED",
      details: { challengeUrl: `/api/spaces/${id}/challenge` },
    });
    const altcha = await solvedPayload(server.url, id);
    const solved = await api(server.url, "POST", `/api/spaces/${id}/tickets`, { body: { altcha } });
    expect(solved.status).toBe(200);
    const replay = await api(server.url, "POST", `/api/spaces/${id}/tickets`, { body: { altcha } });
    expect(replay.status).toBe(428);
    // A solution for another Space does not open this one.
    const other = await liveSpace(server.url);
    const foreign = await solvedPayload(server.url, other);
    const wrong = await api(server.url, "POST", `/api/spaces/${id}/tickets`, {
      body: { altcha: foreign },
    });
    expect(wrong.status).toBe(428);

    expect((await setMode("off")).body).toMatchObject({ mode: "off", active: false });
    expect((await api(server.url, "POST", `/api/spaces/${id}/tickets`, { body: {} })).status).toBe(
      202,
    );
  });

  test("in auto mode a surge of arrivals far above the admit rate switches it on by itself", async () => {
    await setMode("auto");
    const id = await liveSpace(server.url);
    const answers = [];
    // 0.2 admitted per second, attack above 3x that over the 10 s window: 60 arrivals at once.
    for (let i = 0; i < 60; i++) {
      answers.push(
        (await api(server.url, "POST", `/api/spaces/${id}/tickets`, { body: {} })).status,
      );
    }
    expect(answers).toContain(428);
    expect(answers.every((s) => [200, 202, 428].includes(s))).toBe(true);
    const status = await api(server.url, "GET", "/api/admin/attack-mode", {
      headers: { authorization: `Bearer ${opsToken}` },
    });
    expect(status.body).toMatchObject({ mode: "auto", active: true, reason: expect.any(String) });
    await setMode("off");
  });
});
