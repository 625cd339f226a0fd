import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, signUp, uniqueHandle } from "../support/amphi-test-server.ts";
import { signUpInBrowser } from "../support/browser.ts";
import { type BrowserRig, startBrowserRig } from "../support/browser-rig.ts";

/**
 * Listeners join a live Space through the admission gate, in Debian's Chromium: with a gate
 * that lets one listener in every few seconds, the second listener sees the waiting room with
 * their place in line, then hears the Space once the gate lets them in; in forced attack mode
 * the page solves the ALTCHA challenge by itself and plays.
 */
const opsToken = "e2e-ops-token-0123456789abcdef";
let rig: BrowserRig;

beforeAll(async () => {
  rig = await startBrowserRig({
    name: "gate",
    env: {
      // One listener in every 8 s (a burst of 1): the second listener has to wait in line.
      ADMIT_RATE_PER_SECOND: "0.125",
      // Heartbeats every 5 s (the least allowed), so the test sees several.
      HEARTBEAT_SECONDS: "5",
      OPS_TOKEN: opsToken,
    },
    chromiumArgs: () => ["--autoplay-policy=no-user-gesture-required"],
  });
});

afterAll(() => rig?.close());

const newPage = () => rig.newPage();

const currentTime = (page: Page) =>
  page.getByTestId("player-audio").evaluate((el) => (el as HTMLMediaElement).currentTime);
const admission = (page: Page) => page.getByTestId("audio-player").getAttribute("data-admission");

interface Heartbeat {
  sent: string;
  status: number;
  renewed: string | undefined;
}

/** Every heartbeat the page sends: the ticket sent, and the renewed one it got back. */
function recordHeartbeats(page: Page): Heartbeat[] {
  const beats: Heartbeat[] = [];
  page.on("response", async (response) => {
    if (!response.url().endsWith("/heartbeat")) return;
    const sent = response.request().postDataJSON()?.ticket as string;
    const body = response.ok() ? await response.json() : undefined;
    beats.push({ sent, status: response.status(), renewed: body?.ticket });
  });
  return beats;
}

/** A live Space (silence until someone speaks: enough to play), and its host's token. */
async function liveSpace(title: string): Promise<{ path: string; id: string; hostToken: string }> {
  const host = await signUp(rig.amphi.url, uniqueHandle("gate"));
  const created = await api(rig.amphi.url, "POST", "/api/spaces", {
    token: host.token,
    body: { title, startNow: true },
  });
  expect(created.status).toBe(201);
  const id = created.body.space.id as string;
  return { path: `/spaces/${id}`, id, hostToken: host.token };
}

/** Presses Listen and waits until the audio element really plays. */
async function listenUntilPlaying(page: Page): Promise<void> {
  await expect.poll(() => admission(page), { timeout: 60_000 }).toBe("admitted");
  await expect.poll(() => currentTime(page), { timeout: 30_000 }).toBeGreaterThan(1);
}

describe("the admission gate in Chromium", () => {
  it("a second listener waits in line with a place shown, then plays when let in", async () => {
    const { path, id, hostToken } = await liveSpace("Flash crowd");
    const first = await newPage();
    const second = await newPage();

    const beats = recordHeartbeats(first);
    await first.goto(path);
    await first.getByTestId("listen-button").click();
    await listenUntilPlaying(first);

    // The gate's only token went to the first listener: the second one is put in line.
    await second.goto(path);
    await second.getByTestId("listen-button").click();
    await second.getByTestId("waiting-room").waitFor();
    expect(await second.getByTestId("waiting-room").getAttribute("data-phase")).toBe("queue");
    expect(Number(await second.getByTestId("queue-position").textContent())).toBeGreaterThan(0);
    expect(await second.getByTestId("queue-wait").textContent()).toMatch(/minute|hour/);
    expect(await second.getByTestId("listen-button").textContent()).toMatch(/leave the line/i);
    const stored = await second.evaluate(() => Object.keys(sessionStorage));
    expect(stored.some((key) => key.startsWith("amphi.queueToken."))).toBe(true);

    // The bucket refills; at its next try the waiting page is let in and plays by itself.
    await listenUntilPlaying(second);
    await expect.poll(() => second.getByTestId("waiting-room").count()).toBe(0);
    expect(await second.evaluate(() => Object.keys(sessionStorage).length)).toBe(0);
    // The first listener played on meanwhile, its ticket kept alive by heartbeats, each one
    // sending the ticket the previous answer renewed.
    expect(await currentTime(first)).toBeGreaterThan(2);
    await expect.poll(() => beats.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    const [one, two] = beats as [Heartbeat, Heartbeat];
    expect(one.status).toBe(200);
    expect(two.sent).toBe(one.renewed);
    // Both are counted as listening (distinct tickets heard from).
    await expect
      .poll(() => first.getByTestId("listener-count").textContent(), { timeout: 30_000 })
      .toBe("2");

    // Once the Space ends, its page shows who listened.
    expect(
      (await api(rig.amphi.url, "POST", `/api/spaces/${id}/end`, { token: hostToken })).status,
    ).toBe(200);
    await first.reload();
    await expect.poll(() => first.getByTestId("peak-listeners").textContent()).toBe("2");
    expect(await first.getByTestId("total-listeners").textContent()).toBe("2");
  });

  it("in forced attack mode the page solves the challenge by itself and plays", async () => {
    const { path } = await liveSpace("Under attack");
    const forced = await api(rig.amphi.url, "PUT", "/api/admin/attack-mode", {
      headers: { authorization: `Bearer ${opsToken}` },
      body: { mode: "on" },
    });
    expect(forced.status).toBe(200);
    try {
      const page = await newPage();
      const challenged: string[] = [];
      page.on("request", (request) => {
        if (request.url().endsWith("/tickets") && request.postDataJSON()?.altcha) {
          challenged.push(request.postDataJSON().altcha as string);
        }
      });
      await page.goto(path);
      await page.getByTestId("listen-button").click();
      await page.getByTestId("challenge-gate").waitFor();
      await listenUntilPlaying(page);
      // The ticket was granted for a solved challenge: the widget's base64 payload.
      expect(challenged.length).toBeGreaterThan(0);
      expect(JSON.parse(Buffer.from(challenged[0] as string, "base64").toString())).toHaveProperty(
        "solution",
      );
    } finally {
      await api(rig.amphi.url, "PUT", "/api/admin/attack-mode", {
        headers: { authorization: `Bearer ${opsToken}` },
        body: { mode: "auto" },
      });
    }
  });

  it("a Space whose host asks listeners to log in sends visitors to log in first", async () => {
    const host = await newPage();
    await signUpInBrowser(host, uniqueHandle("host"));
    await host.goto("/new");
    await host.getByTestId("create-title").fill("Members only");
    await host.getByTestId("create-start-now").check();
    // The switch's track covers its input: a person clicks the label, and so does the test.
    await host.getByText("Listeners must log in").click();
    expect(await host.getByTestId("create-require-login").isChecked()).toBe(true);
    await host.getByTestId("create-submit").click();
    await host.waitForURL(/\/spaces\/[A-Za-z0-9]+$/);
    const path = new URL(host.url()).pathname;
    expect(await host.getByTestId("listen-policy").textContent()).toMatch(/logged in/i);

    const visitor = await newPage();
    await visitor.goto(path);
    await visitor.getByTestId("listen-button").click();
    await visitor.getByTestId("login-required").waitFor();
    expect(await visitor.getByTestId("login-to-listen").getAttribute("href")).toBe(
      `/login?next=${encodeURIComponent(path)}`,
    );
    expect(await admission(visitor)).toBe("login");
  });
});
