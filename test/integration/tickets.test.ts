import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { z } from "zod";
import {
  heartbeatSchema,
  queueAnswerSchema,
  ticketSchema,
} from "../../src/contracts/listening-contracts.ts";
import { api, signUp, startTestServer, type TestServer } from "../support/amphi-test-server.ts";
import { LiveClient } from "../support/live-client.ts";
import { signedHlsPath } from "../support/signed-hls.ts";

/**
 * The join routes send their answers without the zod serializer (ticket-routes.ts): the
 * answers must still be exactly what their schemas (and the OpenAPI document) say, with no
 * field missing, mistyped or extra.
 */
function expectSchema(schema: z.ZodType, body: unknown) {
  const parsed = schema.safeParse(body);
  expect(parsed.error).toBeUndefined();
  expect(parsed.data).toStrictEqual(body);
}

async function liveSpace(base: string, token: string, extra: Record<string, unknown> = {}) {
  const res = await api(base, "POST", "/api/spaces", {
    token,
    body: { title: "Launch night", startNow: true, ...extra },
  });
  expect(res.status).toBe(201);
  return res.body.space.id as string;
}

const ticket = (base: string, id: string, body: unknown = {}, token?: string) =>
  api(base, "POST", `/api/spaces/${id}/tickets`, { body, token });

describe("joining a Space with a ticket", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  test("an anonymous listener gets a signed ticket and the playlist, and is counted", async () => {
    const host = await signUp(server.url);
    const id = await liveSpace(server.url, host.token);
    const res = await ticket(server.url, id);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    expect(res.body).toMatchObject({
      playlistUrl: signedHlsPath(id),
      heartbeatSeconds: 30,
      ticket: expect.stringMatching(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/),
    });
    expect(Date.parse(res.body.expiresAt)).toBeGreaterThan(Date.now());
    expectSchema(ticketSchema, res.body);
    const header = JSON.parse(Buffer.from(res.body.ticket.split(".")[0], "base64url").toString());
    expect(header).toMatchObject({ alg: "HS256", kid: expect.stringMatching(/^local-/) });

    const beat = await api(server.url, "POST", `/api/spaces/${id}/heartbeat`, {
      body: { ticket: res.body.ticket },
    });
    expect(beat.status).toBe(200);
    expect(beat.body).toMatchObject({ listeners: 1, heartbeatSeconds: 30 });
    // The playlist signed for the current window: the player moves its requests to it.
    expect(beat.body.playlistUrl).toBe(signedHlsPath(id));
    expectSchema(heartbeatSchema, beat.body);
    expect(Date.parse(beat.body.expiresAt)).toBeGreaterThanOrEqual(Date.parse(res.body.expiresAt));
    const again = await api(server.url, "POST", `/api/spaces/${id}/heartbeat`, {
      body: { ticket: beat.body.ticket },
    });
    expect(again.body.listeners).toBe(1);
    const doc = await api(server.url, "GET", `/api/spaces/${id}`);
    expect(doc.body.space.counts.listeners).toBe(1);
  });

  test("a heartbeat with a forged, foreign or missing ticket is refused with a code", async () => {
    const host = await signUp(server.url);
    const a = await liveSpace(server.url, host.token);
    const b = await liveSpace(server.url, host.token);
    const good = (await ticket(server.url, a)).body.ticket as string;
    const beat = (id: string, body: unknown) =>
      api(server.url, "POST", `/api/spaces/${id}/heartbeat`, { body });
    expect((await beat(b, { ticket: good })).body.error.code).toBe("AMPHI_TICKET_INVALID");
    expect((await beat(a, { ticket: `${good.slice(0, -3)}abc` })).status).toBe(401);
    expect((await beat(a, {})).body.error.code).toBe("AMPHI_VALIDATION_FAILED");
  });

  test("a Space that requires login refuses anonymous listeners and admits logged-in ones", async () => {
    const host = await signUp(server.url);
    const id = await liveSpace(server.url, host.token, { requireLogin: true });
    expect((await api(server.url, "GET", `/api/spaces/${id}`)).body.space.requireLogin).toBe(true);
    const anonymous = await ticket(server.url, id);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error).toMatchObject({ code: "AMPHI_UNAUTHENTICATED" });
    const listener = await signUp(server.url);
    expect((await ticket(server.url, id, {}, listener.token)).status).toBe(200);
  });

  test("unknown, ended and far-future Spaces answer with explained errors", async () => {
    const host = await signUp(server.url);
    expect((await ticket(server.url, "nope")).body.error.code).toBe("AMPHI_SPACE_NOT_FOUND");
    const id = await liveSpace(server.url, host.token);
    await api(server.url, "POST", `/api/spaces/${id}/end`, { token: host.token });
    const ended = await ticket(server.url, id);
    expect([ended.status, ended.body.error.code]).toEqual([409, "AMPHI_SPACE_ENDED"]);
    const later = new Date(Date.now() + 3 * 3600_000).toISOString();
    const scheduled = await api(server.url, "POST", "/api/spaces", {
      token: host.token,
      body: { title: "Tomorrow", scheduledFor: later },
    });
    const early = await ticket(server.url, scheduled.body.space.id);
    expect([early.status, early.body.error.code]).toEqual([409, "AMPHI_SPACE_NOT_LIVE"]);
    expect(Date.parse(early.body.error.details.opensAt)).toBe(Date.parse(later) - 30 * 60_000);
  });

  test("bad bodies are refused at the edge and an empty POST is fine", async () => {
    const host = await signUp(server.url);
    const id = await liveSpace(server.url, host.token);
    const wrong = await ticket(server.url, id, { queueToken: 42 });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.details[0].path).toContain("queueToken");
    const empty = await fetch(`${server.url}/api/spaces/${id}/tickets`, { method: "POST" });
    expect([empty.status, await empty.text()]).toEqual([200, expect.any(String)]);
    // A token from nowhere is no place in line: the client simply joins.
    expect((await ticket(server.url, id, { queueToken: "x.y.z" })).status).toBe(200);
  });

  test("when the Space ends, its peak and total listeners come with the ended document itself", async () => {
    const host = await signUp(server.url);
    const id = await liveSpace(server.url, host.token);
    for (let i = 0; i < 3; i++) expect((await ticket(server.url, id)).status).toBe(200);
    // The count refreshes once a second; reading the document samples the peak.
    await new Promise((r) => setTimeout(r, 1_100));
    expect((await api(server.url, "GET", `/api/spaces/${id}`)).body.space.counts.listeners).toBe(3);
    const live = await LiveClient.connect(server.url, id, host.token);
    try {
      const ended = await api(server.url, "POST", `/api/spaces/${id}/end`, { token: host.token });
      const figures = { peakListeners: 3, uniqueListeners: 3 };
      expect(ended.body.space).toMatchObject({ state: "ended", audience: figures });
      // The first push of the end carries them: the page needs no reload to show them.
      const pushed = await live.next((m) => m.type === "space" && m.space.state === "ended");
      expect(pushed.space.audience).toEqual(figures);
      expect((await api(server.url, "GET", `/api/spaces/${id}`)).body.space.audience).toEqual(
        figures,
      );
    } finally {
      live.close();
    }
  });
});

describe("the admission gate over HTTP", () => {
  let server: TestServer;
  beforeAll(async () => {
    // One listener per 100 s: everyone after the first waits in line. (At such a rate any
    // crowd looks like an attack; attack mode has tests of its own.)
    server = await startTestServer({ admitRatePerSecond: 0.01, attackMode: "off" });
  });
  afterAll(() => server.close());

  test("past the admit rate, arrivals get a place in line with Retry-After, and keep it", async () => {
    const host = await signUp(server.url);
    const id = await liveSpace(server.url, host.token);
    expect((await ticket(server.url, id)).status).toBe(200);
    const first = await ticket(server.url, id);
    expect(first.status).toBe(202);
    expect(first.body.queue).toMatchObject({ position: 1, phase: "queue" });
    expect(first.body.queue.estimatedWaitSeconds).toBeGreaterThan(0);
    expect(Number(first.headers.get("retry-after"))).toBe(first.body.retryAfter);
    expect(first.body.retryAfter).toBeGreaterThanOrEqual(1);
    expect(first.body.retryAfter).toBeLessThanOrEqual(30);
    expectSchema(queueAnswerSchema, first.body);
    const second = await ticket(server.url, id);
    expect(second.body.queue.position).toBe(2);
    // Coming back with the token: same place, same token.
    const back = await ticket(server.url, id, { queueToken: first.body.queue.token });
    expect(back.body.queue).toMatchObject({ position: 1, token: first.body.queue.token });
    // A token for another Space's line counts for nothing here.
    const other = await liveSpace(server.url, host.token);
    expect((await ticket(server.url, other)).status).toBe(200);
    const elsewhere = await ticket(server.url, other, { queueToken: second.body.queue.token });
    expect(elsewhere.body.queue.position).toBe(1);
  });

  test("before a scheduled start, arrivals wait in the pre-queue and are drawn in at go-live", async () => {
    const host = await signUp(server.url);
    const soon = new Date(Date.now() + 10 * 60_000).toISOString();
    const created = await api(server.url, "POST", "/api/spaces", {
      token: host.token,
      body: { title: "Soon", scheduledFor: soon },
    });
    const id = created.body.space.id as string;
    const places: {
      token: string;
      phase: string;
      position: number;
      estimatedWaitSeconds: number;
      opensAt: string;
    }[] = [];
    for (let i = 0; i < 3; i++) places.push((await ticket(server.url, id)).body.queue);
    // Clients come back with their token (every Retry-After) while they wait.
    for (const q of places) await ticket(server.url, id, { queueToken: q.token });
    expect(places.map((q) => [q.phase, q.position])).toEqual([
      ["pre-queue", 1],
      ["pre-queue", 2],
      ["pre-queue", 3],
    ]);
    expect(places[2]!.estimatedWaitSeconds).toBeGreaterThanOrEqual(9 * 60);
    expect(places[2]!.opensAt).toBe(soon);
    for (const queue of places) expectSchema(queueAnswerSchema.shape.queue, queue);
    expect(
      (await api(server.url, "POST", `/api/spaces/${id}/start`, { token: host.token })).status,
    ).toBe(200);
    // At go-live one token exists: exactly one of the three gets in, the others hold 1 and 2.
    await expect
      .poll(async () => {
        const answers = await Promise.all(
          places.map((q) => ticket(server.url, id, { queueToken: q.token })),
        );
        return answers.map((a) => (a.status === 200 ? 0 : a.body.queue.position)).sort();
      })
      .toEqual([0, 1, 2]);
  });
});
