/**
 * The webhook tables and their SQL (0008) on both databases Amphi supports: embedded PGlite
 * and a real PostgreSQL server.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore, type Store } from "../../src/store/database.ts";
import { repositories } from "../../src/store/repositories/index.ts";
import { DeliveryRepository } from "../../src/webhooks/delivery-repository.ts";
import { EndpointRepository } from "../../src/webhooks/endpoint-repository.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const unique = (prefix: string) => `${prefix}_${randomBytes(5).toString("hex")}`;

describe.each(["pglite", "postgres"] as const)("webhook store on %s", (kind) => {
  let store: Store;
  let database: TestDatabase | undefined;
  let endpoints: EndpointRepository;
  let deliveries: DeliveryRepository;
  let accountId: string;

  beforeAll(async () => {
    if (kind === "postgres") database = await createTestDatabase();
    store = await openStore(database ? { databaseUrl: database.url } : {});
    endpoints = new EndpointRepository(store.db);
    deliveries = new DeliveryRepository(store.db);
    const account = await repositories(store.db).accounts.create({
      id: unique("a"),
      handle: unique("h").slice(0, 20),
      displayName: "Host",
      passwordHash: "x",
    });
    accountId = account?.id ?? "";
  });
  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  it("keeps endpoints, finds the ones subscribed to an event, tracks their health", async () => {
    const live = await endpoints.create({
      id: unique("e"),
      accountId,
      url: "https://203.0.114.1/a",
      events: ["space.live", "space.ended"],
      secret: "whsec_x",
    });
    await endpoints.create({
      id: unique("e"),
      accountId,
      url: "https://203.0.114.1/b",
      events: ["recording.ready"],
      secret: "whsec_y",
    });
    expect(await endpoints.countForAccount(accountId)).toBe(2);
    expect((await endpoints.subscribedTo(accountId, "space.live")).map((e) => e.id)).toEqual([
      live.id,
    ]);
    expect(await endpoints.subscribedTo(accountId, "space.scheduled")).toEqual([]);

    const at = new Date();
    await endpoints.markFailed(live.id, at, 2, false);
    expect(await endpoints.find(live.id)).toMatchObject({
      status: "active",
      consecutiveFailures: 1,
    });
    await endpoints.markFailed(live.id, at, 2, false);
    expect(await endpoints.find(live.id)).toMatchObject({
      status: "failing",
      consecutiveFailures: 2,
    });
    await endpoints.markDelivered(live.id, at);
    expect(await endpoints.find(live.id)).toMatchObject({
      status: "active",
      consecutiveFailures: 0,
    });
    await endpoints.markFailed(live.id, at, 2, true);
    expect((await endpoints.find(live.id))?.status).toBe("disabled");
    expect(await endpoints.subscribedTo(accountId, "space.live")).toEqual([]);
  });

  it("keeps a message once and each attempt once, newest attempt first", async () => {
    const endpoint = await endpoints.create({
      id: unique("e"),
      accountId,
      url: "https://203.0.114.1/c",
      events: ["space.live"],
      secret: "whsec_z",
    });
    const message = {
      id: unique("msg"),
      endpointId: endpoint.id,
      eventType: "space.live",
      body: "{}",
    };
    expect(await deliveries.addMessage(message)).toBe(true);
    expect(await deliveries.addMessage({ ...message, body: '{"other":1}' })).toBe(false);
    expect((await deliveries.message(message.id))?.body).toBe("{}");

    const attempt = (n: number) => ({
      endpointId: endpoint.id,
      messageId: message.id,
      eventType: "space.live",
      attempt: n,
      outcome: n < 2 ? ("failed" as const) : ("delivered" as const),
      statusCode: n < 2 ? 500 : 200,
      error: n < 2 ? "HTTP 500" : null,
      durationMs: 12,
      attemptedAt: new Date(),
      nextRetryAt: n < 2 ? new Date(Date.now() + 5_000) : null,
    });
    expect(await deliveries.log(attempt(1))).toMatch(/^\d+$/);
    expect(await deliveries.log(attempt(1))).toBeNull();
    expect(await deliveries.attempted(message.id, 1)).toBe(true);
    expect(await deliveries.attempted(message.id, 2)).toBe(false);
    await deliveries.log(attempt(2));
    const log = await deliveries.forEndpoint(endpoint.id, 10);
    expect(log.map((d) => [d.attempt, d.outcome, d.statusCode])).toEqual([
      [2, "delivered", 200],
      [1, "failed", 500],
    ]);
    expect(log[1]?.nextRetryAt).toBeInstanceOf(Date);

    // Deleting the endpoint takes its messages and log with it.
    expect(await endpoints.delete(endpoint.id, "someone else")).toBe(false);
    expect(await endpoints.delete(endpoint.id, accountId)).toBe(true);
    expect(await deliveries.message(message.id)).toBeNull();
    expect(await deliveries.forEndpoint(endpoint.id, 10)).toEqual([]);
  });
});
