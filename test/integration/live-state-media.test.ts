import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEventMessages } from "../../src/media/fmp4/emsg.ts";
import { readId3UserText } from "../../src/media/fmp4/id3.ts";
import { decodeLiveCue, type LiveCue } from "../../src/media/live-state/live-cue.ts";
import {
  api,
  signUp,
  startTestServer,
  type TestAccount,
  type TestServer,
} from "../support/amphi-test-server.ts";
import { signedHlsPath } from "../support/signed-hls.ts";
import { startToneSource } from "../support/tone-source.ts";

/**
 * The live state rides in the parts listeners (and edges) already fetch: who speaks, the
 * reactions, the document's version, and the end, as emsg cues at their media time.
 */
let server: TestServer;
let host: TestAccount;
let spaceId: string;

beforeAll(async () => {
  server = await startTestServer({ mediaPlane: "on" });
  host = await signUp(server.url);
  const created = await api(server.url, "POST", "/api/spaces", {
    token: host.token,
    body: { title: "Cues", startNow: true, recording: true },
  });
  spaceId = created.body.space.id;
  await api(server.url, "POST", `/api/spaces/${spaceId}/participants/${host.handle}/unmute`, {
    token: host.token,
  });
  await server.media.sync(spaceId);
}, 60_000);

afterAll(async () => {
  await server?.close();
});

interface TimedCue extends LiveCue {
  time: number;
}

/** The cues in a part, with their media time in seconds. */
function cuesIn(bytes: Uint8Array): TimedCue[] {
  return readEventMessages(bytes).flatMap((m) => {
    const text = readId3UserText(m.messageData, "amphi");
    const cue = text === null ? null : decodeLiveCue(text);
    return cue ? [{ ...cue, time: m.presentationTime / m.timescale }] : [];
  });
}

/** The parts of the live playlist, fetched over HTTP as a listener would. */
async function liveParts(): Promise<Uint8Array[]> {
  const playlist = await (
    await fetch(`${server.url}${signedHlsPath(spaceId, "live.m3u8")}`)
  ).text();
  const uris = [...playlist.matchAll(/URI="(part-[0-9]+-[0-9]+\.m4s)"/g)].map((m) => m[1]!);
  return Promise.all(
    uris.map(
      async (uri) =>
        new Uint8Array(
          await (await fetch(`${server.url}${signedHlsPath(spaceId, uri)}`)).arrayBuffer(),
        ),
    ),
  );
}

const documentVersion = async () =>
  (await api(server.url, "GET", `/api/spaces/${spaceId}`)).body.space.version as string;

describe("live state in the media", () => {
  it("the full state every half second; who speaks is said at the frame it changes", async () => {
    const tone = startToneSource(440, (p) => server.media.pushRtp(spaceId, host.id, p));
    try {
      await new Promise((r) => setTimeout(r, 3_000));
      const parts = await liveParts();
      expect(parts.length).toBeGreaterThan(3);
      const version = await documentVersion();
      const cues = parts.flatMap(cuesIn);
      // Key cues (the full state) come at a part's first frame, at least every half second.
      const keys = cues.filter((c) => c.speaking && c.stage && c.listeners !== undefined);
      // Parts made before the unmute reached the media say the version before it (on a loaded
      // machine some are still in the playlist); from the first that says the current
      // version, every one does, for the last seconds at least.
      const current = keys.findIndex((k) => k.stage === version);
      expect(current).toBeGreaterThanOrEqual(0);
      expect(keys.slice(current).every((k) => k.stage === version)).toBe(true);
      expect(keys.at(-1)!.time - keys[current]!.time).toBeGreaterThanOrEqual(1.5);
      const gaps = keys.slice(1).map((k, i) => k.time - keys[i]!.time);
      expect(Math.max(...gaps)).toBeLessThanOrEqual(0.5);
      expect(keys.length).toBeGreaterThan(3);
      expect(cues.some((c) => (c.speaking?.[host.id] ?? 0) > 0)).toBe(true);
      // Media times run forward, 20 ms frames apart at the finest.
      const times = cues.map((c) => c.time);
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(times.every((t) => Math.abs(t * 50 - Math.round(t * 50)) < 1e-6)).toBe(true);
    } finally {
      tone.stop();
    }
  }, 30_000);

  it("carries a reaction to every listener in the next parts", async () => {
    const sent = await api(server.url, "POST", `/api/spaces/${spaceId}/reactions`, {
      token: host.token,
      body: { emoji: "🔥" },
    });
    expect(sent.status).toBe(202);
    await new Promise((r) => setTimeout(r, 1_500));
    const cues = (await liveParts()).flatMap(cuesIn);
    expect(cues.some((c) => c.reactions?.["🔥"] === 1)).toBe(true);
  }, 30_000);

  it("a stage change is announced as the new document version; the last part says the end", async () => {
    const before = await documentVersion();
    await api(server.url, "POST", `/api/spaces/${spaceId}/participants/${host.handle}/mute`, {
      token: host.token,
    });
    await server.media.sync(spaceId);
    const after = await documentVersion();
    expect(after).not.toBe(before);
    await new Promise((r) => setTimeout(r, 1_200));
    expect((await liveParts()).flatMap(cuesIn).some((c) => c.stage === after)).toBe(true);

    await api(server.url, "POST", `/api/spaces/${spaceId}/end`, { token: host.token });
    await server.media.sync(spaceId);
    const ended = await documentVersion();
    const playlist = await (
      await fetch(`${server.url}${signedHlsPath(spaceId, "live.m3u8")}`)
    ).text();
    expect(playlist).toContain("#EXT-X-ENDLIST");
    const cues = (await liveParts()).flatMap(cuesIn);
    expect(cues.at(-1)).toMatchObject({ ended: true, stage: ended, speaking: {} });
  }, 30_000);
});
