import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toneAmplitude } from "../../src/media/codec/signals.ts";
import {
  api,
  signUp,
  startTestServer,
  type TestAccount,
  type TestServer,
} from "../support/amphi-test-server.ts";
import { decodeToPcm, ffmpegAsync, probe, probeFormat } from "../support/ffprobe.ts";
import { LiveClient } from "../support/live-client.ts";
import { signedHlsPath } from "../support/signed-hls.ts";
import { startToneSource } from "../support/tone-source.ts";

/**
 * The whole program path behind the ingest: two speakers' Opus packets (440 Hz and 880 Hz)
 * -> jitter buffers -> mix -> encode -> CMAF parts -> recording + LL-HLS origin, heard by
 * Debian's ffmpeg over HTTP; then the replay, the download and a clip of the ended Space.
 */
let server: TestServer;
let dir: string;
let host: TestAccount;
let guest: TestAccount;
let spaceId: string;

function pcmToInt16(pcm: Float32Array): Int16Array {
  return Int16Array.from(pcm, (x) => Math.round(x * 32767));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "amphi-media-"));
  server = await startTestServer({ mediaPlane: "on" });
  host = await signUp(server.url);
  guest = await signUp(server.url);
  const created = await api(server.url, "POST", "/api/spaces", {
    token: host.token,
    body: { title: "Two tones", startNow: true, recording: true },
  });
  spaceId = created.body.space.id;
  await api(server.url, "POST", `/api/spaces/${spaceId}/invitations`, {
    token: host.token,
    body: { handle: guest.handle },
  });
  await api(server.url, "POST", `/api/spaces/${spaceId}/invitations/me/accept`, {
    token: guest.token,
  });
  for (const who of [host, guest]) {
    await api(server.url, "POST", `/api/spaces/${spaceId}/participants/${who.handle}/unmute`, {
      token: who.token,
    });
  }
  await server.media.sync(spaceId);
}, 60_000);

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("the program feed", () => {
  it("mixes two speakers into one live stream that ffmpeg plays over HTTP, and says who speaks", async () => {
    // The public document names no playlist; a ticket hands out the signed one.
    const space = await api(server.url, "GET", `/api/spaces/${spaceId}`);
    expect(space.body.space.playlistUrl).toBeNull();
    const ticket = await api(server.url, "POST", `/api/spaces/${spaceId}/tickets`, { body: {} });
    expect(ticket.body.playlistUrl).toBe(signedHlsPath(spaceId));
    const live = await LiveClient.connect(server.url, spaceId, host.token);
    const a = startToneSource(440, (p) => server.media.pushRtp(spaceId, host.id, p));
    const b = startToneSource(880, (p) => server.media.pushRtp(spaceId, guest.id, p), {
      startSeq: 65_000,
    });
    try {
      const speaking = await live.next(
        (m) => m.type === "speaking" && m.speakers.length === 2,
        5000,
      );
      expect([...speaking.speakers].sort()).toEqual([host.id, guest.id].sort());
      const stream = server.origin.get(spaceId)!;
      await stream.waitFor(() => stream.snapshot().segments.length >= 2, 10_000);
      const out = join(dir, "live.mp4");
      const run = await ffmpegAsync([
        "-v",
        "error",
        "-i",
        server.url + ticket.body.playlistUrl,
        "-t",
        "6",
        "-c",
        "copy",
        "-y",
        out,
      ]);
      expect(run.code, run.stderr).toBe(0);
      const { packets } = probe(out);
      const gaps = packets.slice(1).map((p, i) => p.pts - packets[i]!.pts);
      expect(Math.max(...gaps)).toBeLessThanOrEqual(0.04 * 48_000);
      const pcm = pcmToInt16(decodeToPcm(out)).slice(48_000); // skip the first second (start-up)
      const a440 = toneAmplitude(pcm, 440);
      const a880 = toneAmplitude(pcm, 880);
      const a660 = toneAmplitude(pcm, 660);
      expect(a440).toBeGreaterThan(1000);
      expect(a880).toBeGreaterThan(1000);
      expect(a660).toBeLessThan(a440 / 10);
    } finally {
      a.stop();
      b.stop();
      live.close();
    }
  }, 90_000);

  it("keeps the clock running when nobody speaks", async () => {
    const stream = server.origin.get(spaceId)!;
    // The newest part's position (segment, then part): it only moves forward.
    const position = () => {
      const { open } = stream.snapshot();
      return open.msn * 1000 + open.parts.length;
    };
    const before = position();
    await new Promise((r) => setTimeout(r, 1200));
    expect(position()).toBeGreaterThan(before);
  });

  it("after the end: replays, downloads and clips the recording", async () => {
    expect((await api(server.url, "GET", `/api/spaces/${spaceId}/recording`)).status).toBe(404);
    await api(server.url, "POST", `/api/spaces/${spaceId}/end`, { token: host.token });
    await server.media.sync(spaceId);
    const rec = await api(server.url, "GET", `/api/spaces/${spaceId}/recording`);
    expect(rec.status).toBe(200);
    expect(rec.body.recording.durationSeconds).toBeGreaterThan(6);

    const vod = await fetch(server.url + rec.body.recording.playlistUrl);
    const text = await vod.text();
    expect(text).toContain("#EXT-X-PLAYLIST-TYPE:VOD");
    expect(text).toContain("#EXT-X-ENDLIST");
    const replay = join(dir, "replay.mp4");
    const run = await ffmpegAsync([
      "-v",
      "error",
      "-i",
      server.url + rec.body.recording.playlistUrl,
      "-c",
      "copy",
      "-y",
      replay,
    ]);
    expect(run.code, run.stderr).toBe(0);
    const replayPcm = pcmToInt16(decodeToPcm(replay));
    expect(replayPcm.length / 48_000).toBeGreaterThan(rec.body.recording.durationSeconds - 1);
    expect(toneAmplitude(replayPcm, 440)).toBeGreaterThan(300);

    const download = await fetch(server.url + rec.body.recording.downloadUrl);
    expect(download.headers.get("content-disposition")).toMatch(
      /attachment; filename="Two tones.m4a"/,
    );
    const file = join(dir, "download.m4a");
    writeFileSync(file, Buffer.from(await download.arrayBuffer()));
    expect(decodeToPcm(file).length / 48_000).toBeGreaterThan(
      rec.body.recording.durationSeconds - 1,
    );
    const whole = probeFormat(file);
    expect(Math.abs(whole.startTime)).toBeLessThan(0.01);
    expect(Math.abs(whole.duration - rec.body.recording.durationSeconds)).toBeLessThan(0.05);

    const tooLong = await api(server.url, "POST", `/api/spaces/${spaceId}/clips`, {
      token: guest.token,
      body: { startSeconds: 0, endSeconds: 61 },
    });
    expect(tooLong.status).toBe(400);
    const clip = await api(server.url, "POST", `/api/spaces/${spaceId}/clips`, {
      token: guest.token,
      body: { startSeconds: 2, endSeconds: 5 },
    });
    expect(clip.status).toBe(201);
    expect(clip.body.clip).toMatchObject({
      spaceTitle: "Two tones",
      startSeconds: 2,
      endSeconds: 5,
    });
    const fetched = await api(server.url, "GET", `/api/clips/${clip.body.clip.id}`);
    expect(fetched.body.clip.id).toBe(clip.body.clip.id);
    const clipOut = join(dir, "clip.mp4");
    const clipRun = await ffmpegAsync([
      "-v",
      "error",
      "-i",
      server.url + clip.body.clip.playlistUrl,
      "-c",
      "copy",
      "-y",
      clipOut,
    ]);
    expect(clipRun.code, clipRun.stderr).toBe(0);
    const clipSeconds = decodeToPcm(clipOut).length / 48_000;
    expect(clipSeconds).toBeGreaterThanOrEqual(2.9);
    expect(clipSeconds).toBeLessThanOrEqual(4.1);

    // The downloaded clip is a file of its own: it starts at 0 and lasts as long as the clip.
    const clipDownload = await fetch(server.url + clip.body.clip.downloadUrl);
    expect(clipDownload.status).toBe(200);
    const clipFile = join(dir, "clip.m4a");
    writeFileSync(clipFile, Buffer.from(await clipDownload.arrayBuffer()));
    const clipFormat = probeFormat(clipFile);
    expect(Math.abs(clipFormat.startTime)).toBeLessThan(0.01);
    expect(Math.abs(clipFormat.duration - 3)).toBeLessThan(0.05);
  }, 90_000);
});
