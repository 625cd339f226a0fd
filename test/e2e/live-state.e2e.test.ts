import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uniqueHandle } from "../support/amphi-test-server.ts";
import { signUpInBrowser } from "../support/browser.ts";
import { type BrowserRig, startBrowserRig } from "../support/browser-rig.ts";
import { burstWav } from "../support/speech-wav.ts";

/**
 * The live state reaches an anonymous listener inside the audio (emsg cues in the LL-HLS
 * parts), in step with what they hear: the host's fake microphone plays 1 s bursts with
 * 1.5 s of silence, and the listener's page times both the sound's onsets (Web Audio, on
 * what the player outputs) and the speaking ring's changes (a MutationObserver).
 */
let rig: BrowserRig;

beforeAll(async () => {
  rig = await startBrowserRig({
    name: "live-state",
    chromiumArgs: (dataDir) => [
      "--use-fake-ui-for-media-stream",
      "--use-fake-device-for-media-stream",
      `--use-file-for-fake-audio-capture=${burstWav(dataDir)}`,
      "--autoplay-policy=no-user-gesture-required",
    ],
  });
});

afterAll(() => rig?.close());

/** Records, in the page's clock, each sound onset of the player and each ring lighting. */
async function timeOnsetsAndRings(page: Page, hostHandle: string): Promise<void> {
  await page.evaluate((handle) => {
    const w = window as any;
    w.__onsets = [] as number[];
    w.__rings = [] as number[];
    const audio = document.querySelector<HTMLMediaElement>('[data-testid="player-audio"]')!;
    const ctx = new AudioContext();
    const analyser = ctx.createAnalyser();
    analyser.fftSize = 512;
    const stream = (audio as any).captureStream() as MediaStream;
    for (const track of stream.getAudioTracks())
      ctx.createMediaStreamSource(new MediaStream([track])).connect(analyser);
    const buf = new Float32Array(analyser.fftSize);
    let quietSince = performance.now();
    let loud = false;
    setInterval(() => {
      analyser.getFloatTimeDomainData(buf);
      let sum = 0;
      for (const x of buf) sum += x * x;
      const rms = Math.sqrt(sum / buf.length);
      const now = performance.now();
      if (rms > 0.02) {
        if (!loud && now - quietSince > 600) w.__onsets.push(now);
        loud = true;
      } else if (rms < 0.005) {
        if (loud) quietSince = now;
        loud = false;
      }
    }, 5);
    const member = () =>
      document.querySelector(`[data-testid="stage-member"][data-handle="${handle}"]`);
    let lit = member()?.getAttribute("data-speaking") === "true";
    new MutationObserver(() => {
      const now = member()?.getAttribute("data-speaking") === "true";
      if (now && !lit) w.__rings.push(performance.now());
      lit = now;
    }).observe(document.body, { subtree: true, attributes: true, childList: true });
  }, hostHandle);
}

const timings = (page: Page) =>
  page.evaluate(() => ({
    onsets: (window as any).__onsets as number[],
    rings: (window as any).__rings as number[],
  }));

describe("live state in the media, for an anonymous listener", () => {
  it("rings light with the voice, reactions and stage changes arrive, the end shows, the replay shows rings; no WebSocket", async () => {
    const hostHandle = uniqueHandle("cue");
    const guestHandle = uniqueHandle("gst");
    const host = await rig.newPage();
    const guest = await rig.newPage();
    const listener = await rig.newPage();
    const reactor = await rig.newPage();
    const sockets: string[] = [];
    listener.on("websocket", (ws) => sockets.push(ws.url()));
    await signUpInBrowser(host, hostHandle);
    await signUpInBrowser(guest, guestHandle);

    await host.goto("/new");
    await host.getByTestId("create-title").fill("Cue night");
    await host.getByTestId("create-start-now").check();
    await host.getByTestId("create-submit").click();
    await host.waitForURL(/\/spaces\/[A-Za-z0-9]+$/);
    const spacePath = new URL(host.url()).pathname;
    await host.getByTestId("join-mic").click();
    await expect
      .poll(() => host.getByTestId("mic-status").textContent(), { timeout: 20_000 })
      .toMatch(/muted|live/i);
    if (/muted/i.test((await host.getByTestId("mic-status").textContent()) ?? ""))
      await host.getByTestId("unmute-self").click();
    await expect
      .poll(() => host.getByTestId("mic-status").textContent(), { timeout: 20_000 })
      .toMatch(/live/i);

    // The anonymous listener plays the Space.
    await listener.goto(spacePath);
    await listener.getByTestId("listen-button").click();
    await expect
      .poll(
        () =>
          listener
            .getByTestId("player-audio")
            .evaluate((el) => (el as HTMLMediaElement).currentTime),
        { timeout: 30_000 },
      )
      .toBeGreaterThan(1);
    await timeOnsetsAndRings(listener, hostHandle);

    // Several bursts: each ring lights within 250 ms of the sound it belongs to.
    await expect
      .poll(async () => (await timings(listener)).rings.length, { timeout: 30_000 })
      .toBeGreaterThanOrEqual(4);
    const { onsets, rings } = await timings(listener);
    const offsets = rings.map((ring) => {
      const nearest = onsets.reduce(
        (best, onset) => (Math.abs(onset - ring) < Math.abs(best - ring) ? onset : best),
        Number.POSITIVE_INFINITY,
      );
      return Math.round(ring - nearest);
    });
    expect(onsets.length, JSON.stringify({ onsets, rings })).toBeGreaterThanOrEqual(3);
    // The first ring may predate the first onset the analyser caught (it started mid-burst).
    const measured = offsets.slice(1);
    console.log(`live state e2e: ring - sound (ms): ${offsets}`);
    expect(
      measured.every((ms) => Math.abs(ms) <= 250),
      `ring - sound (ms): ${offsets}`,
    ).toBe(true);

    // Another anonymous listener reacts; this listener sees it float up.
    await reactor.goto(spacePath);
    await reactor.getByTestId("listen-button").click();
    await expect
      .poll(() => reactor.getByTestId("reaction-button").first().isEnabled(), { timeout: 30_000 })
      .toBe(true);
    await reactor.getByTestId("reaction-button").first().click();
    await expect
      .poll(() => listener.getByTestId("floating-reaction").count(), { timeout: 15_000 })
      .toBeGreaterThan(0);

    // A second speaker comes on stage: the listener's stage shows them.
    await guest.goto(spacePath);
    await guest.getByTestId("request-to-speak").click();
    await host
      .locator(`[data-testid="request-item"][data-handle="${guestHandle}"]`)
      .getByTestId("accept-request")
      .click();
    await expect
      .poll(
        () =>
          listener.locator(`[data-testid="stage-member"][data-handle="${guestHandle}"]`).count(),
        { timeout: 15_000 },
      )
      .toBe(1);

    // The host ends the Space: the listener sees it ended.
    await host.getByTestId("end-space").click();
    const confirm = host.getByTestId("confirm-end");
    if (await confirm.isVisible().catch(() => false)) await confirm.click();
    await expect
      .poll(() => listener.getByTestId("audio-player").getAttribute("data-state"), {
        timeout: 20_000,
      })
      .toBe("ended");

    expect(sockets).toEqual([]);

    // The replay shows the rings at the moments they happened: they were recorded with it.
    await listener.getByTestId("replay-play").click({ timeout: 60_000 });
    await expect
      .poll(
        () =>
          listener
            .locator(`[data-testid="stage-member"][data-handle="${hostHandle}"]`)
            .getAttribute("data-speaking"),
        { timeout: 20_000 },
      )
      .toBe("true");
  }, 240_000);
});
