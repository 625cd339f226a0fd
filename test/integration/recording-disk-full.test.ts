import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { followHls, type HlsPartEvent } from "../../src/loadtest/listener/hls-follower.ts";
import { FailingRecordingFiles } from "../../src/recordings/store/failing-recording-files.ts";
import { api, signUp, startTestServer, type TestServer } from "../support/amphi-test-server.ts";
import { decodeToNull, ffmpegAsync } from "../support/ffprobe.ts";
import { LiveClient } from "../support/live-client.ts";
import { signedHlsPath } from "../support/signed-hls.ts";

/**
 * A disk that fills up under a live, recorded Space (fault injection at the recording
 * store's file-system seam: writes fail with ENOSPC, an append is cut short mid-line). The
 * live audio must not notice; the host is told the recording is paused; it resumes when
 * writes succeed again, and the replay holds both halves with a discontinuity at the gap.
 * The buffer is 1 s (RECORDING_BUFFER_SECONDS), so a 2.5 s outage leaves a real gap.
 */
const files = new FailingRecordingFiles();
let server: TestServer;
let host: { id: string; token: string };
const dir = mkdtempSync(join(tmpdir(), "amphi-disk-full-"));

beforeAll(async () => {
  server = await startTestServer(
    { mediaPlane: "on", recordingBufferSeconds: 1 },
    { recordingFiles: files },
  );
  host = await signUp(server.url);
}, 120_000);

afterAll(async () => {
  files.fail = null;
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function metric(name: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith(`${name} `));
  return line ? Number(line.split(" ")[1]) : Number.NaN;
}

async function recordedSpace(title: string): Promise<string> {
  const created = await api(server.url, "POST", "/api/spaces", {
    token: host.token,
    body: { title, startNow: true, recording: true },
  });
  expect(created.status).toBe(201);
  return created.body.space.id as string;
}

/** Follows the Space's live stream in the background, as a listener's player does. */
function follow(spaceId: string) {
  const parts: HlsPartEvent[] = [];
  const stop = new AbortController();
  const done = followHls({
    playlistUrl: `${server.url}${signedHlsPath(spaceId)}`,
    signal: stop.signal,
    onPart: (p) => parts.push(p),
  });
  return {
    parts,
    /** Parts received since epoch ms `from`. */
    since: (from: number) => parts.filter((p) => p.at >= from).length,
    stop: async () => {
      stop.abort();
      return done;
    },
  };
}

describe("recording on a failing disk", { timeout: 90_000 }, () => {
  it("live audio goes on while writes fail, the host sees the recording paused, it resumes, and the replay has both halves", async () => {
    const id = await recordedSpace("Disk fills up");
    const live = await LiveClient.connect(server.url, id, host.token);
    await live.next((m) => m.type === "recording" && m.recording.state === "on", 10_000);
    await server.media.sync(id);
    const listener = follow(id);
    await expect.poll(() => listener.parts.length, { timeout: 15_000 }).toBeGreaterThan(6);

    // The disk fills up: writes fail, live audio goes on.
    const failuresBefore = await metric("amphi_recording_write_failures_total");
    files.fail = "ENOSPC";
    const failedAt = Date.now();
    const paused = await live.next(
      (m) => m.type === "recording" && m.recording.state === "paused",
      5_000,
    );
    expect(Date.parse(paused.recording.pausedSince)).toBeGreaterThanOrEqual(failedAt - 1_000);
    expect(await metric("amphi_recording_paused")).toBe(1);
    await sleep(2_500);
    // About 10 parts in 2.5 s at 0.25 s: the listener kept getting them.
    expect(listener.since(failedAt)).toBeGreaterThanOrEqual(6);
    expect(await metric("amphi_recording_write_failures_total")).toBeGreaterThan(failuresBefore);
    expect(await metric("amphi_recording_parts_dropped_total")).toBeGreaterThan(0);

    // Writes succeed again: the recording resumes.
    files.fail = null;
    const backAt = Date.now();
    await live.next(
      (m) => m.type === "recording" && m.recording.state === "on",
      10_000,
      live.messages.length,
    );
    expect(await metric("amphi_recording_paused")).toBe(0);
    await sleep(1_500);
    expect(listener.since(backAt)).toBeGreaterThanOrEqual(4);
    const stats = await listener.stop();
    expect(stats.errors).toBe(0);
    live.socket.close();

    const ended = await api(server.url, "POST", `/api/spaces/${id}/end`, { token: host.token });
    expect(ended.status).toBe(200);
    await server.media.sync(id);
    const rec = await api(server.url, "GET", `/api/spaces/${id}/recording`);
    expect(rec.status).toBe(200);
    const vod = await (await fetch(`${server.url}/recordings/${id}/vod.m3u8`)).text();
    // Both halves, with the gap marked where the outage outlasted the buffer.
    const lines = vod.split("\n");
    const gap = lines.indexOf("#EXT-X-DISCONTINUITY");
    expect(gap).toBeGreaterThan(0);
    expect(lines.slice(0, gap).filter((l) => l.endsWith(".m4s")).length).toBeGreaterThan(6);
    expect(lines.slice(gap).filter((l) => l.endsWith(".m4s")).length).toBeGreaterThan(4);
    const out = join(dir, "replay.mp4");
    const run = await ffmpegAsync([
      "-v",
      "error",
      "-i",
      `${server.url}${rec.body.recording.playlistUrl}`,
      "-c",
      "copy",
      "-y",
      out,
    ]);
    expect(run.code, run.stderr).toBe(0);
    const decoded = decodeToNull(out);
    expect(decoded.status, decoded.stderr).toBe(0);
  });

  it("a disk already full at go-live: the Space is live and heard, recording paused until the disk has room", async () => {
    files.fail = "ENOSPC";
    const id = await recordedSpace("Full from the start");
    const live = await LiveClient.connect(server.url, id, host.token);
    await server.media.sync(id);
    const listener = follow(id);
    await live.next((m) => m.type === "recording" && m.recording.state === "paused", 10_000);
    await expect.poll(() => listener.parts.length, { timeout: 10_000 }).toBeGreaterThan(6);
    files.fail = null;
    await live.next(
      (m) => m.type === "recording" && m.recording.state === "on",
      10_000,
      live.messages.length,
    );
    await sleep(1_000);
    expect((await listener.stop()).errors).toBe(0);
    live.socket.close();
    await api(server.url, "POST", `/api/spaces/${id}/end`, { token: host.token });
    await server.media.sync(id);
    const rec = await api(server.url, "GET", `/api/spaces/${id}/recording`);
    expect(rec.status).toBe(200);
    expect(rec.body.recording.durationSeconds).toBeGreaterThan(0.5);
  });
});
