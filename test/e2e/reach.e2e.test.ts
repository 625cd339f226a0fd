import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, signUp, type TestAccount, uniqueHandle } from "../support/amphi-test-server.ts";
import { signUpInBrowser } from "../support/browser.ts";
import { type BrowserRig, startBrowserRig } from "../support/browser-rig.ts";

/**
 * Reach, as a follower lives it in Debian's Chromium: B follows host A on A's profile; A
 * schedules a Space; B sets a reminder, finds the Space under Upcoming on the home page and
 * downloads its .ics; A goes live; B, still on the home page, gets the toast and finds the
 * entry in the inbox. (The embed in a foreign iframe is test/e2e/embed.e2e.test.ts; webhooks
 * are test/integration/webhooks.test.ts; link previews are test/integration/sharing.test.ts.)
 */
let rig: BrowserRig;
let host: TestAccount;

beforeAll(async () => {
  rig = await startBrowserRig({ name: "reach", startTimeoutMs: 180_000 });
  host = await signUp(rig.amphi.url, uniqueHandle("hosta"));
}, 240_000);
afterAll(() => rig?.close());

describe("a follower hears of a Space through Amphi", () => {
  it("follows, reminds, sees it upcoming, keeps the .ics, and is told when it goes live", async () => {
    const page = await rig.newPage();
    await signUpInBrowser(page, uniqueHandle("fanb"));

    // B follows A on A's profile.
    await page.goto(`/@${host.handle}`);
    await page.getByTestId("follow-button").click();
    await expect.poll(() => page.getByTestId("follow-button").textContent()).toBe("Unfollow");

    // A schedules a Space for tomorrow.
    const title = `Rates, risks & the year ahead ${Date.now() % 10_000}`;
    const created = await api(rig.amphi.url, "POST", "/api/spaces", {
      token: host.token,
      body: { title, scheduledFor: new Date(Date.now() + 86_400_000).toISOString() },
    });
    expect(created.status).toBe(201);
    const spaceId: string = created.body.space.id;

    // B sets a reminder on its page.
    await page.goto(`/spaces/${spaceId}`);
    await page.getByTestId("remind-me").click();
    await page.getByTestId("reminder-panel").waitFor();
    const forecast = await api(rig.amphi.url, "GET", `/api/spaces/${spaceId}/audience-forecast`, {
      token: host.token,
    });
    expect(forecast.body).toMatchObject({ reminders: 1, followers: 1 });

    // The .ics downloads as a file with the Space's event.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByTestId("add-to-calendar").click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.ics$/);
    const path = await download.path();
    const { readFileSync } = await import("node:fs");
    const ics = readFileSync(path, "utf8").replace(/\r\n[ \t]/g, "");
    expect(ics).toContain("BEGIN:VEVENT");
    expect(ics).toMatch(/DTSTART:\d{8}T\d{6}Z/);
    expect(ics).toContain(`/spaces/${spaceId}`);

    // Upcoming on the home page, among the Spaces of people B follows.
    await page.goto("/");
    const upcoming = page.getByTestId("upcoming-spaces");
    // The page refreshes its lists every 15 s; a busy CI machine has missed the first load.
    await upcoming.getByText(title).waitFor({ timeout: 35_000 });

    // A goes live while B is on the home page: a toast, then the inbox entry.
    await page.getByTestId("notifications-bell").waitFor();
    const started = await api(rig.amphi.url, "POST", `/api/spaces/${spaceId}/start`, {
      token: host.token,
    });
    expect(started.status).toBe(200);
    const toast = page.locator(".toast", { hasText: `is live: ${title}` });
    await toast.waitFor({ timeout: 30_000 });
    expect(await page.getByTestId("unread-count").textContent()).toMatch(/^[1-9]/);

    await page.getByTestId("notifications-bell").click();
    const entry = page.getByTestId("notification-link").filter({ hasText: `is live: ${title}` });
    await entry.first().waitFor();
    // One go-live, one entry.
    expect(await entry.count()).toBe(1);
    await entry.first().click();
    await page.waitForURL(`**/spaces/${spaceId}`);
  }, 240_000);
});
