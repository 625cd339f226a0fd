import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseTicketKeys } from "../../src/admission/ticket-keys.ts";
import { TicketSigner } from "../../src/admission/ticket-signer.ts";
import {
  type ApiAnswer,
  api,
  signUp,
  startTestServer,
  type TestAccount,
  type TestServer,
} from "../support/amphi-test-server.ts";
import { LiveClient } from "../support/live-client.ts";

/**
 * Reactions from listeners who are not logged in: `POST /api/spaces/:id/reactions` with the
 * listener ticket in the body, limited per ticket and per address.
 */

const ticketKeys = "test:0123456789abcdef0123456789abcdef";
const perTicket = 5;
const perAddress = 8;

let server: TestServer;
let base: string;
let host: TestAccount;

beforeAll(async () => {
  // Loopback stays exempt from network limits (as in every test server); the per-address
  // tests come from other addresses, told by X-Forwarded-For (TRUST_PROXY=loopback).
  server = await startTestServer({
    ticketKeys,
    reactionsPerTicket: perTicket,
    reactionsPerAddress: perAddress,
  });
  base = server.url;
  host = await signUp(base);
});
afterAll(async () => {
  await server?.close();
});

async function liveSpace(): Promise<string> {
  const res = await api(base, "POST", "/api/spaces", {
    token: host.token,
    body: { title: "Reactions", startNow: true },
  });
  expect(res.status).toBe(201);
  return res.body.space.id as string;
}

async function ticketFor(
  spaceId: string,
  options: { from?: string; token?: string } = {},
): Promise<string> {
  const res = await api(base, "POST", `/api/spaces/${spaceId}/tickets`, {
    token: options.token,
    body: {},
    headers: options.from ? { "x-forwarded-for": options.from } : {},
  });
  expect(res.status).toBe(200);
  return res.body.ticket as string;
}

function react(
  spaceId: string,
  body: Record<string, unknown>,
  options: { from?: string; token?: string } = {},
): Promise<ApiAnswer> {
  return api(base, "POST", `/api/spaces/${spaceId}/reactions`, {
    token: options.token,
    body,
    headers: options.from ? { "x-forwarded-for": options.from } : {},
  });
}

const statuses = (answers: ApiAnswer[]) => answers.map((a) => a.status).sort();

describe("reactions with a listener ticket", () => {
  it("accepts a valid ticket (202) and the reaction reaches the room without a handle", async () => {
    const id = await liveSpace();
    const hostLive = await LiveClient.connect(base, id, host.token);
    await hostLive.next((m) => m.type === "space");
    const ticket = await ticketFor(id);

    const res = await react(id, { emoji: "🔥", ticket });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ ok: true });
    const batch = await hostLive.next((m) => m.type === "reactions");
    expect(batch.counts["🔥"]).toBe(1);
    expect(batch.samples).toEqual([{ emoji: "🔥", handle: null }]);
    hostLive.close();
  });

  it("refuses a forged, foreign or expired ticket with 401 AMPHI_TICKET_INVALID", async () => {
    const id = await liveSpace();
    const other = await liveSpace();
    const ticket = await ticketFor(id);
    const [head, claims] = ticket.split(".");
    const forged = `${head}.${claims}.${"A".repeat(43)}`;
    const foreign = await ticketFor(other);
    // Signed with the server's own key, but expired an hour ago.
    const signer = new TicketSigner(parseTicketKeys(ticketKeys), 900);
    const expired = signer.issueTicket(id, null, Date.now() - 3_600_000).token;

    for (const bad of [forged, foreign, expired, "not-a-ticket"]) {
      const res = await react(id, { emoji: "👏", ticket: bad });
      expect(res.status, bad).toBe(401);
      expect(res.body.error.code).toBe("AMPHI_TICKET_INVALID");
    }
    // The same key's fresh ticket is accepted: the expired one failed on its expiry alone.
    const fresh = signer.issueTicket(id, null).token;
    expect((await react(id, { emoji: "👏", ticket: fresh })).status).toBe(202);
  });

  it("still answers 401 AMPHI_UNAUTHENTICATED with neither a session nor a ticket", async () => {
    const id = await liveSpace();
    const res = await react(id, { emoji: "👏" });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("AMPHI_UNAUTHENTICATED");
  });

  it("rejects a malformed ticket field with 400", async () => {
    const id = await liveSpace();
    const res = await react(id, { emoji: "👏", ticket: "" });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("AMPHI_VALIDATION_FAILED");
  });

  it("limits each ticket: 429 AMPHI_RATE_LIMITED with Retry-After past the per-ticket rate", async () => {
    const id = await liveSpace();
    const ticket = await ticketFor(id);
    const answers = await Promise.all(
      Array.from({ length: perTicket + 4 }, () => react(id, { emoji: "😂", ticket })),
    );
    expect(statuses(answers)).toEqual([...Array(perTicket).fill(202), ...Array(4).fill(429)]);
    const limited = answers.find((a) => a.status === 429)!;
    expect(limited.body.error.code).toBe("AMPHI_RATE_LIMITED");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    // Another listener's ticket has its own budget.
    expect((await react(id, { emoji: "😂", ticket: await ticketFor(id) })).status).toBe(202);
  });

  it("limits each address across its tickets, and other addresses keep theirs", async () => {
    const id = await liveSpace();
    const from = "203.0.113.7";
    const [a, b] = [await ticketFor(id, { from }), await ticketFor(id, { from })];
    const answers = await Promise.all([
      ...Array.from({ length: perTicket }, () => react(id, { emoji: "❤️", ticket: a }, { from })),
      ...Array.from({ length: perTicket }, () => react(id, { emoji: "❤️", ticket: b }, { from })),
    ]);
    expect(statuses(answers)).toEqual([
      ...Array(perAddress).fill(202),
      ...Array(2 * perTicket - perAddress).fill(429),
    ]);
    const limited = answers.find((a) => a.status === 429)!;
    expect(limited.body.error.code).toBe("AMPHI_RATE_LIMITED");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);

    const elsewhere = "198.51.100.20";
    const c = await ticketFor(id, { from: elsewhere });
    expect((await react(id, { emoji: "❤️", ticket: c }, { from: elsewhere })).status).toBe(202);
  });

  it("refuses a removed person's ticket with 403, session or not", async () => {
    const id = await liveSpace();
    const troll = await signUp(base);
    const ticket = await ticketFor(id, { token: troll.token });
    const removed = await api(
      base,
      "POST",
      `/api/spaces/${id}/participants/${troll.handle}/remove`,
      {
        token: host.token,
      },
    );
    expect(removed.status).toBe(200);
    const withSession = await react(id, { emoji: "🔥", ticket }, { token: troll.token });
    const withTicketOnly = await react(id, { emoji: "🔥", ticket });
    for (const res of [withSession, withTicketOnly]) {
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe("AMPHI_REMOVED_FROM_SPACE");
    }
  });

  it("refuses reactions once the Space has ended (409), ticket or not", async () => {
    const id = await liveSpace();
    const ticket = await ticketFor(id);
    const end = await api(base, "POST", `/api/spaces/${id}/end`, { token: host.token });
    expect(end.status).toBe(200);
    const res = await react(id, { emoji: "🔥", ticket });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("AMPHI_SPACE_NOT_LIVE");
  });
});
