import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, signUp, type TestAccount, uniqueHandle } from "../support/amphi-test-server.ts";
import { signUpInBrowser } from "../support/browser.ts";
import { type BrowserRig, startBrowserRig } from "../support/browser-rig.ts";

/**
 * Reminders on a scheduled Space's page, in Debian's Chromium: asking an anonymous visitor to
 * log in, setting and tuning a reminder, the calendar file, and the host's forecast (a Space
 * that holds one listener, so two reminders do not fit).
 */
let rig: BrowserRig;
let host: TestAccount;
let spaceId: string;

beforeAll(async () => {
  rig = await startBrowserRig({
    name: "reminders",
    env: { MAX_LISTENERS_PER_SPACE: "1", ADMIT_RATE_PER_SECOND: "150" },
  });
  host = await signUp(rig.amphi.url, uniqueHandle("host"));
  const created = await api(rig.amphi.url, "POST", "/api/spaces", {
    token: host.token,
    body: {
      title: "Rates, risks and the year ahead",
      scheduledFor: new Date(Date.now() + 86_400_000).toISOString(),
    },
  });
  spaceId = created.body.space.id;
});
afterAll(() => rig?.close());

describe("reminders on a scheduled Space's page", () => {
  it("asks an anonymous visitor to log in, and offers everyone the calendar file", async () => {
    const page = await rig.newPage();
    await page.goto(`/spaces/${spaceId}`);
    await page.getByTestId("reminder-login").waitFor();
    expect(await page.getByTestId("reminder-login").textContent()).toBe("Log in to get a reminder");
    const href = await page.getByTestId("add-to-calendar").getAttribute("href");
    expect(href).toBe(`/spaces/${spaceId}.ics`);
    const file = await page.evaluate(async (url) => {
      const res = await fetch(url);
      return { type: res.headers.get("content-type"), text: await res.text() };
    }, href as string);
    expect(file.type).toBe("text/calendar; charset=utf-8");
    expect(file.text).toContain("SUMMARY:Rates\\, risks and the year ahead");
  });

  it("sets a reminder, turns one moment off, and removes it", async () => {
    const page = await rig.newPage();
    await signUpInBrowser(page, uniqueHandle("fan"));
    await page.goto(`/spaces/${spaceId}`);
    await page.getByTestId("remind-me").click();
    await page.getByTestId("reminder-panel").waitFor();
    const mine = () =>
      page.evaluate(async (id) => {
        const res = await fetch(`/api/spaces/${id}/reminder`);
        return (await res.json()).reminder;
      }, spaceId);
    expect(await mine()).toMatchObject({ at24h: true, at1h: true, atStart: true });
    await page.getByTestId("reminder-at24h").uncheck({ force: true });
    await expect.poll(async () => (await mine())?.at24h).toBe(false);
    expect(await page.getByTestId("reminder-at24h").isChecked()).toBe(false);
    // After a reload the page shows what is stored.
    await page.reload();
    await page.getByTestId("reminder-panel").waitFor();
    expect(await page.getByTestId("reminder-at24h").isChecked()).toBe(false);
    expect(await page.getByTestId("reminder-at1h").isChecked()).toBe(true);
    await page.getByTestId("remove-reminder").click();
    await page.getByTestId("remind-me").waitFor();
    expect(await mine()).toBeNull();
  });

  it("shows the host the expected audience, in the warning style when it does not fit", async () => {
    for (let i = 0; i < 2; i++) {
      const fan = await signUp(rig.amphi.url, uniqueHandle("rem"));
      await api(rig.amphi.url, "PUT", `/api/spaces/${spaceId}/reminder`, { token: fan.token });
    }
    const page = await rig.newPage();
    await page
      .context()
      .addCookies([{ name: "amphi_session", value: host.token, url: rig.amphi.url }]);
    await page.goto(`/spaces/${spaceId}`);
    const card = page.getByTestId("audience-forecast");
    await card.waitFor();
    expect(await card.getAttribute("data-fits")).toBe("false");
    expect(await page.getByTestId("forecast-line").textContent()).toMatch(
      /2 reminders · expected ~2 · capacity 1 · admits 150\/s/,
    );
    expect(await page.getByTestId("forecast-warning").textContent()).toMatch(
      /more than a Space holds/,
    );
    // Nobody else sees it.
    const other = await rig.newPage();
    await other.goto(`/spaces/${spaceId}`);
    await other.getByTestId("reminder-card").waitFor();
    expect(await other.getByTestId("audience-forecast").count()).toBe(0);
  });
});
