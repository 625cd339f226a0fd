import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { followHls, type HlsPartEvent } from "../../src/loadtest/listener/hls-follower.ts";
import { readEventMessages } from "../../src/media/fmp4/emsg.ts";
import { readId3UserText } from "../../src/media/fmp4/id3.ts";
import { decodeLiveCue } from "../../src/media/live-state/live-cue.ts";
import { api, signUp, startTestServer, type TestServer } from "../support/amphi-test-server.ts";
import { signedHlsPath } from "../support/signed-hls.ts";

/**
 * The simulated LL-HLS listener against a real Amphi origin: a live Space with the media
 * plane on produces a part every HLS_PART_SECONDS (0.25 s; silence when nobody speaks).
 */
let server: TestServer;
let host: { token: string };

async function liveSpace(): Promise<string> {
  const created = await api(server.url, "POST", "/api/spaces", {
    token: host.token,
    body: { title: "Follow me", startNow: true },
  });
  expect(created.status).toBe(201);
  const id = created.body.space.id as string;
  await server.media.sync(id);
  return id;
}

async function hlsRequests(): Promise<Record<string, number>> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const counts: Record<string, number> = {};
  for (const m of text.matchAll(/^amphi_hls_requests_total\{kind="(\w+)"\} (\d+)/gm)) {
    counts[m[1]!] = Number(m[2]);
  }
  return counts;
}

beforeAll(async () => {
  server = await startTestServer({ mediaPlane: "on" });
  host = await signUp(server.url);
}, 60_000);

afterAll(async () => {
  await server?.close();
});

describe("followHls", () => {
  it("follows a live Space part after part in real time, with one origin request per part", async () => {
    const id = await liveSpace();
    const before = await hlsRequests();
    const events: HlsPartEvent[] = [];
    const stats = await followHls({
      playlistUrl: `${server.url}${signedHlsPath(id)}`,
      signal: AbortSignal.timeout(5000),
      onPart: (p) => events.push(p),
    });
    expect(stats.errors).toBe(0);
    expect(stats.parts).toBeGreaterThanOrEqual(6);
    expect(stats.parts).toBe(events.length);
    expect(stats.bytes).toBe(events.reduce((sum, e) => sum + e.bytes, 0));
    expect(stats.mediaSeconds).toBeCloseTo(
      events.reduce((sum, e) => sum + e.duration, 0),
      5,
    );
    expect(stats.firstPartMs).not.toBeNull();
    expect(stats.keepingUp).toBe(true);
    expect(stats.stalls).toBe(0);
    // Parts come in order with no gap: each is the next index, or part 0 of the next segment.
    for (const [i, e] of events.slice(1).entries()) {
      const prev = events[i]!;
      const next =
        e.msn === prev.msn ? e.part === prev.part + 1 : e.msn === prev.msn + 1 && e.part === 0;
      expect(next, `${prev.msn}.${prev.part} -> ${e.msn}.${e.part}`).toBe(true);
    }
    // What the origin counted is exactly what this one listener asked for.
    const after = await hlsRequests();
    const delta = (kind: string) => (after[kind] ?? 0) - (before[kind] ?? 0);
    expect(delta("multivariant")).toBe(1);
    expect(delta("init")).toBe(1);
    // One request per part handed over, plus at most the one in flight when the follower stopped.
    expect(delta("part")).toBeGreaterThanOrEqual(stats.parts);
    expect(delta("part")).toBeLessThanOrEqual(stats.parts + 1);
    expect(delta("playlist")).toBeGreaterThanOrEqual(1);
    expect(delta("blocking_playlist")).toBeGreaterThanOrEqual(stats.parts - 3);
  });

  it("hands each part's bytes over when asked: the origin's part, key cues included", async () => {
    const id = await liveSpace();
    const events: HlsPartEvent[] = [];
    await followHls({
      playlistUrl: `${server.url}${signedHlsPath(id)}`,
      signal: AbortSignal.timeout(2500),
      bodies: true,
      onPart: (p) => events.push(p),
    });
    expect(events.length).toBeGreaterThanOrEqual(2);
    const keyCues: number[] = [];
    for (const e of events) {
      const body = e.body as Buffer;
      expect(body.byteLength).toBe(e.bytes);
      const served = await fetch(
        `${server.url}${signedHlsPath(id, `part-${e.msn}-${e.part}.m4s`)}`,
      );
      expect(Buffer.from(await served.arrayBuffer()).equals(body)).toBe(true);
      const [first] = readEventMessages(body);
      const cue = first && decodeLiveCue(readId3UserText(first.messageData, "amphi") ?? "");
      if (cue?.speaking && cue.stage) keyCues.push(first!.presentationTime / first!.timescale);
    }
    // A part that starts a key cue (every half second) carries the full state first.
    expect(keyCues.length).toBeGreaterThanOrEqual(1);
    // Without the option, no bytes are kept.
    const plain: HlsPartEvent[] = [];
    await followHls({
      playlistUrl: `${server.url}${signedHlsPath(id)}`,
      signal: AbortSignal.timeout(1200),
      onPart: (p) => plain.push(p),
    });
    expect(plain.every((p) => p.body === undefined)).toBe(true);
  });

  it("returns when the stream ends, before its signal aborts", async () => {
    const id = await liveSpace();
    const controller = new AbortController();
    const guard = setTimeout(() => controller.abort(), 20_000);
    const following = followHls({
      playlistUrl: `${server.url}${signedHlsPath(id)}`,
      signal: controller.signal,
    });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await api(server.url, "POST", `/api/spaces/${id}/end`, { token: host.token });
    const stats = await following;
    clearTimeout(guard);
    expect(controller.signal.aborted).toBe(false);
    expect(stats.parts).toBeGreaterThanOrEqual(3);
    expect(stats.errors).toBe(0);
  });

  it("counts errors instead of throwing when there is no stream, and stops on abort", async () => {
    const stats = await followHls({
      playlistUrl: `${server.url}${signedHlsPath("nosuchspace")}`,
      signal: AbortSignal.timeout(1500),
    });
    expect(stats.parts).toBe(0);
    expect(stats.errors).toBeGreaterThanOrEqual(2);
    expect(stats.firstPartMs).toBeNull();
    expect(stats.keepingUp).toBe(false);
    expect(stats.wallSeconds).toBeGreaterThanOrEqual(1.4);
  });
});
