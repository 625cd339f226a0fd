import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, signUp, uniqueHandle } from "../support/amphi-test-server.ts";
import { signUpInBrowser } from "../support/browser.ts";
import { type BrowserRig, startBrowserRig } from "../support/browser-rig.ts";

/**
 * What a new user met on the pages, in Debian's Chromium: the log-in form's words, a cancelled
 * Space's recording badge, the audience figures at the end, and the waiting room of a Space
 * whose host is late.
 */
let rig: BrowserRig;

beforeAll(async () => {
  rig = await startBrowserRig({ name: "pages" });
});
afterAll(() => rig?.close());

async function space(body: Record<string, unknown>) {
  const host = await signUp(rig.amphi.url, uniqueHandle("host"));
  const created = await api(rig.amphi.url, "POST", "/api/spaces", { token: host.token, body });
  expect(created.status).toBe(201);
  return { id: created.body.space.id as string, hostToken: host.token };
}

describe("the pages a new user meets", () => {
  it("log-in with an empty password says so in words, not the validator's", async () => {
    const page = await rig.newPage();
    await page.goto("/login");
    await page.getByTestId("login-handle").fill("someone");
    await page.getByTestId("login-submit").click();
    const error = page.locator(".field-error");
    await error.first().waitFor();
    const text = (await error.allTextContents()).join(" ");
    expect(text).toContain("enter your password");
    expect(text).not.toMatch(/expected|too small|>=/i);
  });

  it("a cancelled Space shows no recording", async () => {
    const later = new Date(Date.now() + 86_400_000).toISOString();
    const { id, hostToken } = await space({ title: "Called off", scheduledFor: later });
    const cancelled = await api(rig.amphi.url, "POST", `/api/spaces/${id}/cancel`, {
      token: hostToken,
    });
    expect(cancelled.status).toBe(200);
    const page = await rig.newPage();
    await page.goto(`/spaces/${id}`);
    await expect.poll(() => page.getByTestId("space-state").textContent()).toMatch(/cancel/i);
    expect(await page.getByTestId("recording-badge").count()).toBe(0);
    expect(await page.getByText("Recorded", { exact: true }).count()).toBe(0);
    expect(await page.getByTestId("recording-detail").textContent()).toMatch(/no recording/i);
  });

  it("peak and total listeners appear as soon as the Space ends, without a reload", async () => {
    const { id, hostToken } = await space({ title: "Short one", startNow: true });
    const page = await rig.newPage();
    await signUpInBrowser(page, uniqueHandle("ear"));
    await page.goto(`/spaces/${id}`);
    await page.getByTestId("listen-button").click();
    await expect
      .poll(() => page.getByTestId("audio-player").getAttribute("data-admission"), {
        timeout: 30_000,
      })
      .toBe("admitted");
    const ended = await api(rig.amphi.url, "POST", `/api/spaces/${id}/end`, { token: hostToken });
    expect(ended.status).toBe(200);
    await expect
      .poll(() => page.getByTestId("peak-listeners").textContent(), { timeout: 15_000 })
      .toBe("1");
    expect(await page.getByTestId("total-listeners").textContent()).toBe("1");
  });

  it("past a scheduled start the host has not begun, the waiting room says so instead of a time", async () => {
    // Scheduled half a minute ago; its host has not started it.
    const past = new Date(Date.now() - 30_000).toISOString();
    const { id } = await space({ title: "Late host", scheduledFor: past });
    const page = await rig.newPage();
    await page.goto(`/spaces/${id}`);
    await page.getByTestId("join-line").click();
    await page.getByTestId("waiting-room").waitFor();
    expect(await page.getByTestId("waiting-room").getAttribute("data-phase")).toBe("pre-queue");
    const wait = await page.getByTestId("queue-wait").textContent();
    expect(wait).toMatch(/host hasn't started/i);
    expect(wait).not.toMatch(/minute/);
  });
});
