import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FileRecordingStore } from "../../src/recordings/store/file-recording-store.ts";
import { type AmphiProcess, startAmphiProcess } from "../support/amphi-process.ts";
import { api, signUp } from "../support/amphi-test-server.ts";
import { seedEmbeddedDatabase } from "../support/embedded-template.ts";
import { decodeToNull, ffmpegAsync } from "../support/ffprobe.ts";

const cleanup: (() => unknown)[] = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
});

describe("a crash while live", { timeout: 180_000 }, () => {
  it("kill -9 mid-Space loses at most the part in flight: the recording plays up to the last finished part", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "amphi-crash-"));
    seedEmbeddedDatabase(dataDir);
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    let amphi: AmphiProcess = await startAmphiProcess({ dataDir });
    cleanup.push(() => amphi.stop(2000));
    const host = await signUp(amphi.url);
    const created = await api(amphi.url, "POST", "/api/spaces", {
      token: host.token,
      body: { title: "Crash", startNow: true, recording: true },
    });
    const id = created.body.space.id as string;
    // Let it record a few seconds of the program feed.
    await expect
      .poll(async () => (await new FileRecordingStore(dataDir).parts(id)).length, {
        timeout: 30_000,
        interval: 250,
      })
      .toBeGreaterThanOrEqual(8);
    amphi.child.kill("SIGKILL");
    await amphi.exited;
    const beforeCrash = await new FileRecordingStore(dataDir).parts(id);
    expect(beforeCrash.length).toBeGreaterThanOrEqual(8);

    // Restarted, the Space is still live: its room resumes recording on the same timeline.
    amphi = await startAmphiProcess({ dataDir });
    await expect
      .poll(async () => (await new FileRecordingStore(dataDir).parts(id)).length, {
        timeout: 30_000,
        interval: 250,
      })
      .toBeGreaterThan(beforeCrash.length + 2);
    expect(
      (await api(amphi.url, "POST", `/api/spaces/${id}/end`, { token: host.token })).status,
    ).toBe(200);
    const after = await new FileRecordingStore(dataDir).parts(id);
    // Everything finished before the crash is still there, in order, and nothing repeats.
    expect(after.slice(0, beforeCrash.length)).toEqual(beforeCrash);
    expect(new Set(after.map((e) => e.uri)).size).toBe(after.length);
    // The resumed part marks the gap; the replay's playlist carries it as a discontinuity.
    expect(after[beforeCrash.length]?.discontinuity).toBe(true);
    expect(after.filter((e) => e.discontinuity)).toHaveLength(1);
    const vod = await fetch(`${amphi.url}/recordings/${id}/vod.m3u8`);
    expect((await vod.text()).match(/#EXT-X-DISCONTINUITY\n/g)).toHaveLength(1);

    const rec = await api(amphi.url, "GET", `/api/spaces/${id}/recording`);
    expect(rec.status).toBe(200);
    const out = join(dataDir, "replay.mp4");
    const run = await ffmpegAsync([
      "-v",
      "error",
      "-i",
      amphi.url + rec.body.recording.playlistUrl,
      "-c",
      "copy",
      "-y",
      out,
    ]);
    expect(run.code, run.stderr).toBe(0);
    const decoded = decodeToNull(out);
    expect(decoded.status, decoded.stderr).toBe(0);
  });
});
