import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  api,
  signUp,
  startTestServer,
  type TestAccount,
  type TestServer,
} from "../support/amphi-test-server.ts";
import { BrowserPushKeys, FakePushService } from "../support/fake-push-service.ts";
import { LiveClient } from "../support/live-client.ts";

/**
 * Notifications end to end on a real server (PGlite, pg-boss on it): a go-live reaches the
 * followers' inboxes once, their sockets as toasts and their browsers as real Web Push
 * requests to a local push service; mutes, quiet hours, invitations and "replay ready".
 */
let server: TestServer;
let base: string;
let pushService: FakePushService;
let host: TestAccount;
let follower: TestAccount;
let muter: TestAccount;
let sleeper: TestAccount;
let gone: TestAccount;
const followerKeys = new BrowserPushKeys();
let spaceId: string;
let followerSocket: LiveClient;
let sleeperSocket: LiveClient;

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const inbox = (who: TestAccount) =>
  api(base, "GET", "/api/notifications", { token: who.token }).then((r) => r.body);

/** Quiet hours around now, in UTC. */
function quietNow() {
  const hhmm = (d: Date) => d.toISOString().slice(11, 16);
  const now = Date.now();
  return {
    start: hhmm(new Date(now - 3_600_000)),
    end: hhmm(new Date(now + 3_600_000)),
    timeZone: "UTC",
  };
}

beforeAll(async () => {
  pushService = await FakePushService.start();
  server = await startTestServer({
    pushAllowLoopbackHttp: true,
    notifySpreadSeconds: 1,
    logLevel: "warn",
  });
  base = server.url;
  [host, follower, muter, sleeper, gone] = (await Promise.all(
    Array.from({ length: 5 }, () => signUp(base)),
  )) as [TestAccount, TestAccount, TestAccount, TestAccount, TestAccount];
  for (const who of [follower, muter, sleeper, gone]) {
    const r = await api(base, "PUT", `/api/accounts/${host.handle}/follow`, { token: who.token });
    expect(r.status).toBe(200);
  }
  const muted = await api(base, "PUT", `/api/accounts/${host.handle}/mute`, { token: muter.token });
  expect(muted.body).toMatchObject({ muted: true, account: { handle: host.handle } });
  const quiet = await api(base, "PUT", "/api/notifications/preferences", {
    token: sleeper.token,
    body: { quietHours: quietNow() },
  });
  expect(quiet.status).toBe(200);
  const subscribe = (who: TestAccount, path: string, keys = new BrowserPushKeys()) =>
    api(base, "POST", "/api/push/subscriptions", {
      token: who.token,
      body: keys.subscription(`${pushService.url}${path}`),
    });
  expect((await subscribe(follower, "/push/follower", followerKeys)).status).toBe(201);
  expect((await subscribe(sleeper, "/push/sleeper")).status).toBe(201);
  expect((await subscribe(gone, "/gone/browser")).status).toBe(201);
  followerSocket = await LiveClient.open(base, "/api/notifications/live", follower.token);
  sleeperSocket = await LiveClient.open(base, "/api/notifications/live", sleeper.token);
  await followerSocket.next((m) => m.type === "ready");
  await sleeperSocket.next((m) => m.type === "ready");

  const created = await api(base, "POST", "/api/spaces", {
    token: host.token,
    body: { title: "Tonight at 8", startNow: true },
  });
  expect(created.status).toBe(201);
  spaceId = created.body.space.id;
}, 240_000);

afterAll(async () => {
  followerSocket?.close();
  sleeperSocket?.close();
  await server?.close();
  await pushService?.close();
});

// The machine running the tests is shared: jobs poll every 0.5 s and may wait their turn.
describe("a followed host goes live", { timeout: 90_000 }, () => {
  it("puts one entry in each follower's inbox, with the unread count", async () => {
    const page = await until(
      () => inbox(follower),
      (b) => b.notifications.length > 0,
    );
    expect(page.notifications).toHaveLength(1);
    expect(page.unread).toBe(1);
    expect(page.notifications[0]).toMatchObject({
      kind: "live",
      text: `@${host.handle} is live: Tonight at 8`,
      url: `/spaces/${spaceId}`,
      space: { id: spaceId, title: "Tonight at 8" },
      actor: { handle: host.handle },
      readAt: null,
    });
  });

  it("toasts the follower over their own socket", async () => {
    const toast = await followerSocket.next((m) => m.type === "notification", 60_000);
    expect(toast.notification).toMatchObject({ kind: "live", space: { id: spaceId } });
  });

  it("sends a real Web Push (VAPID, aes128gcm) that the browser's keys decrypt", async () => {
    const push = await until(
      async () => pushService.received.find((p) => p.path === "/push/follower"),
      (p) => p !== undefined,
    );
    if (!push) throw new Error("no push reached the push service");
    expect(push.headers.ttl).toBe("900");
    expect(push.headers["content-encoding"]).toBe("aes128gcm");
    expect(push.headers.urgency).toBe("high");
    expect(push.headers.authorization).toMatch(/^vapid t=[\w-]+\.[\w-]+\.[\w-]+, k=[\w-]+$/);
    const { publicKey } = (await api(base, "GET", "/api/push/key")).body;
    expect(push.headers.authorization).toContain(`k=${publicKey}`);
    const message = JSON.parse(followerKeys.decrypt(push.body));
    expect(message).toMatchObject({
      body: `@${host.handle} is live: Tonight at 8`,
      url: `/spaces/${spaceId}`,
      tag: `live:${spaceId}`,
    });
  });

  it("writes nothing for someone who muted the host", async () => {
    await until(
      () => inbox(follower),
      (b) => b.notifications.length > 0,
    );
    expect((await inbox(muter)).notifications).toEqual([]);
  });

  it("in quiet hours: the inbox entry, but no push and no toast", async () => {
    const page = await until(
      () => inbox(sleeper),
      (b) => b.notifications.length > 0,
    );
    expect(page.notifications).toHaveLength(1);
    // The follower's push and toast went out in the same delivery window.
    expect(
      await until(
        async () => pushService.received.some((p) => p.path === "/push/follower"),
        (v) => v,
      ),
    ).toBe(true);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(pushService.received.some((p) => p.path === "/push/sleeper")).toBe(false);
    expect(sleeperSocket.messages.some((m) => m.message.type === "notification")).toBe(false);
  });

  it("deletes a subscription the push service says is gone (410)", async () => {
    const rows = await until(
      () =>
        server.store.db
          .selectFrom("push_subscriptions")
          .select("endpoint")
          .where("endpoint", "like", "%/gone/%")
          .execute(),
      (r) => r.length === 0,
    );
    expect(rows).toEqual([]);
    expect(pushService.received.some((p) => p.path === "/gone/browser")).toBe(true);
  });

  it("a retried delivery does not toast the follower again", async () => {
    const notifications = server.notifications;
    if (!notifications) throw new Error("no control plane");
    await followerSocket.next((m) => m.type === "notification", 60_000);
    const repeat = followerSocket.nextNew((m) => m.type === "notification", 2_000);
    await notifications.jobs.deliver({
      dedupeKey: `live:${spaceId}`,
      delivery: { spread: false, ttlSeconds: 60, urgency: "normal" },
      range: { lo: "", hi: null },
    });
    await expect(repeat).rejects.toThrow();
    const toasts = followerSocket.messages.filter((m) => m.message.type === "notification");
    expect(toasts).toHaveLength(1);
  });

  it("is idempotent: the fan-out and its batches run again and write nothing new", async () => {
    const notifications = server.notifications;
    if (!notifications) throw new Error("no control plane");
    const key = `live:${spaceId}`;
    const progress = await until(
      () => notifications.fanOuts.progress(key),
      (p) => p?.completedAt != null,
    );
    expect(progress).toMatchObject({ batches: 1, batchesWritten: 1, written: 3 });
    const before = await notifications.inbox.countByKey(key);
    expect(before).toBe(3); // follower, sleeper, gone; not the muter, not the host
    const template = {
      kind: "live",
      spaceId,
      actorId: host.id,
      payload: { title: "Tonight at 8", actorHandle: host.handle },
      dedupeKey: key,
    };
    const source = { kind: "followers" as const, hostId: host.id };
    const job = {
      source,
      template,
      delivery: { spread: false, ttlSeconds: 60, urgency: "normal" as const },
    };
    // The retried batch job: recorded as written, so it writes nothing.
    expect(
      await notifications.jobs.batch({
        ...job,
        batchNo: 0,
        range: { lo: "", hi: null },
        deliverAt: new Date().toISOString(),
      }),
    ).toBeNull();
    // Even a batch nobody recorded, over the same people, adds no row.
    expect(await notifications.fanOuts.writeBatch(source, template, { lo: "", hi: null }, 99)).toBe(
      0,
    );
    // The same in chunks of one person per statement (embedded PGlite's writer).
    expect(
      await notifications.fanOuts.writeBatchInChunks(source, template, { lo: "", hi: null }, 98, 1),
    ).toBe(0);
    // A repeated fan-out answers its plan and enqueues nothing.
    expect(await notifications.jobs.fanOut(job)).toEqual({ batches: 1, audience: 4 });
    // A repeated delivery pushes nobody twice.
    expect(
      await notifications.jobs.deliver({
        dedupeKey: key,
        delivery: job.delivery,
        range: { lo: "", hi: null },
      }),
    ).toEqual({ pushed: 0 });
    expect(await notifications.inbox.countByKey(key)).toBe(before);
    expect(pushService.received.filter((p) => p.path === "/push/follower")).toHaveLength(1);
  });

  it("shows the host the forecast and the fan-out's progress", async () => {
    const r = await api(base, "GET", `/api/spaces/${spaceId}/notification-forecast`, {
      token: host.token,
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      audience: 3,
      // The idempotency test above wrote an extra (empty) batch under the same key.
      fanOut: { batches: 1, written: 3 },
    });
    expect(r.body.expectedArrivalsPerSecond).toBeGreaterThan(0);
    const refused = await api(base, "GET", `/api/spaces/${spaceId}/notification-forecast`, {
      token: follower.token,
    });
    expect(refused.status).toBe(403);
  });
});

describe("the inbox", { timeout: 90_000 }, () => {
  it("pages newest first and marks read", async () => {
    const page = await until(
      () => inbox(follower),
      (b) => b.notifications.length > 0,
    );
    const [first] = page.notifications;
    const read = await api(base, "POST", "/api/notifications/read", {
      token: follower.token,
      body: { ids: [first.id] },
    });
    expect(read.body).toEqual({ unread: page.unread - 1 });
    const again = await inbox(follower);
    expect(again.notifications[0].readAt).not.toBeNull();
    const one = await api(base, "GET", "/api/notifications?limit=1", { token: follower.token });
    expect(one.body.notifications).toHaveLength(1);
  });

  it("refuses bad input with a machine-readable 400", async () => {
    for (const body of [{ ids: [] }, { all: false }, { ids: ["x"] }]) {
      const r = await api(base, "POST", "/api/notifications/read", { token: follower.token, body });
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe("AMPHI_VALIDATION_FAILED");
    }
    const zone = await api(base, "PUT", "/api/notifications/preferences", {
      token: follower.token,
      body: { quietHours: { start: "22:00", end: "07:00", timeZone: "Mars/Olympus" } },
    });
    expect(zone.status).toBe(400);
    const insecure = await api(base, "POST", "/api/push/subscriptions", {
      token: follower.token,
      body: new BrowserPushKeys().subscription("http://push.example.com/x"),
    });
    expect(insecure.status).toBe(400);
    const self = await api(base, "PUT", `/api/accounts/${follower.handle}/mute`, {
      token: follower.token,
    });
    expect(self.status).toBe(409);
  });

  it("lists muted hosts in the preferences, and unmutes", async () => {
    const prefs = await api(base, "GET", "/api/notifications/preferences", { token: muter.token });
    expect(prefs.body).toMatchObject({ push: true, quietHours: null });
    expect(prefs.body.muted.map((a: { handle: string }) => a.handle)).toEqual([host.handle]);
    await api(base, "DELETE", `/api/accounts/${host.handle}/mute`, { token: muter.token });
    const after = await api(base, "GET", "/api/notifications/preferences", { token: muter.token });
    expect(after.body.muted).toEqual([]);
  });
});

describe("invitations and replays", { timeout: 90_000 }, () => {
  it("tells a person invited to speak, at once", async () => {
    const r = await api(base, "POST", `/api/spaces/${spaceId}/invitations`, {
      token: host.token,
      body: { handle: muter.handle, role: "speaker" },
    });
    expect(r.status).toBe(200);
    const page = await until(
      () => inbox(muter),
      (b) => b.notifications.some((n: { kind: string }) => n.kind === "invitation"),
    );
    expect(page.notifications[0]).toMatchObject({
      kind: "invitation",
      detail: "speaker",
      text: `@${host.handle} invites you to speak in Tonight at 8`,
    });
  });

  it("fires a reminder to who set it", async () => {
    await server.store.db
      .insertInto("space_reminders")
      .values({
        space_id: spaceId,
        account_id: muter.id,
        at_24h: true,
        at_1h: true,
        at_start: true,
      })
      .execute();
    const notifications = server.notifications;
    if (!notifications) throw new Error("no control plane");
    // The 1 h reminder's job, as the queue runs it at its time.
    await notifications.jobs.fanOut({
      source: { kind: "reminders", spaceId, at: "1h" },
      template: {
        kind: "reminder",
        spaceId,
        actorId: host.id,
        payload: { title: "Tonight at 8", actorHandle: host.handle, detail: "1h" },
        dedupeKey: `reminder:${spaceId}:1h`,
      },
      delivery: { spread: false, ttlSeconds: 900, urgency: "high" },
    });
    const page = await until(
      () => inbox(muter),
      (b) => b.notifications.some((n: { kind: string }) => n.kind === "reminder"),
    );
    expect(page.notifications[0]).toMatchObject({
      kind: "reminder",
      detail: "1h",
      text: `In 1 hour: Tonight at 8 with @${host.handle}`,
    });
  });

  it("a Space that starts early tells its start reminders then, and not again at its time", async () => {
    const early = await api(base, "POST", "/api/spaces", {
      token: host.token,
      body: { title: "Early bird", scheduledFor: new Date(Date.now() + 86_400_000).toISOString() },
    });
    expect(early.status).toBe(201);
    const earlyId: string = early.body.space.id;
    // Someone who does not follow the host asks to be reminded at the start.
    const stranger = await signUp(base);
    const reminded = await api(base, "PUT", `/api/spaces/${earlyId}/reminder`, {
      token: stranger.token,
      body: { at24h: false, at1h: false, atStart: true },
    });
    expect(reminded.status).toBe(200);
    expect(
      (await api(base, "POST", `/api/spaces/${earlyId}/start`, { token: host.token })).status,
    ).toBe(200);
    const told = await until(
      () => inbox(stranger),
      (b) => b.notifications.some((n: { space: { id: string } }) => n.space?.id === earlyId),
      30_000,
    );
    const entries = told.notifications.filter(
      (n: { space: { id: string } }) => n.space?.id === earlyId,
    );
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ kind: "reminder", detail: "start" });

    // The job at the scheduled time, as the queue would run it: nothing more.
    const notifications = server.notifications;
    if (!notifications) throw new Error("no control plane");
    const space = await server.store.db
      .selectFrom("spaces")
      .select("scheduled_for")
      .where("id", "=", earlyId)
      .executeTakeFirstOrThrow();
    const atTime = await notifications.jobs.fanOut({
      source: { kind: "reminders", spaceId: earlyId, at: "start" },
      template: {
        kind: "reminder",
        spaceId: earlyId,
        actorId: host.id,
        payload: { title: "Early bird", actorHandle: host.handle, detail: "start" },
        dedupeKey: `reminder:${earlyId}:start`,
      },
      delivery: { spread: false, ttlSeconds: 900, urgency: "high" },
      scheduledFor: new Date(space.scheduled_for as unknown as string | Date).toISOString(),
    });
    expect(atTime).toEqual({ batches: 0, audience: 0 });
    await api(base, "POST", `/api/spaces/${earlyId}/end`, { token: host.token });
  });

  it("tells who set a reminder or listened logged in that the replay is ready", async () => {
    const ticket = await api(base, "POST", `/api/spaces/${spaceId}/tickets`, {
      token: gone.token,
      body: {},
    });
    expect(ticket.status).toBe(200);
    const ended = await api(base, "POST", `/api/spaces/${spaceId}/end`, { token: host.token });
    expect(ended.status).toBe(200);
    const isReplay = (b: { notifications: { kind: string }[] }) =>
      b.notifications.some((n) => n.kind === "replay");
    for (const who of [gone, muter]) {
      const page = await until(() => inbox(who), isReplay);
      expect(page.notifications[0]).toMatchObject({
        kind: "replay",
        text: "The replay of Tonight at 8 is ready",
      });
    }
    // Not the host, and not a follower who neither listened nor set a reminder.
    expect((await inbox(host)).notifications).toEqual([]);
    expect(isReplay(await inbox(sleeper))).toBe(false);
  });
});
