import { mkdirSync } from "node:fs";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uniqueHandle } from "../support/amphi-test-server.ts";
import { signUpInBrowser } from "../support/browser.ts";
import { type BrowserRig, startBrowserRig } from "../support/browser-rig.ts";
import { WebhookReceiver } from "../support/webhook-receiver.ts";

/**
 * A host manages webhooks on their own profile in Chromium: adds one, copies the secret shown
 * once, sends a test the receiver verifies, reads the delivery log, deletes the endpoint.
 */
let rig: BrowserRig;
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await WebhookReceiver.start();
  rig = await startBrowserRig({
    name: "webhooks",
    env: { WEBHOOKS_ALLOW_HTTP_LOOPBACK: "true" },
  });
});
afterAll(async () => {
  await rig?.close();
  await receiver?.close();
});

describe("webhooks in the profile", () => {
  it("add, see the secret once, send a test, read the log, delete", async () => {
    const page = await rig.newPage();
    const handle = uniqueHandle("hooks");
    await signUpInBrowser(page, handle);
    await page.goto(`/@${handle}`);
    await page.getByTestId("webhook-add").click();
    await page.getByTestId("webhook-url").fill(`${receiver.url}/from-browser`);
    await page.getByTestId("webhook-event-space.ended").check();
    await page.getByTestId("webhook-create").click();
    const secret = (await page.getByTestId("webhook-secret-value").textContent()) ?? "";
    expect(secret).toMatch(/^whsec_/);
    await expect.poll(() => page.getByTestId("webhook-status").textContent()).toBe("Active");

    await page.getByTestId("webhook-test").click();
    await page.getByTestId("webhook-log-row").first().waitFor();
    expect(await page.getByTestId("webhook-log-row").first().textContent()).toContain(
      "Delivered · 200",
    );
    const [hook] = await receiver.waitFor("/from-browser", 1);
    expect(new Webhook(secret).verify(hook!.body, hook!.headers)).toMatchObject({
      type: "webhook.test",
    });
    mkdirSync("test-results", { recursive: true });
    await page.screenshot({ path: "test-results/webhooks-profile.png", fullPage: true });

    // Reloaded, the secret is gone for good; the endpoint stays.
    await page.reload();
    await page.getByTestId("webhook-item").waitFor();
    expect(await page.getByTestId("webhook-secret").count()).toBe(0);

    await page.getByTestId("webhook-delete").click();
    await page.getByTestId("confirm-ok").click();
    await expect.poll(() => page.getByTestId("webhook-item").count()).toBe(0);
  });
});
