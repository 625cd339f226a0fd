import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { changeRole } from "../../src/moderation/role-admin.ts";
import {
  type ApiAnswer,
  api,
  signUp,
  startTestServer,
  type TestAccount,
  type TestServer,
  uniqueHandle,
} from "../support/amphi-test-server.ts";
import { LiveClient } from "../support/live-client.ts";
import { fillPath, routeCatalog, routeKey } from "../support/route-catalog.ts";

/**
 * Every route x every standing in a live Space, with the exact status each must get.
 * Each cell runs on a live Space whose stage holds a host, a co-host, a speaker (the actor
 * "speaker") and another speaker T (the target of participant actions), a listener Q who asked
 * to speak, and a removed person. A cell whose request may change that Space (one expected to
 * succeed, on a route that acts on the Space) gets one of its own; the other cells of a route
 * (refused ones, or all of a route that leaves the Space as it is) share one (see stageFor).
 */
type Standing =
  | "host"
  | "cohost"
  | "speaker"
  | "listener"
  | "removed"
  | "anonymous"
  | "moderator"
  | "admin";
const standings: Standing[] = [
  "host",
  "cohost",
  "speaker",
  "listener",
  "removed",
  "anonymous",
  "moderator",
  "admin",
];
/**
 * The moderator and the admin hold their role (granted as `amphi admin grant` does) and have
 * no place in the Space: in a Space they stand where a listener stands.
 */
type Row = [
  host: number,
  cohost: number,
  speaker: number,
  listener: number,
  removed: number,
  anonymous: number,
  moderator: number,
  admin: number,
];

const expected: Record<string, Row> = {
  "POST /api/accounts": [201, 201, 201, 201, 201, 201, 201, 201],
  "POST /api/sessions": [200, 200, 200, 200, 200, 200, 200, 200],
  // "Who am I?" answers everyone, `{ account: null }` for nobody.
  "GET /api/sessions/current": [200, 200, 200, 200, 200, 200, 200, 200],
  "DELETE /api/sessions/current": [200, 200, 200, 200, 200, 401, 200, 200],
  "GET /api/sessions": [200, 200, 200, 200, 200, 401, 200, 200],
  // These two act on the whole account (every session ends, the password changes): each cell
  // runs them as a newly signed-up account, so the cast keeps its sessions.
  "DELETE /api/sessions": [200, 200, 200, 200, 200, 401, 200, 200],
  "POST /api/accounts/me/password": [200, 200, 200, 200, 200, 401, 200, 200],
  // The id filled in is a Space's: nobody has a session with it.
  "DELETE /api/sessions/{id}": [404, 404, 404, 404, 404, 401, 404, 404],
  "GET /api/accounts/me": [200, 200, 200, 200, 200, 401, 200, 200],
  "PATCH /api/accounts/me": [200, 200, 200, 200, 200, 401, 200, 200],
  "GET /api/accounts/{handle}": [200, 200, 200, 200, 200, 200, 200, 200],
  "PUT /api/accounts/{handle}/follow": [200, 200, 200, 200, 200, 401, 200, 200],
  "DELETE /api/accounts/{handle}/follow": [200, 200, 200, 200, 200, 401, 200, 200],
  // Blocks are the account's own (anyone may block anyone from the Spaces they host); run
  // as a fresh account, so the cast stays unblocked. What a block does: host-blocks.test.ts.
  "GET /api/accounts/me/blocks": [200, 200, 200, 200, 200, 401, 200, 200],
  "PUT /api/accounts/me/blocks/{handle}": [200, 200, 200, 200, 200, 401, 200, 200],
  "DELETE /api/accounts/me/blocks/{handle}": [204, 204, 204, 204, 204, 401, 204, 204],
  "POST /api/spaces": [201, 201, 201, 201, 201, 401, 201, 201],
  "GET /api/spaces": [200, 200, 200, 200, 200, 200, 200, 200],
  "GET /api/spaces/{id}": [200, 200, 200, 200, 200, 200, 200, 200],
  "GET /api/spaces/{id}/me": [200, 200, 200, 200, 200, 200, 200, 200],
  "POST /api/spaces/{id}/start": [409, 403, 403, 403, 403, 401, 403, 403],
  "POST /api/spaces/{id}/end": [200, 403, 403, 403, 403, 401, 403, 403],
  "POST /api/spaces/{id}/cancel": [409, 403, 403, 403, 403, 401, 403, 403],
  "GET /api/spaces/{id}/requests": [200, 200, 403, 403, 403, 401, 403, 403],
  "POST /api/spaces/{id}/requests": [403, 403, 403, 200, 403, 401, 200, 200],
  "DELETE /api/spaces/{id}/requests/me": [403, 403, 403, 200, 403, 401, 200, 200],
  "POST /api/spaces/{id}/requests/{handle}/accept": [200, 200, 403, 403, 403, 401, 403, 403],
  "POST /api/spaces/{id}/requests/{handle}/decline": [200, 200, 403, 403, 403, 401, 403, 403],
  "POST /api/spaces/{id}/invitations": [200, 200, 403, 403, 403, 401, 403, 403],
  "POST /api/spaces/{id}/invitations/me/accept": [403, 403, 409, 409, 403, 401, 409, 409],
  "POST /api/spaces/{id}/invitations/me/decline": [403, 403, 409, 409, 403, 401, 409, 409],
  "POST /api/spaces/{id}/participants/{handle}/listener": [200, 200, 403, 403, 403, 401, 403, 403],
  "POST /api/spaces/{id}/participants/{handle}/mute": [200, 200, 403, 403, 403, 401, 403, 403],
  "POST /api/spaces/{id}/participants/{handle}/unmute": [403, 403, 403, 403, 403, 401, 403, 403],
  "POST /api/spaces/{id}/participants/{handle}/remove": [200, 200, 403, 403, 403, 401, 403, 403],
  // Anonymous here sends no listener ticket; with one, anyone listening may react
  // (test/integration/listener-reactions.test.ts).
  "POST /api/spaces/{id}/reactions": [202, 202, 202, 202, 403, 401, 202, 202],
  // The Space is live: no recording yet, for anyone.
  "GET /api/spaces/{id}/recording": [404, 404, 404, 404, 404, 404, 404, 404],
  // Only the host deletes a recording, once the Space has ended (it is live here).
  "DELETE /api/spaces/{id}/recording": [404, 403, 403, 403, 403, 401, 403, 403],
  "POST /api/spaces/{id}/clips": [404, 404, 404, 404, 404, 401, 404, 404],
  "GET /api/clips/{clipId}": [404, 404, 404, 404, 404, 404, 404, 404],
  // No clip has this id; who may delete one: test/integration/recording-deletion.test.ts.
  "DELETE /api/clips/{clipId}": [404, 404, 404, 404, 404, 401, 404, 404],
  // Everyone may listen, except people the hosts removed.
  "POST /api/spaces/{id}/tickets": [200, 200, 200, 200, 403, 200, 200, 200],
  // Only a valid ticket counts; the matrix sends none.
  "POST /api/spaces/{id}/heartbeat": [401, 401, 401, 401, 401, 401, 401, 401],
  "GET /api/spaces/{id}/challenge": [200, 200, 200, 200, 200, 200, 200, 200],
  "GET /api/notifications": [200, 200, 200, 200, 200, 401, 200, 200],
  "POST /api/notifications/read": [200, 200, 200, 200, 200, 401, 200, 200],
  "GET /api/notifications/preferences": [200, 200, 200, 200, 200, 401, 200, 200],
  "PUT /api/notifications/preferences": [200, 200, 200, 200, 200, 401, 200, 200],
  "PUT /api/accounts/{handle}/mute": [200, 200, 200, 200, 200, 401, 200, 200],
  "DELETE /api/accounts/{handle}/mute": [200, 200, 200, 200, 200, 401, 200, 200],
  // The forecast of the go-live fan-out is for the people running the Space.
  "GET /api/spaces/{id}/notification-forecast": [200, 200, 403, 403, 403, 401, 403, 403],
  "GET /api/push/key": [200, 200, 200, 200, 200, 200, 200, 200],
  "POST /api/push/subscriptions": [201, 201, 201, 201, 201, 401, 201, 201],
  "DELETE /api/push/subscriptions": [200, 200, 200, 200, 200, 401, 200, 200],
  // Webhooks are the account's own; {id} here is a Space's, nobody's webhook.
  "POST /api/webhooks": [201, 201, 201, 201, 201, 401, 201, 201],
  "GET /api/webhooks": [200, 200, 200, 200, 200, 401, 200, 200],
  "DELETE /api/webhooks/{id}": [404, 404, 404, 404, 404, 401, 404, 404],
  "POST /api/webhooks/{id}/test": [404, 404, 404, 404, 404, 401, 404, 404],
  "GET /api/webhooks/{id}/deliveries": [404, 404, 404, 404, 404, 401, 404, 404],
  // The Space is live: my reminder reads (null), but it can no longer be set or removed.
  "GET /api/spaces/{id}/reminder": [200, 200, 200, 200, 200, 401, 200, 200],
  "PUT /api/spaces/{id}/reminder": [409, 409, 409, 409, 409, 401, 409, 409],
  "DELETE /api/spaces/{id}/reminder": [409, 409, 409, 409, 409, 401, 409, 409],
  // The audience forecast is the host's alone.
  "GET /api/spaces/{id}/audience-forecast": [200, 403, 403, 403, 403, 401, 403, 403],
  // Discovery is public; lists depend on who asks, never on standing in a Space.
  "GET /api/discovery/home": [200, 200, 200, 200, 200, 200, 200, 200],
  "GET /api/discovery/live": [200, 200, 200, 200, 200, 200, 200, 200],
  "GET /api/discovery/explore": [200, 200, 200, 200, 200, 200, 200, 200],
  // The matrix sends no `q`: 400 for everyone (test/integration/discovery-api.test.ts).
  "GET /api/search": [400, 400, 400, 400, 400, 400, 400, 400],
  "GET /api/accounts/{handle}/spaces": [200, 200, 200, 200, 200, 200, 200, 200],
  "GET /api/accounts/{handle}/clips": [200, 200, 200, 200, 200, 200, 200, 200],
  // Operator endpoints exist only with OPS_TOKEN (unset here), for nobody's session.
  "GET /api/admin/attack-mode": [404, 404, 404, 404, 404, 404, 404, 404],
  "PUT /api/admin/attack-mode": [404, 404, 404, 404, 404, 404, 404, 404],
  // Moderation (docs/api.md, "Moderation and the DSA"). Anyone may report, anonymous too.
  "POST /api/reports": [201, 201, 201, 201, 201, 201, 201, 201],
  "GET /api/reports": [200, 200, 200, 200, 200, 401, 200, 200],
  // {id} is a Space's: no report, statement or appeal has it, for anyone.
  "GET /api/reports/{id}": [404, 404, 404, 404, 404, 404, 404, 404],
  "GET /api/statements/{id}": [404, 404, 404, 404, 404, 404, 404, 404],
  "GET /api/accounts/me/statements": [200, 200, 200, 200, 200, 401, 200, 200],
  "POST /api/statements/{id}/appeal": [404, 404, 404, 404, 404, 404, 404, 404],
  // The matrix sends no period: 400 for everyone (test/integration/moderation.test.ts).
  "GET /api/transparency": [400, 400, 400, 400, 400, 400, 400, 400],
  // The moderators' API: moderators and admins only, whatever their place in a Space.
  "GET /api/moderation/reports": [403, 403, 403, 403, 403, 401, 200, 200],
  "GET /api/moderation/reports/{id}": [403, 403, 403, 403, 403, 401, 404, 404],
  "POST /api/moderation/reports/{id}/decision": [403, 403, 403, 403, 403, 401, 404, 404],
  "GET /api/moderation/appeals": [403, 403, 403, 403, 403, 401, 200, 200],
  "POST /api/moderation/appeals/{id}/decision": [403, 403, 403, 403, 403, 401, 404, 404],
  "GET /api/moderation/statements/export": [403, 403, 403, 403, 403, 401, 200, 200],
};
/** Inviting a co-host is the host's alone. */
const cohostInvitation: Row = [200, 403, 403, 403, 403, 401, 403, 403];
const password = "correct horse battery";

let server: TestServer;
let base: string;
let people: Record<
  | "host"
  | "cohost"
  | "speaker"
  | "target"
  | "asker"
  | "invitee"
  | "listener"
  | "removed"
  | "moderator"
  | "admin",
  TestAccount
>;

beforeAll(async () => {
  server = await startTestServer({
    loginAttemptsPerIp: 10_000,
    reactionsPerSecond: 100,
    stageActionsPerSecond: 100,
    reportsPerHour: 10_000,
  });
  base = server.url;
  const names = [
    "host",
    "cohost",
    "speaker",
    "target",
    "asker",
    "invitee",
    "listener",
    "removed",
    "moderator",
    "admin",
  ] as const;
  const accounts = await Promise.all(names.map(() => signUp(base)));
  people = Object.fromEntries(names.map((n, i) => [n, accounts[i]!])) as typeof people;
  for (const role of ["moderator", "admin"] as const) {
    await changeRole(server.store.db, {
      op: "grant",
      handle: people[role].handle,
      role,
      actor: "authorization-matrix",
    });
  }
}, 240_000);
afterAll(async () => {
  await server?.close();
});

type Answer = ApiAnswer<any>;

/**
 * Sends a request again after a 429. Every cell acts as the same few people and the cells run
 * concurrently, so the host can meet the stage-action limit (per actor, per second); no cell
 * expects a 429, so like a polite client the matrix waits out the window and tries again.
 */
async function politely(request: () => Promise<Answer>): Promise<Answer> {
  for (let attempt = 0; ; attempt++) {
    const r = await request();
    if (r.status !== 429 || attempt >= 10) return r;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

async function ok(step: () => Promise<Answer>): Promise<void> {
  const r = await politely(step);
  if (r.status >= 300)
    throw new Error(`fixture step failed: ${r.status} ${JSON.stringify(r.body)}`);
}

/** A live Space with the full cast on its stage. */
async function liveStage(): Promise<string> {
  const { host, cohost, speaker, target, asker, removed } = people;
  const created = await api(base, "POST", "/api/spaces", {
    token: host.token,
    body: { title: "Matrix", startNow: true },
  });
  const id = created.body.space.id as string;
  const invite = (who: TestAccount, role: string) =>
    ok(() =>
      api(base, "POST", `/api/spaces/${id}/invitations`, {
        token: host.token,
        body: { handle: who.handle, role },
      }),
    );
  const accept = (who: TestAccount) =>
    ok(() => api(base, "POST", `/api/spaces/${id}/invitations/me/accept`, { token: who.token }));
  await invite(cohost, "cohost");
  await accept(cohost);
  for (const who of [speaker, target]) {
    await invite(who, "speaker");
    await accept(who);
  }
  await ok(() => api(base, "POST", `/api/spaces/${id}/requests`, { token: asker.token }));
  await ok(() =>
    api(base, "POST", `/api/spaces/${id}/participants/${removed.handle}/remove`, {
      token: host.token,
    }),
  );
  return id;
}

/**
 * Routes whose cells leave the Space and its stage as they found them: reads, and routes that
 * do not act on a Space (`{id}` there is nobody's account, session, clip, report or webhook;
 * what they change is the actor's own, or a fresh account's).
 */
function leavesSpaceAsIs(route: string): boolean {
  return route.startsWith("GET ") || !route.includes("/spaces/{id}");
}

const sharedStages = new Map<string, Promise<string>>();

/**
 * The live stage a cell runs on. A request expected to be refused changes nothing, so the
 * refused cells of a route share one stage, made once, and so do all the cells of a route
 * that leaves the Space as it is; a cell expected to succeed on a route acting on the Space
 * gets a stage of its own. (A cell that should be refused but is not fails itself, whatever
 * it did to the stage it shares.)
 */
function stageFor(route: string, status: number): Promise<string> {
  if (status < 400 && !leavesSpaceAsIs(route)) return liveStage();
  let stage = sharedStages.get(route);
  if (!stage) {
    stage = liveStage();
    sharedStages.set(route, stage);
  }
  return stage;
}

async function tokenFor(standing: Standing, fresh: boolean): Promise<string | undefined> {
  if (standing === "anonymous") return undefined;
  const who = people[standing];
  if (!fresh) return who.token;
  const res = await api(base, "POST", "/api/sessions", { body: { handle: who.handle, password } });
  return res.body.token as string;
}

/** Routes that act on the whole account: run as a fresh account, not as the cast. */
const accountWide = new Set([
  "DELETE /api/sessions",
  "POST /api/accounts/me/password",
  "GET /api/accounts/me/blocks",
  "PUT /api/accounts/me/blocks/{handle}",
  "DELETE /api/accounts/me/blocks/{handle}",
]);

interface Cell {
  name: string;
  route: string;
  standing: Standing;
  status: number;
  body: ((id: string) => Record<string, unknown>) | undefined;
}

const bodies: Record<string, (id: string) => Record<string, unknown>> = {
  "POST /api/accounts": () => ({ handle: uniqueHandle("mx"), displayName: "Matrix", password }),
  "POST /api/sessions": () => ({ handle: people.invitee.handle, password }),
  "PATCH /api/accounts/me": () => ({ bio: "Matrix bio" }),
  "POST /api/accounts/me/password": () => ({ currentPassword: password, newPassword: password }),
  "POST /api/spaces": () => ({ title: "Another" }),
  "POST /api/spaces/{id}/invitations": () => ({ handle: people.invitee.handle, role: "speaker" }),
  "POST /api/spaces/{id}/reactions": () => ({ emoji: "🔥" }),
  "POST /api/spaces/{id}/clips": () => ({ startSeconds: 0, endSeconds: 10 }),
  "POST /api/spaces/{id}/tickets": () => ({}),
  "POST /api/spaces/{id}/heartbeat": () => ({ ticket: "not-a-ticket" }),
  "PUT /api/admin/attack-mode": () => ({ mode: "auto" }),
  "POST /api/notifications/read": () => ({ all: true }),
  "PUT /api/notifications/preferences": () => ({ push: true }),
  "POST /api/push/subscriptions": () => ({
    endpoint: "https://push.example.com/send/matrix",
    keys: {
      p256dh:
        "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM",
      auth: "tBHItJI5svbpez7KI4CCXg",
    },
  }),
  "DELETE /api/push/subscriptions": () => ({ endpoint: "https://push.example.com/send/matrix" }),
  // Never sent: no Space of the matrix records (media plane off), and the address is public.
  "POST /api/webhooks": () => ({ url: "https://203.0.114.1/hook", events: ["recording.ready"] }),
  "PUT /api/spaces/{id}/reminder": () => ({ at1h: false }),
  "POST /api/reports": (id) => ({
    target: { type: "space", id, offsetSeconds: 1 },
    category: "TERMS_SPAM",
    explanation: "Matrix notice",
    goodFaith: true,
  }),
  "POST /api/statements/{id}/appeal": () => ({ explanation: "Matrix appeal" }),
  "POST /api/moderation/reports/{id}/decision": () => ({
    action: "dismiss",
    explanation: "Matrix decision",
  }),
  "POST /api/moderation/appeals/{id}/decision": () => ({
    outcome: "upheld",
    explanation: "Matrix outcome",
  }),
};

const cells: Cell[] = [];
for (const [route, row] of Object.entries(expected)) {
  standings.forEach((standing, i) => {
    cells.push({
      name: `${route} as ${standing} -> ${row[i]}`,
      route,
      standing,
      status: row[i]!,
      body: bodies[route],
    });
  });
}
standings.forEach((standing, i) => {
  cells.push({
    name: `POST /api/spaces/{id}/invitations (co-host) as ${standing} -> ${cohostInvitation[i]}`,
    route: "POST /api/spaces/{id}/invitations",
    standing,
    status: cohostInvitation[i]!,
    body: () => ({ handle: people.invitee.handle, role: "cohost" }),
  });
});

describe("authorization matrix: every route x every standing", () => {
  it("covers every route of the OpenAPI document", async () => {
    const doc = (await api(base, "GET", "/api/openapi.json")).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual(routeCatalog.map(routeKey).sort());
    expect(Object.keys(expected).sort()).toEqual(routeCatalog.map(routeKey).sort());
  });

  it.concurrent.each(cells.map((c) => [c.name, c] as const))("%s", async (_name, cell) => {
    const [method, path] = cell.route.split(" ") as [string, string];
    const id = await stageFor(cell.route, cell.status);
    const handle = path.includes("/requests/{handle}")
      ? people.asker.handle
      : path.includes("/participants/")
        ? people.target.handle
        : people.invitee.handle;
    const token =
      accountWide.has(cell.route) && cell.standing !== "anonymous"
        ? (await signUp(base)).token
        : await tokenFor(cell.standing, cell.route === "DELETE /api/sessions/current");
    const res = await politely(() =>
      api(base, method, fillPath(path, { id, handle }), { token, body: cell.body?.(id) }),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(cell.status);
    if (res.status >= 400) expect(res.body.error.code).toMatch(/^AMPHI_/);
  });

  it.each([
    ["host", 101],
    ["cohost", 101],
    ["speaker", 101],
    ["listener", 101],
    ["removed", 403],
    ["anonymous", 401],
    ["moderator", 101],
    ["admin", 101],
  ] as const)("live WebSocket as %s -> %i", async (standing, status) => {
    const id = await liveStage();
    const token = await tokenFor(standing, false);
    if (status === 101) {
      const client = await LiveClient.connect(base, id, token);
      await client.next((m) => m.type === "space");
      client.close();
    } else {
      await expect(LiveClient.connect(base, id, token)).rejects.toMatchObject({ status });
    }
  });
});
