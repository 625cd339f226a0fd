import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, signUp, uniqueHandle } from "../support/amphi-test-server.ts";
import { signUpInBrowser } from "../support/browser.ts";
import { type BrowserRig, startBrowserRig } from "../support/browser-rig.ts";

/**
 * Discovery as a new user meets it in Chromium: follow a host on their profile, find their
 * live Space first under "Live now" on the home page, search by the start of a word, and
 * see the host's past Spaces with a replay button. `AMPHI_SCREENSHOT_DIR` keeps screenshots
 * of each page at desktop and phone sizes.
 */
let rig: BrowserRig;
const shots = process.env.AMPHI_SCREENSHOT_DIR;

beforeAll(async () => {
  rig = await startBrowserRig({ name: "discovery", startTimeoutMs: 180_000 });
}, 240_000);
afterAll(() => rig?.close());

async function create(token: string, body: Record<string, unknown>): Promise<string> {
  const res = await api(rig.amphi.url, "POST", "/api/spaces", { token, body });
  expect(res.status).toBe(201);
  return res.body.space.id as string;
}

describe("discovery in the browser", () => {
  it("follow a host, see their Space first under Live now, find it by searching", async () => {
    const base = rig.amphi.url;
    const host = await signUp(base, uniqueHandle("host"));
    const other = await signUp(base, uniqueHandle("other"));
    await api(base, "PATCH", "/api/accounts/me", {
      token: host.token,
      body: { displayName: "Ada Amphibian" },
    });
    const past = await create(host.token, { title: "Last week's roundtable", startNow: true });
    await api(base, "POST", `/api/spaces/${past}/end`, { token: host.token });
    const popular = await create(other.token, {
      title: "Someone else's talk",
      description: "Popular, not followed",
      startNow: true,
    });
    const followed = await create(host.token, {
      title: "Amphitheatre acoustics, live",
      description: "Why old theatres sound good",
      startNow: true,
    });
    await create(host.token, {
      title: "Friday listening party",
      scheduledFor: new Date(Date.now() + 2 * 86_400_000).toISOString(),
    });

    const page = await rig.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    await signUpInBrowser(page, uniqueHandle("fan"));
    await page.goto(`/@${host.handle}`);
    await page.getByTestId("follow-button").click();
    await expect.poll(() => page.getByTestId("follower-count").textContent()).toBe("1");
    const pastCard = page.getByTestId("profile-past").getByTestId("space-card");
    await expect.poll(() => pastCard.count()).toBe(1);
    expect(await pastCard.getByTestId("play-replay").getAttribute("href")).toBe(`/spaces/${past}`);
    if (shots) await page.screenshot({ path: `${shots}/profile-1280.png`, fullPage: true });

    // The per-person list is cached for a few seconds: the home page polls, reload to be quick.
    const liveCards = page.getByTestId("live-spaces").getByTestId("space-card");
    await expect
      .poll(
        async () => {
          await page.goto("/");
          await liveCards.first().waitFor();
          return liveCards.first().getAttribute("data-space-id");
        },
        { timeout: 15_000, interval: 1_000 },
      )
      .toBe(followed);
    expect(await liveCards.first().getByTestId("space-card-note").textContent()).toBe("You follow");
    const ids = await liveCards.evaluateAll((cards) =>
      cards.map((c) => c.getAttribute("data-space-id")),
    );
    expect(ids).toContain(popular);
    if (shots) await page.screenshot({ path: `${shots}/home-1280.png`, fullPage: true });

    await page.getByTestId("search-input").fill("amphith");
    await page.getByTestId("search-submit").click();
    await page.waitForURL(/\/explore\?q=amphith/);
    const found = page.getByTestId("search-spaces").getByTestId("space-card");
    await expect.poll(() => found.first().getAttribute("data-space-id")).toBe(followed);

    await page.getByTestId("search-input").fill("amphib");
    await page.getByTestId("search-submit").click();
    const people = page.getByTestId("search-accounts").getByTestId("account-card");
    await expect.poll(() => people.first().getAttribute("data-handle")).toBe(host.handle);
    if (shots) await page.screenshot({ path: `${shots}/search-1280.png`, fullPage: true });

    await page.goto("/explore");
    await page.getByTestId("explore-replays").getByTestId("space-card").first().waitFor();
    if (shots) {
      await page.screenshot({ path: `${shots}/explore-1280.png`, fullPage: true });
      await page.setViewportSize({ width: 390, height: 844 });
      for (const [name, path] of [
        ["explore", "/explore"],
        ["home", "/"],
        ["profile", `/@${host.handle}`],
        ["search", "/explore?q=amp"],
      ] as const) {
        await page.goto(path);
        await page.locator(".space-card").first().waitFor();
        await page.screenshot({ path: `${shots}/${name}-390.png`, fullPage: true });
      }
    }
  });
});
