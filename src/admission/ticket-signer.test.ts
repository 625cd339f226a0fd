import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jwtVerify, SignJWT } from "jose";
import { afterAll, describe, expect, it } from "vitest";
import { loadTicketKeys, parseTicketKeys } from "./ticket-keys.ts";
import { TicketSigner } from "./ticket-signer.ts";

const secret = "s".repeat(32);
const keys = parseTicketKeys(`k2:${"n".repeat(32)},k1:${secret}`);

describe("ticket signer", () => {
  it("issues a ticket that verifies with its claims until it expires", async () => {
    const signer = new TicketSigner(keys, 60);
    const { token, claims } = await signer.issueTicket("space-1", null, 1_000_000);
    expect(claims).toMatchObject({ spaceId: "space-1", accountId: null });
    expect(claims.expiresAt.getTime()).toBe(1_060_000);
    expect(await signer.verifyTicket(token, 1_030_000)).toEqual(claims);
    expect(await signer.verifyTicket(token, 1_061_000)).toBeNull();
  });

  it("renews a ticket under the same id with a later expiry", async () => {
    const signer = new TicketSigner(keys, 60);
    const first = await signer.issueTicket("space-1", "acc-1", 1_000_000);
    const renewed = await signer.renewTicket(first.claims, 1_050_000);
    expect(renewed.claims.ticketId).toBe(first.claims.ticketId);
    expect(await signer.verifyTicket(renewed.token, 1_100_000)).toMatchObject({
      accountId: "acc-1",
      ticketId: first.claims.ticketId,
    });
  });

  it("rejects forged, tampered, foreign-key and wrong-kind tokens without throwing", async () => {
    const signer = new TicketSigner(keys, 60);
    const { token } = await signer.issueTicket("space-1", null);
    const [h, p, s] = token.split(".");
    const other = new TicketSigner(parseTicketKeys(`k2:${"x".repeat(32)}`), 60);
    const queue = await signer.issueQueueToken({ spaceId: "space-1", entryId: "e1" });
    for (const bad of [
      "",
      "not.a.jwt",
      `${h}.${p}.${s?.slice(0, -2)}AA`,
      `${h}.${Buffer.from('{"spc":"space-2","jti":"x","aud":"amphi:listener-ticket"}').toString("base64url")}.${s}`,
      (await other.issueTicket("space-1", null)).token,
      queue,
    ]) {
      expect(await signer.verifyTicket(bad)).toBeNull();
    }
    expect(await signer.verifyQueueToken(token)).toBeNull();
    expect(await signer.verifyQueueToken(queue)).toEqual({ spaceId: "space-1", entryId: "e1" });
  });

  it("mints standard JWTs that jose verifies, and accepts tickets jose signs", async () => {
    const signer = new TicketSigner(keys, 60);
    const { token, claims } = await signer.issueTicket("space-1", "acc-1");
    const { payload, protectedHeader } = await jwtVerify(token, keys[0]!.secret, {
      audience: "amphi:listener-ticket",
      algorithms: ["HS256"],
    });
    expect(protectedHeader).toMatchObject({ alg: "HS256", kid: "k2" });
    expect(payload).toMatchObject({ spc: "space-1", sub: "acc-1", jti: claims.ticketId });
    const byJose = await new SignJWT({ spc: "space-9" })
      .setProtectedHeader({ alg: "HS256", kid: "k1" })
      .setJti("t-1")
      .setAudience("amphi:listener-ticket")
      .setExpirationTime("1m")
      .sign(new TextEncoder().encode(secret));
    expect(await signer.verifyTicket(byJose)).toMatchObject({
      spaceId: "space-9",
      ticketId: "t-1",
    });
  });

  it("refuses a token whose header names another algorithm or no key", async () => {
    const signer = new TicketSigner(keys, 60);
    const { token } = await signer.issueTicket("space-1", null);
    const [, p, s] = token.split(".");
    const none = Buffer.from('{"alg":"none","kid":"k2"}').toString("base64url");
    const noKid = Buffer.from('{"alg":"HS256"}').toString("base64url");
    expect(await signer.verifyTicket(`${none}.${p}.`)).toBeNull();
    expect(await signer.verifyTicket(`${noKid}.${p}.${s}`)).toBeNull();
  });

  it("keeps verifying tickets signed with an older key after rotation", async () => {
    const old = new TicketSigner(parseTicketKeys(`k1:${secret}`), 60);
    const { token } = await old.issueTicket("space-1", null);
    expect(await new TicketSigner(keys, 60).verifyTicket(token)).not.toBeNull();
  });
});

describe("ticket keys", () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  it("makes one private key in the data folder and reuses it after a restart", async () => {
    const dir = await mkdtemp(join(tmpdir(), "amphi-keys-"));
    dirs.push(dir);
    const first = await loadTicketKeys(undefined, dir);
    const second = await loadTicketKeys(undefined, dir);
    expect(second).toEqual(first);
    expect(first[0]?.secret.length).toBeGreaterThanOrEqual(32);
    expect((await stat(join(dir, "ticket-key"))).mode & 0o077).toBe(0);
    expect((await readFile(join(dir, "ticket-key"), "utf8")).startsWith("local-")).toBe(true);
  });

  it("uses the configured keys in order when given", async () => {
    const loaded = await loadTicketKeys(`a:${secret},b:${secret}`, "/nonexistent");
    expect(loaded.map((k) => k.kid)).toEqual(["a", "b"]);
  });
});
