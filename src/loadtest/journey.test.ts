import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createChallenge, verifySolution } from "altcha-lib";
import { deriveKey } from "altcha-lib/algorithms/sha";
import { Agent } from "undici";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { runHostileClient } from "./hostile-client.ts";
import { type FollowLive, runListenerJourney } from "./journey.ts";
import { StatsAggregate } from "./stats/stats-aggregate.ts";
import { StatsRecorder } from "./stats/stats-recorder.ts";

/**
 * The listener journey against a stub that speaks the admission contract (tickets, queue,
 * ALTCHA challenge, heartbeats) on a loopback port; the challenge is a real ALTCHA v2 one,
 * verified with altcha-lib.
 */
type Handler = (req: IncomingMessage, body: any, res: ServerResponse) => unknown;

let server: Server;
let base: URL;
let handler: Handler;
const seen: Array<{ method: string; path: string; body: any; from: string }> = [];
const secret = "test-secret";

const json = (
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) => {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
};
const error = (code: string) => ({ error: { code, message: code } });

beforeAll(async () => {
  server = createServer(async (req, res) => {
    let text = "";
    for await (const chunk of req) text += chunk;
    const body = text ? JSON.parse(text) : undefined;
    seen.push({
      method: req.method ?? "",
      path: req.url ?? "",
      body,
      from: req.socket.remoteAddress ?? "",
    });
    await handler(req, body, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
afterEach(() => {
  seen.length = 0;
});

/** A stand-in LL-HLS player: fetches the playlist through the client's dispatcher, "plays" parts until stopped. */
function fakeFollow(calls: string[]): FollowLive {
  return async ({ playlistUrl, dispatcher, signal, onPart }) => {
    calls.push(playlistUrl);
    const res = await dispatcher!.request({
      origin: base.origin,
      path: new URL(playlistUrl).pathname,
      method: "GET",
    });
    await res.body.dump();
    let parts = 0;
    while (!signal.aborted && parts < 3) {
      await new Promise((r) => setTimeout(r, 20));
      parts++;
      onPart?.({ msn: 0, part: parts, bytes: 10, at: Date.now(), duration: 0.5 });
    }
    await new Promise<void>((resolve) =>
      signal.addEventListener("abort", () => resolve(), { once: true }),
    );
    return {
      parts,
      bytes: 30,
      errors: 0,
      firstPartMs: 20,
      mediaSeconds: 1.5,
      wallSeconds: 1,
      keepingUp: true,
      stalls: 0,
    };
  };
}

async function journey(options: { runMs: number; follow?: FollowLive; heartbeatSeconds?: number }) {
  const stats = new StatsRecorder(Date.now());
  const agent = new Agent({ localAddress: "127.1.2.3" });
  const calls: string[] = [];
  try {
    const record = await runListenerJourney({
      target: base,
      spaceId: "s1",
      dispatcher: agent,
      follow: options.follow ?? fakeFollow(calls),
      stats,
      signal: AbortSignal.timeout(options.runMs),
      heartbeatSeconds: options.heartbeatSeconds ?? 0.2,
    });
    const total = new StatsAggregate();
    total.merge(stats.drain());
    return { record, total, calls };
  } finally {
    await agent.destroy();
  }
}

describe("the listener journey", () => {
  test("queued, then challenged, solves the ALTCHA challenge, gets a ticket, plays and heartbeats with renewed tickets", async () => {
    let challenge: Awaited<ReturnType<typeof createChallenge>> | undefined;
    let heartbeatCount = 0;
    handler = async (req, body, res) => {
      const path = req.url ?? "";
      if (req.method === "GET" && path === "/api/spaces/s1")
        return json(res, 200, { space: { id: "s1" } });
      if (req.method === "GET" && path === "/api/spaces/s1/challenge") {
        challenge = await createChallenge({
          algorithm: "SHA-256",
          cost: 1,
          counter: 300,
          deriveKey,
          hmacSignatureSecret: secret,
        });
        return json(res, 200, challenge);
      }
      if (req.method === "POST" && path === "/api/spaces/s1/tickets") {
        if (!body?.queueToken) {
          return json(res, 202, {
            queue: {
              token: "q1",
              position: 5,
              estimatedWaitSeconds: 1,
              phase: "queue",
              opensAt: null,
            },
            retryAfter: 0.05,
          });
        }
        if (!body.altcha) return json(res, 428, error("AMPHI_CHALLENGE_REQUIRED"));
        const payload = JSON.parse(Buffer.from(body.altcha, "base64").toString());
        const verdict = await verifySolution({
          challenge: payload.challenge,
          solution: payload.solution,
          deriveKey,
          hmacSignatureSecret: secret,
        });
        if (!verdict.verified) return json(res, 428, error("AMPHI_CHALLENGE_REQUIRED"));
        return json(res, 200, {
          ticket: "t0",
          ticketId: "id",
          playlistUrl: "/hls/s1/index.m3u8",
          expiresAt: "x",
          heartbeatSeconds: 30,
        });
      }
      if (req.method === "POST" && path === "/api/spaces/s1/heartbeat") {
        heartbeatCount++;
        return json(res, 200, {
          listeners: 1,
          ticket: `t${heartbeatCount}`,
          expiresAt: "x",
          heartbeatSeconds: 30,
        });
      }
      if (path.startsWith("/hls/")) {
        res.writeHead(200, { "content-type": "application/vnd.apple.mpegurl" });
        return res.end("#EXTM3U\n");
      }
      json(res, 404, error("AMPHI_NOT_FOUND"));
    };
    const { record, total, calls } = await journey({ runMs: 1500 });

    expect(record).toMatchObject({
      outcome: "queued-then-admitted",
      failure: null,
      positionsSeen: [5],
      errors: [],
      challengesSolved: 1,
    });
    expect(record.arrivalToTicketMs).toBeGreaterThan(0);
    expect(record.arrivalToFirstPartMs).toBeGreaterThan(record.arrivalToTicketMs!);
    expect(record.queuedMs).toBeGreaterThan(0);
    // The playlist address is resolved against the target; the player used the client's pool.
    expect(calls).toEqual([new URL("/hls/s1/index.m3u8", base).href]);
    // Every request came from the client's own source address.
    expect(new Set(seen.map((s) => s.from))).toEqual(new Set(["127.1.2.3"]));
    // Document first, then tickets: plain, with the queue token, then with the solution too.
    const tickets = seen.filter((s) => s.path.endsWith("/tickets")).map((s) => s.body);
    expect(seen[0]!.path).toBe("/api/spaces/s1");
    expect(tickets[0]).toEqual({});
    expect(tickets[1]).toEqual({ queueToken: "q1" });
    expect(tickets[2]).toMatchObject({ queueToken: "q1", altcha: expect.any(String) });
    // Each heartbeat presents the ticket renewed by the previous one.
    const presented = seen.filter((s) => s.path.endsWith("/heartbeat")).map((s) => s.body.ticket);
    expect(presented.length).toBeGreaterThanOrEqual(2);
    expect(presented).toEqual(presented.map((_, i) => `t${i}`));

    expect(total.outcomes).toEqual({ "queued-then-admitted": 1 });
    expect(total.total("arrivals")).toBe(1);
    expect(total.total("admitted")).toBe(1);
    expect(total.total("queuedAnswers")).toBe(1);
    expect(total.total("challengeAnswers")).toBe(1);
    expect(total.total("challengesSolved")).toBe(1);
    expect(total.total("queueEntered")).toBe(1);
    expect(total.total("queueLeft")).toBe(1);
    expect(total.total("listeningStarted")).toBe(1);
    expect(total.total("listeningStopped")).toBe(1);
    expect(total.total("parts")).toBe(3);
    expect(total.total("heartbeats")).toBe(presented.length);
    expect(total.total("errors")).toBe(0);
    expect(total.percentiles("ticketRequest").count).toBe(3);
    expect(total.percentiles("firstPart").count).toBe(1);
    expect(total.percentiles("playlist").count).toBe(1);
    expect(total.percentiles("queuePosition").max).toBe(5);
  });

  test("503 OVERLOADED is counted as an error and retried after Retry-After; a refused heartbeat ticket is replaced", async () => {
    let tickets = 0;
    let heartbeats = 0;
    handler = (req, body, res) => {
      const path = req.url ?? "";
      if (path === "/api/spaces/s1") return json(res, 200, {});
      if (path.endsWith("/tickets")) {
        tickets++;
        if (tickets === 1) return json(res, 503, error("AMPHI_OVERLOADED"), { "retry-after": "0" });
        return json(res, 200, {
          ticket: `T${tickets}`,
          playlistUrl: "/hls/s1/index.m3u8",
          heartbeatSeconds: 30,
        });
      }
      if (path.endsWith("/heartbeat")) {
        heartbeats++;
        if (body.ticket === "T2") return json(res, 401, error("AMPHI_TICKET_INVALID"));
        return json(res, 200, { ticket: body.ticket, heartbeatSeconds: 30 });
      }
      res.writeHead(200).end("#EXTM3U\n");
    };
    const { record, total } = await journey({ runMs: 1200 });
    expect(record.outcome).toBe("admitted");
    expect(record.errors).toEqual(["503 AMPHI_OVERLOADED"]);
    expect(total.errors).toEqual({ "503 AMPHI_OVERLOADED": 1 });
    expect(total.total("overloadedAnswers")).toBe(1);
    expect(total.total("ticketsReinstated")).toBe(1);
    expect(total.total("listenersWithErrors")).toBe(1);
    // The replacement ticket (T3) is the one heartbeating afterwards.
    const presented = seen.filter((s) => s.path.endsWith("/heartbeat")).map((s) => s.body.ticket);
    expect(presented[0]).toBe("T2");
    expect(presented.slice(1).every((t) => t === "T3")).toBe(true);
    expect(heartbeats).toBeGreaterThanOrEqual(2);
  });

  test("a Space that does not exist ends the journey in error with status and code", async () => {
    handler = (_req, _body, res) => json(res, 404, error("AMPHI_SPACE_NOT_FOUND"));
    const { record, total } = await journey({ runMs: 2000 });
    expect(record).toMatchObject({ outcome: "error", failure: "404 AMPHI_SPACE_NOT_FOUND" });
    expect(total.outcomes).toEqual({ error: 1 });
    expect(total.errors).toEqual({ "404 AMPHI_SPACE_NOT_FOUND": 1 });
    expect(total.total("admitted")).toBe(0);
  });

  test("a 5xx from the player's requests counts as an error (hls STATUS)", async () => {
    handler = (req, _body, res) => {
      const path = req.url ?? "";
      if (path === "/api/spaces/s1") return json(res, 200, {});
      if (path.endsWith("/tickets"))
        return json(res, 200, {
          ticket: "t",
          playlistUrl: "/hls/s1/index.m3u8",
          heartbeatSeconds: 30,
        });
      if (path.endsWith("/heartbeat")) return json(res, 200, { ticket: "t", heartbeatSeconds: 30 });
      json(res, 502, "bad gateway");
    };
    const { record, total } = await journey({ runMs: 600, heartbeatSeconds: 10 });
    expect(record.outcome).toBe("admitted");
    expect(record.errors).toEqual(["hls 502"]);
    expect(total.errors).toEqual({ "hls 502": 1 });
    expect(total.total("listenersWithErrors")).toBe(1);
  });

  test("a server answering 202 forever leaves the listener still queued when the run ends", async () => {
    handler = (req, _body, res) => {
      if (req.url === "/api/spaces/s1") return json(res, 200, {});
      json(res, 202, {
        queue: {
          token: "q",
          position: 1000,
          estimatedWaitSeconds: 60,
          phase: "queue",
          opensAt: null,
        },
        retryAfter: 0.1,
      });
    };
    const { record, total } = await journey({ runMs: 700 });
    expect(record.outcome).toBe("still-queued");
    expect(record.positionsSeen.length).toBeGreaterThan(2);
    expect(total.total("queueEntered")).toBe(1);
    expect(total.total("queueLeft")).toBe(1);
    expect(total.total("errors")).toBe(0);
  });
});

describe("the hostile client", () => {
  test("hammers tickets and the document at its pace, never solving, and counts what it is answered", async () => {
    handler = (req, _body, res) => {
      if (req.url?.endsWith("/tickets")) return json(res, 428, error("AMPHI_CHALLENGE_REQUIRED"));
      json(res, 200, {});
    };
    const stats = new StatsRecorder(Date.now());
    const agent = new Agent({ localAddress: "127.64.9.9" });
    await runHostileClient({
      target: base,
      spaceId: "s1",
      dispatcher: agent,
      stats,
      signal: AbortSignal.timeout(1000),
      requestsPerSecond: 10,
    });
    await agent.destroy();
    const total = new StatsAggregate();
    total.merge(stats.drain());
    const requests = total.total("hostileRequests");
    expect(requests).toBeGreaterThanOrEqual(5);
    expect(requests).toBeLessThanOrEqual(12);
    expect(total.hostileAnswers["ticket 428 AMPHI_CHALLENGE_REQUIRED"]).toBeGreaterThan(0);
    expect(total.hostileAnswers["document 200"]).toBeGreaterThan(0);
    expect(seen.every((s) => s.from === "127.64.9.9" && !s.body?.altcha)).toBe(true);
    expect(total.total("arrivals")).toBe(0);
  });
});
