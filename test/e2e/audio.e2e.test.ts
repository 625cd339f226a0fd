import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uniqueHandle } from "../support/amphi-test-server.ts";
import { signUpInBrowser } from "../support/browser.ts";
import { type BrowserRig, startBrowserRig } from "../support/browser-rig.ts";
import { speechWav } from "../support/speech-wav.ts";

/**
 * Live audio in Debian's Chromium: the host speaks from the web page (a fake microphone fed
 * from a WAV of espeak-ng speech), a listener plays the Space with the web player (hls.js), a
 * second speaker hears the host over WebRTC, and the ended Space's replay plays.
 */
let rig: BrowserRig;

beforeAll(async () => {
  rig = await startBrowserRig({
    name: "audio",
    chromiumArgs: (dataDir) => [
      "--use-fake-ui-for-media-stream",
      "--use-fake-device-for-media-stream",
      `--use-file-for-fake-audio-capture=${speechWav(undefined, dataDir)}`,
      "--autoplay-policy=no-user-gesture-required",
    ],
  });
});

afterAll(() => rig?.close());

const newPage = () => rig.newPage();

/** Starts measuring the loudness of what `selector`'s media elements play (Web Audio). */
async function listenTo(page: Page, selector: string): Promise<void> {
  await page.evaluate((sel) => {
    const w = window as any;
    const ctx = new AudioContext();
    const analyser = ctx.createAnalyser();
    analyser.fftSize = 2048;
    for (const el of Array.from(document.querySelectorAll<HTMLMediaElement>(sel))) {
      const stream = (el.srcObject as MediaStream | null) ?? (el as any).captureStream();
      for (const track of stream.getAudioTracks())
        ctx.createMediaStreamSource(new MediaStream([track])).connect(analyser);
    }
    const buf = new Float32Array(analyser.fftSize);
    w.__peak = 0;
    setInterval(() => {
      analyser.getFloatTimeDomainData(buf);
      let sum = 0;
      for (const x of buf) sum += x * x;
      w.__peak = Math.max(w.__peak, Math.sqrt(sum / buf.length));
    }, 20);
  }, selector);
}

const peak = (page: Page) => page.evaluate(() => (window as any).__peak as number);
const currentTime = (page: Page, testId: string) =>
  page.getByTestId(testId).evaluate((el) => (el as HTMLMediaElement).currentTime);

describe("live audio in Chromium", () => {
  it("a host speaks from the page; a listener hears it; a second speaker hears it; the replay plays", async () => {
    const hostHandle = uniqueHandle("mic");
    const guestHandle = uniqueHandle("ear");
    const listenerHandle = uniqueHandle("lis");
    const host = await newPage();
    const guest = await newPage();
    const listener = await newPage();
    await signUpInBrowser(host, hostHandle);
    await signUpInBrowser(guest, guestHandle);
    await signUpInBrowser(listener, listenerHandle);

    await host.goto("/new");
    await host.getByTestId("create-title").fill("Audio night");
    await host.getByTestId("create-start-now").check();
    await host.getByTestId("create-submit").click();
    await host.waitForURL(/\/spaces\/[A-Za-z0-9]+$/);
    const spacePath = new URL(host.url()).pathname;

    // The host joins with the (fake) microphone: on air, unmuted.
    await host.getByTestId("join-mic").click();
    await expect
      .poll(() => host.getByTestId("mic-status").textContent(), { timeout: 20_000 })
      .toBe("Live");
    await expect
      .poll(async () => Number(await host.getByTestId("mic-level").getAttribute("data-level")), {
        timeout: 20_000,
      })
      .toBeGreaterThan(0.05);

    // A listener plays the Space with the web player: sound, and time that moves.
    await listener.goto(spacePath);
    await listener.getByTestId("listen-button").click();
    await expect
      .poll(() => currentTime(listener, "player-audio"), { timeout: 30_000 })
      .toBeGreaterThan(1);
    await listenTo(listener, '[data-testid="player-audio"]');
    const t0 = await currentTime(listener, "player-audio");
    await expect.poll(() => peak(listener), { timeout: 20_000 }).toBeGreaterThan(0.01);
    await expect
      .poll(() => currentTime(listener, "player-audio"), { timeout: 10_000 })
      .toBeGreaterThan(t0 + 2);
    await expect.poll(() => listener.getByTestId("latency").textContent()).toMatch(/\d(\.\d)? s/);

    // The host brings the guest on stage; the guest hears the host over WebRTC.
    await guest.goto(spacePath);
    await guest.getByTestId("request-to-speak").click();
    const request = host.locator(`[data-testid="request-item"][data-handle="${guestHandle}"]`);
    await request.getByTestId("accept-request").click();
    await guest.getByTestId("join-mic").click();
    await expect
      .poll(() => guest.getByTestId("stage-audio").count(), { timeout: 20_000 })
      .toBeGreaterThan(0);
    await expect
      .poll(
        () =>
          guest
            .getByTestId("stage-audio")
            .first()
            .evaluate((el) => (el as HTMLMediaElement).srcObject !== null),
        { timeout: 20_000 },
      )
      .toBe(true);
    await listenTo(guest, '[data-testid="stage-audio"]');
    await expect.poll(() => peak(guest), { timeout: 20_000 }).toBeGreaterThan(0.01);

    // The host ends the Space; its replay plays.
    await host.getByTestId("end-space").click();
    await host.getByTestId("confirm-end").click();
    await listener.goto(spacePath);
    await listener.getByTestId("replay-play").click({ timeout: 60_000 });
    await expect
      .poll(() => currentTime(listener, "replay-audio"), { timeout: 20_000 })
      .toBeGreaterThan(1);
  });
});
