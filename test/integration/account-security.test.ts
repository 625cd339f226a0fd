import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  api,
  signUp,
  startTestServer,
  type TestServer,
  uniqueHandle,
} from "../support/amphi-test-server.ts";

/**
 * Account hardening against a real server: password change ends the other sessions, the
 * sessions list with revoke and log out everywhere, and a login lockout that a stranger
 * cannot turn against the owner's own browser.
 */
let server: TestServer;
let base: string;
const password = "correct horse battery";

beforeAll(async () => {
  server = await startTestServer({ loginFailuresPerAccount: 2, loginAttemptsPerIp: 1000 });
  base = server.url;
}, 180_000);
afterAll(async () => {
  await server?.close();
});

async function logIn(handle: string, pw = password, headers: Record<string, string> = {}) {
  return api(base, "POST", "/api/sessions", { body: { handle, password: pw }, headers });
}

/** The `name=value` of a Set-Cookie answer's cookie `name`. */
function cookieOf(headers: Headers, name: string): string | undefined {
  return headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .find((c) => c.startsWith(`${name}=`));
}

describe("changing your password", () => {
  it("ends every other session at once (cached ones too) and keeps this one", async () => {
    const ada = await signUp(base);
    const laptop = (await logIn(ada.handle)).body.token as string;
    const phone = (await logIn(ada.handle)).body.token as string;
    // Each session was checked once, so this node caches it.
    for (const token of [ada.token, laptop, phone]) {
      expect((await api(base, "GET", "/api/accounts/me", { token })).status).toBe(200);
    }
    const changed = await api(base, "POST", "/api/accounts/me/password", {
      token: laptop,
      body: { currentPassword: password, newPassword: "a brand new passphrase" },
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body).toEqual({ endedSessions: 2 });
    expect((await api(base, "GET", "/api/accounts/me", { token: phone })).status).toBe(401);
    expect((await api(base, "GET", "/api/accounts/me", { token: ada.token })).status).toBe(401);
    expect((await api(base, "GET", "/api/accounts/me", { token: laptop })).status).toBe(200);
    expect((await logIn(ada.handle)).status).toBe(401);
    expect((await logIn(ada.handle, "a brand new passphrase")).status).toBe(200);
  });

  it("refuses a wrong current password with 403 naming the field, and a short new one with 400", async () => {
    const bob = await signUp(base);
    const wrong = await api(base, "POST", "/api/accounts/me/password", {
      token: bob.token,
      body: { currentPassword: "not my password", newPassword: "a brand new passphrase" },
    });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.code).toBe("AMPHI_WRONG_PASSWORD");
    expect(wrong.body.error.details[0].path).toEqual(["body", "currentPassword"]);
    const short = await api(base, "POST", "/api/accounts/me/password", {
      token: bob.token,
      body: { currentPassword: password, newPassword: "short" },
    });
    expect(short.status).toBe(400);
    expect(short.body.error.details[0].path).toEqual(["body", "newPassword"]);
    // Nothing changed: the old password still logs in.
    expect((await logIn(bob.handle)).status).toBe(200);
  });

  it("stops guessing the current password after a few tries with 429", async () => {
    const eve = await signUp(base);
    const attempt = () =>
      api(base, "POST", "/api/accounts/me/password", {
        token: eve.token,
        body: { currentPassword: "guess guess", newPassword: "a brand new passphrase" },
      });
    expect((await attempt()).status).toBe(403);
    expect((await attempt()).status).toBe(403);
    const limited = await attempt();
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe("AMPHI_RATE_LIMITED");
  });
});

describe("your sessions", () => {
  it("lists them with id, times and client, never the token, and marks the current one", async () => {
    const ada = await signUp(base);
    const firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
    const other = await logIn(ada.handle, password, { "user-agent": firefox });
    const list = await api(base, "GET", "/api/sessions", { token: other.body.token });
    expect(list.status).toBe(200);
    expect(list.headers.get("cache-control")).toMatch(/no-store/);
    expect(list.body.sessions).toHaveLength(2);
    const [current, first] = [
      list.body.sessions.find((s: any) => s.current),
      list.body.sessions.find((s: any) => !s.current),
    ];
    expect(current).toMatchObject({ userAgent: firefox, client: "Firefox on Linux" });
    expect(first.current).toBe(false);
    for (const s of list.body.sessions) {
      expect(Object.keys(s).sort()).toEqual(
        ["client", "createdAt", "current", "expiresAt", "id", "lastSeenAt", "userAgent"].sort(),
      );
      expect(JSON.stringify(s)).not.toContain(ada.token);
      expect(JSON.stringify(s)).not.toContain(other.body.token);
    }
  });

  it("ends one session by id (only your own), and your own logs you out", async () => {
    const ada = await signUp(base);
    const eve = await signUp(base);
    const second = (await logIn(ada.handle)).body.token as string;
    const sessions = (await api(base, "GET", "/api/sessions", { token: second })).body.sessions;
    const signUpSession = sessions.find((s: any) => !s.current);
    const mine = sessions.find((s: any) => s.current);

    const stranger = await api(base, "DELETE", `/api/sessions/${signUpSession.id}`, {
      token: eve.token,
    });
    expect(stranger.status).toBe(404);
    expect(stranger.body.error.code).toBe("AMPHI_SESSION_NOT_FOUND");
    expect((await api(base, "GET", "/api/accounts/me", { token: ada.token })).status).toBe(200);

    const ended = await api(base, "DELETE", `/api/sessions/${signUpSession.id}`, {
      token: second,
    });
    expect(ended.status).toBe(200);
    expect(ended.body).toEqual({ current: false });
    expect((await api(base, "GET", "/api/accounts/me", { token: ada.token })).status).toBe(401);

    const own = await api(base, "DELETE", `/api/sessions/${mine.id}`, { token: second });
    expect(own.body).toEqual({ current: true });
    expect(own.headers.get("set-cookie")).toMatch(/amphi_session=;/);
    expect((await api(base, "GET", "/api/accounts/me", { token: second })).status).toBe(401);
  });

  it("logs out everywhere, this session included", async () => {
    const ada = await signUp(base);
    const tokens = [
      ada.token,
      (await logIn(ada.handle)).body.token,
      (await logIn(ada.handle)).body.token,
    ];
    const all = await api(base, "DELETE", "/api/sessions", { token: tokens[1] });
    expect(all.status).toBe(200);
    expect(all.body).toEqual({ endedSessions: 3 });
    for (const token of tokens) {
      expect((await api(base, "GET", "/api/accounts/me", { token })).status).toBe(401);
    }
    expect((await api(base, "GET", "/api/sessions", { token: tokens[0] })).status).toBe(401);
  });
});

describe("a login lockout attackers cannot turn against the owner", () => {
  it("locks the handle for strangers after failures from many addresses, while the owner's known browser still logs in", async () => {
    const handle = uniqueHandle("own");
    const created = await api(base, "POST", "/api/accounts", {
      body: { handle, displayName: "Owner", password },
      headers: { "x-forwarded-for": "198.51.100.7" },
    });
    expect(created.status).toBe(201);
    const device = cookieOf(created.headers, "amphi_device");
    expect(device).toBeDefined();
    expect(created.headers.getSetCookie().join("\n")).toMatch(/amphi_device=.*HttpOnly/i);

    // The handle allows 2 failures per address and 20 from everywhere: an attacker spreads
    // 20 wrong guesses over 10 addresses.
    for (let i = 1; i <= 10; i++) {
      for (let j = 0; j < 2; j++) {
        const guess = await logIn(handle, `guess ${i} ${j}`, {
          "x-forwarded-for": `203.0.113.${i}`,
        });
        expect(guess.status).toBe(401);
      }
    }
    // Locked for every other client, even with the right password...
    const stranger = await logIn(handle, password, { "x-forwarded-for": "192.0.2.50" });
    expect(stranger.status).toBe(429);
    // ...but not for the owner's browser, from wherever it is now.
    const owner = await logIn(handle, password, {
      "x-forwarded-for": "192.0.2.99",
      cookie: device!,
    });
    expect(owner.status, JSON.stringify(owner.body)).toBe(200);
  });

  it("counts a known browser's own failures against that browser only", async () => {
    const handle = uniqueHandle("dev");
    const created = await api(base, "POST", "/api/accounts", {
      body: { handle, displayName: "Owner", password },
    });
    const device = cookieOf(created.headers, "amphi_device")!;
    const other = await signUp(base);
    const otherDevice = cookieOf((await logIn(other.handle)).headers, "amphi_device")!;
    for (let i = 0; i < 2; i++) {
      expect((await logIn(handle, "wrong", { cookie: device })).status).toBe(401);
    }
    expect((await logIn(handle, password, { cookie: device })).status).toBe(429);
    // A device cookie known for another account is a stranger here: the pair limit applies.
    expect((await logIn(handle, password, { cookie: otherDevice })).status).toBe(200);
  });
});
