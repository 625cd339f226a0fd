import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  api,
  signUp,
  startTestServer,
  type TestServer,
  uniqueHandle,
} from "../support/amphi-test-server.ts";

let server: TestServer;
let base: string;

beforeAll(async () => {
  server = await startTestServer({ loginFailuresPerAccount: 3, loginAttemptsPerIp: 1000 });
  base = server.url;
});
afterAll(async () => {
  await server?.close();
});

const password = "correct horse battery";

describe("accounts and sessions", () => {
  it("signs up, logs in with a bearer token, and logs out", async () => {
    const handle = uniqueHandle("acct");
    const created = await api(base, "POST", "/api/accounts", {
      body: { handle: handle.toUpperCase(), displayName: "  Ada  ", password },
    });
    expect(created.status).toBe(201);
    expect(created.body.account).toMatchObject({ handle, displayName: "Ada", bio: "" });
    expect(created.body.account).not.toHaveProperty("passwordHash");
    expect(created.headers.get("set-cookie")).toMatch(/amphi_session=.*HttpOnly/i);

    const session = await api(base, "POST", "/api/sessions", { body: { handle, password } });
    expect(session.status).toBe(200);
    const me = await api(base, "GET", "/api/accounts/me", { token: session.body.token });
    expect(me.body.account.handle).toBe(handle);

    expect(
      (await api(base, "DELETE", "/api/sessions/current", { token: session.body.token })).status,
    ).toBe(200);
    expect((await api(base, "GET", "/api/accounts/me", { token: session.body.token })).status).toBe(
      401,
    );
    // The other session (from sign-up) is still valid.
    expect((await api(base, "GET", "/api/accounts/me", { token: created.body.token })).status).toBe(
      200,
    );
  });

  it("says who is logged in, and answers nobody with 200 and a null account", async () => {
    const nobody = await api(base, "GET", "/api/sessions/current");
    expect(nobody.status).toBe(200);
    expect(nobody.body).toEqual({ account: null });
    expect(nobody.headers.get("cache-control")).toMatch(/no-store/);

    const handle = uniqueHandle("who");
    const created = await api(base, "POST", "/api/accounts", {
      body: { handle, displayName: "Who", password },
    });
    const me = await api(base, "GET", "/api/sessions/current", { token: created.body.token });
    expect(me.status).toBe(200);
    expect(me.body.account).toMatchObject({ handle, displayName: "Who" });

    await api(base, "DELETE", "/api/sessions/current", { token: created.body.token });
    const after = await api(base, "GET", "/api/sessions/current", { token: created.body.token });
    expect(after.status).toBe(200);
    expect(after.body).toEqual({ account: null });
  });

  it("refuses a taken handle with 409 naming the field", async () => {
    const { handle } = await signUp(base);
    const again = await api(base, "POST", "/api/accounts", {
      body: { handle, displayName: "Copy", password },
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("AMPHI_HANDLE_TAKEN");
    expect(again.body.error.details[0].path).toEqual(["body", "handle"]);
  });

  it("answers a wrong password and an unknown handle alike", async () => {
    const { handle } = await signUp(base);
    const wrong = await api(base, "POST", "/api/sessions", {
      body: { handle, password: "not the password" },
    });
    const unknown = await api(base, "POST", "/api/sessions", {
      body: { handle: "nobody_at_all", password },
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
  });

  it("locks an account after repeated failures, with 429 and Retry-After, even for the right password", async () => {
    const { handle } = await signUp(base);
    for (let i = 0; i < 3; i++) {
      expect(
        (await api(base, "POST", "/api/sessions", { body: { handle, password: "wrong password" } }))
          .status,
      ).toBe(401);
    }
    const locked = await api(base, "POST", "/api/sessions", { body: { handle, password } });
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe("AMPHI_RATE_LIMITED");
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("uses the session cookie for the web app and refuses it from another origin", async () => {
    const created = await api(base, "POST", "/api/accounts", {
      body: { handle: uniqueHandle("ck"), displayName: "Cookie", password },
    });
    const cookie = created.headers.get("set-cookie")!.split(";")[0]!;
    const me = await api(base, "GET", "/api/accounts/me", { headers: { cookie } });
    expect(me.status).toBe(200);
    const host = new URL(base).host;
    const same = await api(base, "PATCH", "/api/accounts/me", {
      headers: { cookie, origin: `http://${host}` },
      body: { bio: "same origin" },
    });
    expect(same.status).toBe(200);
    const cross = await api(base, "PATCH", "/api/accounts/me", {
      headers: { cookie, origin: "https://evil.example" },
      body: { bio: "csrf" },
    });
    expect(cross.status).toBe(403);
    expect(cross.body.error.code).toBe("AMPHI_CROSS_ORIGIN");
  });
});

describe("profiles and follows", () => {
  it("explains empty log-in and sign-up fields in words people read, not the validator's", async () => {
    const jargon = /expected|too small|too big|invalid input|>=|<=/i;
    const forms = [
      { path: "/api/sessions", body: { handle: "someone", password: "" } },
      { path: "/api/sessions", body: { handle: "", password: "" } },
      { path: "/api/sessions", body: {} },
      { path: "/api/accounts", body: { handle: "", displayName: "", password: "" } },
    ];
    for (const { path, body } of forms) {
      const res = await api(base, "POST", path, { body });
      expect(res.status, path).toBe(400);
      expect(res.body.error.code).toBe("AMPHI_VALIDATION_FAILED");
      for (const issue of res.body.error.details) expect(issue.message).not.toMatch(jargon);
    }
    const empty = await api(base, "POST", "/api/sessions", {
      body: { handle: "someone", password: "" },
    });
    expect(empty.body.error.details).toEqual([
      { path: ["body", "password"], message: "enter your password" },
    ]);
  });

  it("follows and unfollows, with counts on both profiles", async () => {
    const ada = await signUp(base);
    const bob = await signUp(base);
    const followed = await api(base, "PUT", `/api/accounts/${bob.handle}/follow`, {
      token: ada.token,
    });
    expect(followed.body.profile).toMatchObject({
      handle: bob.handle,
      followers: 1,
      following: 0,
      viewerFollows: true,
    });
    expect(
      (await api(base, "PUT", `/api/accounts/${bob.handle}/follow`, { token: ada.token })).body
        .profile.followers,
    ).toBe(1);
    const adaProfile = await api(base, "GET", `/api/accounts/${ada.handle}`);
    expect(adaProfile.body.profile).toMatchObject({
      followers: 0,
      following: 1,
      viewerFollows: null,
    });
    const unfollowed = await api(base, "DELETE", `/api/accounts/${bob.handle}/follow`, {
      token: ada.token,
    });
    expect(unfollowed.body.profile).toMatchObject({ followers: 0, viewerFollows: false });
    const self = await api(base, "PUT", `/api/accounts/${ada.handle}/follow`, { token: ada.token });
    expect(self.status).toBe(409);
  });

  it("edits the display name and bio", async () => {
    const ada = await signUp(base);
    const res = await api(base, "PATCH", "/api/accounts/me", {
      token: ada.token,
      body: { displayName: "Ada L.", bio: "Counts things." },
    });
    expect(res.body.account).toMatchObject({ displayName: "Ada L.", bio: "Counts things." });
    expect((await api(base, "GET", `/api/accounts/${ada.handle}`)).body.profile.bio).toBe(
      "Counts things.",
    );
  });
});

describe("sign-up limits", () => {
  it("refuses sign-ups past the per-client limit with 429 and Retry-After", async () => {
    const small = await startTestServer({ signupsPerIp: 2 });
    try {
      await signUp(small.url);
      await signUp(small.url);
      const third = await api(small.url, "POST", "/api/accounts", {
        body: { handle: uniqueHandle("lim"), displayName: "Limit", password },
      });
      expect(third.status).toBe(429);
      expect(third.body.error.code).toBe("AMPHI_RATE_LIMITED");
      expect(Number(third.headers.get("retry-after"))).toBeGreaterThan(0);
    } finally {
      await small.close();
    }
  });
});
