import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedHlsPrefixOf } from "../../src/admission/hls-url-prefix.ts";
import { api, signUp } from "../support/amphi-test-server.ts";
import { type BrowserRig, startBrowserRig } from "../support/browser-rig.ts";

/**
 * The web player (hls.js) through signed LL-HLS windows of 10 s (300 s by default): it keeps
 * the URL it started with and moves its requests to the prefix each heartbeat hands out, so
 * it plays on past the expiry of its first URL without a refused request.
 */
let rig: BrowserRig;

beforeAll(async () => {
  rig = await startBrowserRig({
    name: "signed-windows",
    env: { HLS_URL_WINDOW_SECONDS: "10", HEARTBEAT_SECONDS: "5" },
    chromiumArgs: () => ["--autoplay-policy=no-user-gesture-required"],
  });
});

afterAll(() => rig?.close());

describe("the web player and signed URL windows", () => {
  it("plays on across windows and past its first URL's expiry, with no refused request", async () => {
    const host = await signUp(rig.amphi.url);
    const created = await api(rig.amphi.url, "POST", "/api/spaces", {
      token: host.token,
      body: { title: "Windows", startNow: true },
    });
    const spaceId = created.body.space.id as string;

    const listener = await rig.newPage();
    const prefixes: string[] = [];
    const refused: string[] = [];
    listener.on("request", (request) => {
      const prefix = signedHlsPrefixOf(request.url());
      if (prefix && !prefixes.includes(prefix.prefix)) prefixes.push(prefix.prefix);
    });
    listener.on("response", (response) => {
      if (response.url().includes("/hls/") && response.status() >= 400)
        refused.push(`${response.status()} ${response.url()}`);
    });
    await listener.goto(`/spaces/${spaceId}`);
    await listener.getByTestId("listen-button").click();
    const currentTime = () =>
      listener.getByTestId("player-audio").evaluate((el) => (el as HTMLMediaElement).currentTime);
    // Measured from steady play: a listener joining a Space in its first seconds may wait
    // ~3.5 s for the data after the first segment (seen in this test from 2026-12-03 on, with
    // that morning's code too; not about windows, and not explained yet).
    await expect.poll(currentTime, { timeout: 30_000 }).toBeGreaterThan(4);
    const first = signedHlsPrefixOf(prefixes[0] ?? "");
    expect(first?.spaceId).toBe(spaceId);
    const t0 = await currentTime();
    const started = Date.now();
    // Until the first URL has expired (one to two windows), and a few seconds more.
    const until = (first?.expires ?? 0) * 1000 + 4_000;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, until - Date.now())));
    const played = (await currentTime()) - t0;
    const wall = (Date.now() - started) / 1000;
    console.log(
      `web player: ${played.toFixed(1)} s played in ${wall.toFixed(1)} s, prefixes ${prefixes.length}, refused ${refused.length}`,
    );
    expect(refused).toEqual([]);
    expect(prefixes.length).toBeGreaterThanOrEqual(2);
    expect(played).toBeGreaterThan(wall - 3);
  }, 90_000);
});
