import type { FrameLocator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, signUp, uniqueHandle } from "../support/amphi-test-server.ts";
import { signUpInBrowser } from "../support/browser.ts";
import { type BrowserRig, startBrowserRig } from "../support/browser-rig.ts";
import { type OtherSite, startOtherSite } from "../support/other-site.ts";
import { burstWav } from "../support/speech-wav.ts";

/**
 * The embedded players on another site, in Chromium: a blog on 127.0.0.2 frames
 * /embed/:spaceId of a Space live on Amphi (127.0.0.1, another site), whose host speaks
 * through a fake microphone (1 s bursts, 1.5 s of silence). Visitors play it inside the
 * iframe without any cookie, a second one waits in line with their place shown (the gate
 * lets one listener in every 50 s), the ended Space offers its replay, and a clip of it plays
 * in its own embed.
 */
let rig: BrowserRig;
let site: OtherSite;

beforeAll(async () => {
  [rig, site] = await Promise.all([
    startBrowserRig({
      name: "embed",
      // One listener in every 50 s (a burst of 1): the second visitor has to wait in line,
      // however slow the machine is (letting them in is test/e2e/waiting-room.e2e.test.ts's).
      env: { ADMIT_RATE_PER_SECOND: "0.02", HEARTBEAT_SECONDS: "5" },
      chromiumArgs: (dataDir) => [
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        `--use-file-for-fake-audio-capture=${burstWav(dataDir)}`,
      ],
    }),
    startOtherSite(),
  ]);
});

afterAll(async () => {
  await rig?.close();
  await site?.close();
});

const embedOf = (page: Page): FrameLocator => page.frameLocator("#embed");

const currentTime = (frame: FrameLocator, testId: string) =>
  frame.getByTestId(testId).evaluate((el) => (el as HTMLMediaElement).currentTime);

interface CookieWatch {
  /** Amphi requests that carried a Cookie header. */
  sent: string[];
  /** Amphi answers that tried to set one. */
  set: string[];
  /** Requests made to Amphi (to know the watch saw something). */
  requests: number;
}

/** Every request the page makes to Amphi: none may carry or receive a cookie. */
function watchCookies(page: Page): CookieWatch {
  const watch: CookieWatch = { sent: [], set: [], requests: 0 };
  const amphi = rig.amphi.url;
  // (Headers of requests still in flight when the page closes are not there to read.)
  page.on("request", (request) => {
    if (!request.url().startsWith(amphi)) return;
    watch.requests++;
    request.allHeaders().then(
      ({ cookie }) => {
        if (cookie) watch.sent.push(`${request.url()}: ${cookie}`);
      },
      () => {},
    );
  });
  page.on("response", (response) => {
    if (!response.url().startsWith(amphi)) return;
    response.headerValue("set-cookie").then(
      (setCookie) => {
        if (setCookie) watch.set.push(`${response.url()}: ${setCookie}`);
      },
      () => {},
    );
  });
  return watch;
}

/** A visitor of the other site, reading the post that embeds `path` of Amphi. */
async function visitor(
  path: string,
): Promise<{ page: Page; frame: FrameLocator; cookies: CookieWatch }> {
  const page = await rig.newPage();
  const cookies = watchCookies(page);
  const response = await page.goto(site.pageFraming(rig.amphi.url + path));
  expect(response?.status()).toBe(200);
  return { page, frame: embedOf(page), cookies };
}

describe("the embedded players on another site", () => {
  it("play a live Space with no cookie, queue the second visitor honestly, then replay it and play a clip of it", async () => {
    const hostHandle = uniqueHandle("emb");
    const host = await rig.newPage();
    await signUpInBrowser(host, hostHandle, "Ada Host");
    await host.goto("/new");
    await host.getByTestId("create-title").fill("Framed talk");
    await host.getByTestId("create-start-now").check();
    await host.getByTestId("create-submit").click();
    await host.waitForURL(/\/spaces\/[A-Za-z0-9_-]+$/);
    const spaceId = new URL(host.url()).pathname.split("/").pop() as string;
    await host.getByTestId("join-mic").click();
    await expect
      .poll(() => host.getByTestId("mic-status").textContent(), { timeout: 20_000 })
      .toBe("Live");

    // Two visitors of the blog see the Space in the iframe; the first presses Listen in it.
    const [first, second] = await Promise.all([
      visitor(`/embed/${spaceId}`),
      visitor(`/embed/${spaceId}`),
    ]);
    await expect
      .poll(() => first.frame.getByTestId("embed-title").textContent())
      .toBe("Framed talk");
    expect(await first.frame.getByTestId("embed-host").textContent()).toBe("Ada Host");
    expect(await first.frame.getByTestId("embed-state").getAttribute("data-state")).toBe("live");
    expect(await first.frame.getByTestId("open-in-amphi").getAttribute("target")).toBe("_blank");
    expect(await first.frame.getByTestId("open-in-amphi").getAttribute("href")).toBe(
      `/spaces/${spaceId}`,
    );
    await first.frame.getByTestId("listen-button").click();
    await expect
      .poll(() => first.frame.getByTestId("audio-player").getAttribute("data-admission"), {
        timeout: 30_000,
      })
      .toBe("admitted");

    // The gate's one token went to the first visitor: the second one is put in line, and the
    // embed shows the waiting room with their place.
    await second.frame.getByTestId("listen-button").click();
    await second.frame.getByTestId("waiting-room").waitFor();
    expect(Number(await second.frame.getByTestId("queue-position").textContent())).toBe(1);
    expect(await second.frame.getByTestId("queue-wait").textContent()).toMatch(/second|minute/);
    expect(await second.frame.getByTestId("listen-button").textContent()).toMatch(
      /leave the line/i,
    );

    // The first one hears the Space: the audio advances, and the host's ring lights with
    // the voice (the live state comes with the audio).
    await expect
      .poll(() => currentTime(first.frame, "player-audio"), { timeout: 30_000 })
      .toBeGreaterThan(1);
    await expect
      .poll(() => first.frame.getByTestId("embed-avatar").getAttribute("data-speaking"), {
        timeout: 15_000,
      })
      .toBe("true");
    expect(await first.frame.getByTestId("embed-avatar").getAttribute("data-handle")).toBe(
      hostHandle,
    );
    expect(await first.frame.getByTestId("embed-speaker").textContent()).toBe(
      "Ada Host is speaking",
    );

    // No cookie anywhere: none in the frame, none sent to Amphi, none set by it; the ticket
    // lives in the page.
    for (const { page, frame, cookies } of [first, second]) {
      const inFrame = await frame.locator("body").evaluate(() => document.cookie);
      expect(inFrame).toBe("");
      expect(cookies.requests).toBeGreaterThan(3);
      expect(cookies.sent).toEqual([]);
      expect(cookies.set).toEqual([]);
      expect(await page.context().cookies()).toEqual([]);
    }

    // The host ends the Space: the embed turns to its replay (when the stream stops, the
    // embed reads the Space document again).
    await host.getByTestId("end-space").click();
    await host.getByTestId("confirm-end").click();
    await expect
      .poll(() => first.frame.getByTestId("space-embed").getAttribute("data-state"), {
        timeout: 30_000,
      })
      .toBe("ended");
    await first.frame.getByTestId("replay-player").waitFor({ timeout: 30_000 });

    // A clip of it plays in its own embed.
    const clipped = await host.request.post(`/api/spaces/${spaceId}/clips`, {
      data: { startSeconds: 0, endSeconds: 4 },
    });
    expect(clipped.status()).toBe(201);
    const clipId = (await clipped.json()).clip.id as string;
    const reader = await visitor(`/embed/clips/${clipId}`);
    await expect
      .poll(() => reader.frame.getByTestId("embed-title").textContent())
      .toBe("Framed talk");
    await reader.frame.getByTestId("replay-play").click();
    await expect
      .poll(() => currentTime(reader.frame, "replay-audio"), { timeout: 20_000 })
      .toBeGreaterThan(1);
    expect(reader.cookies.sent).toEqual([]);
    expect(await reader.frame.getByTestId("open-in-amphi").getAttribute("href")).toBe(
      `/clips/${clipId}`,
    );
  }, 120_000);

  it("say when a Space not started yet starts, and that an unknown one is not available", async () => {
    const host = await signUp(rig.amphi.url, uniqueHandle("sch"));
    const scheduledFor = new Date(Date.now() + 3 * 3_600_000).toISOString();
    const created = await api(rig.amphi.url, "POST", "/api/spaces", {
      token: host.token,
      body: { title: "Later today", scheduledFor },
    });
    expect(created.status).toBe(201);
    const spaceId = created.body.space.id as string;

    const later = await visitor(`/embed/${spaceId}`);
    await expect
      .poll(() => later.frame.getByTestId("embed-scheduled").textContent())
      .toMatch(/^Scheduled for .+\(in 3 hours\)$/);
    expect(await later.frame.getByTestId("embed-state").getAttribute("data-state")).toBe(
      "scheduled",
    );

    const unknown = await visitor("/embed/nosuchspace");
    await expect
      .poll(() => unknown.frame.getByTestId("embed-unavailable").textContent())
      .toContain("This Space is not available");
  });
});
