import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, uniqueHandle } from "../support/amphi-test-server.ts";
import { signUpInBrowser } from "../support/browser.ts";
import { type BrowserRig, startBrowserRig } from "../support/browser-rig.ts";
import { speechWav } from "../support/speech-wav.ts";

/**
 * The strict Content-Security-Policy lets the built app do all it does, in Chromium: the host
 * speaks (WHIP), a listener plays (hls.js: blob: media and workers), a listener under attack
 * mode solves the ALTCHA challenge (its blob: workers), the service worker registers, the
 * embed player and the API's docs page (swagger UI) render. Not one CSP violation is
 * reported on the console of any page.
 */
const opsToken = "ops-token-for-security-headers-e2e";
let rig: BrowserRig;
const violations: string[] = [];

beforeAll(async () => {
  rig = await startBrowserRig({
    name: "csp",
    pageTimeoutMs: 60_000,
    startTimeoutMs: 180_000,
    env: { OPS_TOKEN: opsToken },
    chromiumArgs: (dataDir) => [
      "--use-fake-ui-for-media-stream",
      "--use-fake-device-for-media-stream",
      `--use-file-for-fake-audio-capture=${speechWav(undefined, dataDir)}`,
      "--autoplay-policy=no-user-gesture-required",
    ],
  });
});

afterAll(async () => {
  // What was seen, to read when the test fails.
  if (violations.length > 0) process.stderr.write(`CSP violations:\n${violations.join("\n")}\n`);
  await rig?.close();
});

/** A page whose CSP complaints (console errors, violation events) are collected. */
async function watchedPage(name: string): Promise<Page> {
  const page = await rig.newPage();
  page.on("console", (message) => {
    const text = message.text();
    if (
      /Content Security Policy|Refused to (load|execute|connect|create|apply|frame)/i.test(text)
    ) {
      violations.push(`${name}: ${text}`);
    }
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      console.error(
        `Content Security Policy violation: ${event.violatedDirective} ${event.blockedURI}`,
      );
    });
  });
  return page;
}

const currentTime = (page: Page, testId: string) =>
  page.getByTestId(testId).evaluate((el) => (el as HTMLMediaElement).currentTime);

describe("the strict CSP in Chromium", { timeout: 180_000 }, () => {
  it("lets every part of the app work, with no violation reported", async () => {
    const host = await watchedPage("host");
    await signUpInBrowser(host, uniqueHandle("csp"));
    await host.goto("/new");
    await host.getByTestId("create-title").fill("Strict headers");
    await host.getByTestId("create-start-now").check();
    await host.getByTestId("create-submit").click();
    await host.waitForURL(/\/spaces\/[A-Za-z0-9]+$/);
    const spacePath = new URL(host.url()).pathname;
    const spaceId = spacePath.split("/").pop() as string;

    // WHIP from the page.
    await host.getByTestId("join-mic").click();
    await expect
      .poll(() => host.getByTestId("mic-status").textContent(), { timeout: 20_000 })
      .toBe("Live");

    // hls.js in the web player.
    const listener = await watchedPage("listener");
    await listener.goto(spacePath);
    await listener.getByTestId("listen-button").click();
    await expect
      .poll(() => currentTime(listener, "player-audio"), { timeout: 30_000 })
      .toBeGreaterThan(1);

    // The service worker (web push) registers.
    const scope = await listener.evaluate(async () => {
      const registration = await navigator.serviceWorker.register("/sw.js");
      await navigator.serviceWorker.ready;
      return registration.scope;
    });
    expect(scope).toMatch(/\/$/);

    // ALTCHA's proof of work, in attack mode.
    const forced = await api(rig.amphi.url, "PUT", "/api/admin/attack-mode", {
      headers: { authorization: `Bearer ${opsToken}` },
      body: { mode: "on" },
    });
    expect(forced.status).toBe(200);
    try {
      const challenged = await watchedPage("challenged");
      await challenged.goto(spacePath);
      await challenged.getByTestId("listen-button").click();
      await challenged.getByTestId("challenge-gate").waitFor();
      await expect
        .poll(() => currentTime(challenged, "player-audio"), { timeout: 60_000 })
        .toBeGreaterThan(0.5);
    } finally {
      await api(rig.amphi.url, "PUT", "/api/admin/attack-mode", {
        headers: { authorization: `Bearer ${opsToken}` },
        body: { mode: "auto" },
      });
    }

    // The embed player.
    const embed = await watchedPage("embed");
    await embed.goto(`/embed/${spaceId}`);
    await embed.locator("#root *").first().waitFor();

    // The API's docs page.
    const docs = await watchedPage("docs");
    await docs.goto("/api/docs");
    await docs.locator(".swagger-ui .opblock").first().waitFor({ timeout: 30_000 });

    expect(violations).toEqual([]);
  });
});
