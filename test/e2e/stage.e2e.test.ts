import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uniqueHandle } from "../support/amphi-test-server.ts";
import { signUpInBrowser } from "../support/browser.ts";
import { type BrowserRig, startBrowserRig } from "../support/browser-rig.ts";

let rig: BrowserRig;

beforeAll(async () => {
  rig = await startBrowserRig({ name: "stage", pageTimeoutMs: 15_000 });
});

afterAll(() => rig?.close());

const newPage = () => rig.newPage();

function stageMember(page: Page, handle: string) {
  return page.locator(`[data-testid="stage-member"][data-handle="${handle}"]`);
}

describe("two people on a Space, in Chromium", () => {
  it("hosts, joins, requests to speak, accepts, and shares reactions", async () => {
    const hostHandle = uniqueHandle("host");
    const guestHandle = uniqueHandle("guest");
    const host = await newPage();
    const guest = await newPage();
    await signUpInBrowser(host, hostHandle, "Hana Host");
    await signUpInBrowser(guest, guestHandle, "Gus Guest");

    await host.goto("/new");
    await host.getByTestId("create-title").fill("Launch night");
    await host.getByTestId("create-description").fill("We talk about the launch.");
    await host.getByTestId("create-start-now").check();
    await host.getByTestId("create-submit").click();
    await host.waitForURL(/\/spaces\/[A-Za-z0-9]+$/);
    await expect.poll(() => host.getByTestId("space-title").textContent()).toBe("Launch night");
    await expect.poll(() => host.getByTestId("space-state").textContent()).toMatch(/live/i);
    await expect.poll(() => stageMember(host, hostHandle).getAttribute("data-role")).toBe("host");

    await guest.goto(new URL(host.url()).pathname);
    await expect.poll(() => guest.getByTestId("my-standing").textContent()).toMatch(/listener/i);
    await guest.getByTestId("request-to-speak").click();
    await guest.getByTestId("cancel-request").waitFor();

    const request = host.locator(`[data-testid="request-item"][data-handle="${guestHandle}"]`);
    await request.waitFor();
    await request.getByTestId("accept-request").click();

    await expect
      .poll(() => stageMember(host, guestHandle).getAttribute("data-role"))
      .toBe("speaker");
    await expect
      .poll(() => stageMember(guest, guestHandle).getAttribute("data-role"))
      .toBe("speaker");
    await expect.poll(() => stageMember(guest, hostHandle).getAttribute("data-role")).toBe("host");
    await expect.poll(() => guest.getByTestId("my-standing").textContent()).toMatch(/speaker/i);

    await guest.locator('[data-testid="reaction-button"][data-emoji="🔥"]').click();
    await host.locator('[data-testid="floating-reaction"][data-emoji="🔥"]').first().waitFor();
    await host.locator('[data-testid="reaction-button"][data-emoji="👏"]').click();
    await guest.locator('[data-testid="floating-reaction"][data-emoji="👏"]').first().waitFor();
  });

  it("lets a listener who is not logged in react once listening, with their ticket", async () => {
    const host = await newPage();
    const visitor = await newPage();
    await signUpInBrowser(host, uniqueHandle("host"), "Hana Host");
    await host.goto("/new");
    await host.getByTestId("create-title").fill("Open mic");
    await host.getByTestId("create-start-now").check();
    await host.getByTestId("create-submit").click();
    await host.waitForURL(/\/spaces\/[A-Za-z0-9]+$/);
    await expect.poll(() => host.getByTestId("space-state").textContent()).toMatch(/live/i);

    await visitor.goto(new URL(host.url()).pathname);
    const fire = visitor.locator('[data-testid="reaction-button"][data-emoji="🔥"]');
    await expect.poll(() => fire.isDisabled()).toBe(true);
    await expect
      .poll(() => visitor.locator(".reaction-hint").textContent())
      .toMatch(/listen or log in to react/i);

    await visitor.getByTestId("listen-button").click();
    await expect.poll(() => fire.isEnabled()).toBe(true);
    await fire.click();
    // Floats at once for the visitor, and reaches the host without a name.
    await visitor.locator('[data-testid="floating-reaction"][data-emoji="🔥"]').first().waitFor();
    await host
      .locator('[data-testid="floating-reaction"][data-emoji="🔥"]:not([data-handle])')
      .first()
      .waitFor();
  });
});
