import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ApiAnswer,
  api,
  signUp,
  startTestServer,
  type TestAccount,
  type TestServer,
} from "../support/amphi-test-server.ts";

/**
 * A host blocks someone from their Spaces: no ticket (nor renewal), no request to speak, no
 * reaction in any Space they host (403 AMPHI_BLOCKED_BY_HOST), removed from the stage where
 * they were; other hosts' Spaces are not concerned; unblocking lets them back into new Spaces.
 */
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server?.close();
});

const call = (method: string, path: string, who?: TestAccount, body?: unknown) =>
  api(server.url, method, path, { token: who?.token, body });

async function liveSpace(host: TestAccount, title: string): Promise<string> {
  const res = await call("POST", "/api/spaces", host, { title, startNow: true });
  expect(res.status).toBe(201);
  return res.body.space.id;
}

function expectBlocked(res: ApiAnswer, what: string): void {
  expect(res.status, what).toBe(403);
  expect(res.body.error.code, what).toBe("AMPHI_BLOCKED_BY_HOST");
}

describe("blocking someone from your Spaces", () => {
  it("takes away their ticket, stage and reactions in every Space of the host, and only there", async () => {
    const host = await signUp(server.url);
    const guest = await signUp(server.url);
    const otherHost = await signUp(server.url);
    const id = await liveSpace(host, "Blocking");
    await call("POST", `/api/spaces/${id}/invitations`, host, {
      handle: guest.handle,
      role: "speaker",
    });
    expect((await call("POST", `/api/spaces/${id}/invitations/me/accept`, guest)).status).toBe(200);
    const before = await call("POST", `/api/spaces/${id}/tickets`, guest, {});
    expect(before.status).toBe(200);

    const blocked = await call("PUT", `/api/accounts/me/blocks/${guest.handle}`, host);
    expect(blocked.status).toBe(200);
    expect(blocked.body.block).toMatchObject({
      account: { id: guest.id, handle: guest.handle },
      blockedAt: expect.any(String),
    });
    const list = await call("GET", "/api/accounts/me/blocks", host);
    expect(list.body.blocks.map((b: { account: { handle: string } }) => b.account.handle)).toEqual([
      guest.handle,
    ]);

    // Off the stage at once.
    const doc = await call("GET", `/api/spaces/${id}`);
    const onStage = JSON.stringify(doc.body.space);
    expect(onStage).not.toContain(guest.handle);
    const me = await call("GET", `/api/spaces/${id}/me`, guest);
    expect(me.body.me.canRequestToSpeak).toBe(false);

    // No ticket, no renewal, no request, no reaction.
    await expect
      .poll(
        async () => (await call("POST", `/api/spaces/${id}/tickets`, guest, {})).body.error?.code,
      )
      .toBe("AMPHI_BLOCKED_BY_HOST");
    expectBlocked(
      await call("POST", `/api/spaces/${id}/heartbeat`, undefined, { ticket: before.body.ticket }),
      "heartbeat",
    );
    expectBlocked(await call("POST", `/api/spaces/${id}/requests`, guest), "request");
    expectBlocked(
      await call("POST", `/api/spaces/${id}/reactions`, guest, { emoji: "🔥" }),
      "reaction",
    );

    // The host's next Space too, from its first ticket; another host's Space is theirs.
    const next = await liveSpace(host, "Next one");
    expectBlocked(await call("POST", `/api/spaces/${next}/tickets`, guest, {}), "next ticket");
    expectBlocked(await call("POST", `/api/spaces/${next}/requests`, guest), "next request");
    const elsewhere = await liveSpace(otherHost, "Elsewhere");
    expect((await call("POST", `/api/spaces/${elsewhere}/tickets`, guest, {})).status).toBe(200);
    expect((await call("POST", `/api/spaces/${elsewhere}/requests`, guest)).status).toBe(200);

    // Unblocked: back in (the Space they were removed from keeps its removal).
    expect((await call("DELETE", `/api/accounts/me/blocks/${guest.handle}`, host)).status).toBe(
      204,
    );
    await expect
      .poll(async () => (await call("POST", `/api/spaces/${next}/tickets`, guest, {})).status)
      .toBe(200);
    expect((await call("POST", `/api/spaces/${next}/requests`, guest)).status).toBe(200);
    expect((await call("GET", "/api/accounts/me/blocks", host)).body.blocks).toEqual([]);
  });

  it("refuses blocking yourself or nobody, and asks who you are", async () => {
    const host = await signUp(server.url);
    const self = await call("PUT", `/api/accounts/me/blocks/${host.handle}`, host);
    expect(self.status).toBe(409);
    expect(self.body.error.code).toBe("AMPHI_CANNOT_BLOCK_SELF");
    const nobody = await call("PUT", "/api/accounts/me/blocks/nobody_here_at_all", host);
    expect(nobody.status).toBe(404);
    expect(nobody.body.error.code).toBe("AMPHI_ACCOUNT_NOT_FOUND");
    expect((await call("GET", "/api/accounts/me/blocks")).status).toBe(401);
    // Blocking twice keeps one block.
    const other = await signUp(server.url);
    await call("PUT", `/api/accounts/me/blocks/${other.handle}`, host);
    await call("PUT", `/api/accounts/me/blocks/${other.handle}`, host);
    expect((await call("GET", "/api/accounts/me/blocks", host)).body.blocks).toHaveLength(1);
  });
});
