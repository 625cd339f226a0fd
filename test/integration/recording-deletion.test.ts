import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { recordingDir } from "../../src/recordings/store/file-recording-store.ts";
import {
  api,
  signUp,
  startTestServer,
  type TestAccount,
  type TestServer,
} from "../support/amphi-test-server.ts";
import { seedEmbeddedDatabase } from "../support/embedded-template.ts";

/**
 * Hosts delete a recording (its files and its clips go; the replay answers 410 with a clear
 * body), clips are deleted by their creator or the host, and the retention sweep runs at
 * start and deletes the files of expired recordings.
 */
const cleanup: (() => unknown)[] = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
});

async function recordedAndEnded(server: TestServer, host: TestAccount): Promise<string> {
  const created = await api(server.url, "POST", "/api/spaces", {
    token: host.token,
    body: { title: "To delete", startNow: true, recording: true },
  });
  const id = created.body.space.id as string;
  await server.media.sync(id);
  await expect
    .poll(() => server.origin.get(id)?.snapshot().segments.length ?? 0, { timeout: 15_000 })
    .toBeGreaterThanOrEqual(2);
  await api(server.url, "POST", `/api/spaces/${id}/end`, { token: host.token });
  await server.media.sync(id);
  await expect
    .poll(async () => (await api(server.url, "GET", `/api/spaces/${id}/recording`)).status, {
      timeout: 10_000,
    })
    .toBe(200);
  return id;
}

describe("deleting recordings and clips", { timeout: 240_000 }, () => {
  it("the host deletes a recording: files and clips go, the replay answers 410; others may not", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "amphi-delete-"));
    seedEmbeddedDatabase(dataDir);
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const server = await startTestServer({ mediaPlane: "on", dataDir });
    cleanup.push(() => server.close());
    const host = await signUp(server.url);
    const fan = await signUp(server.url);
    const id = await recordedAndEnded(server, host);
    const mine = await api(server.url, "POST", `/api/spaces/${id}/clips`, {
      token: fan.token,
      body: { startSeconds: 0, endSeconds: 0.5 },
    });
    const theirs = await api(server.url, "POST", `/api/spaces/${id}/clips`, {
      token: host.token,
      body: { startSeconds: 0, endSeconds: 0.5 },
    });
    const another = await api(server.url, "POST", `/api/spaces/${id}/clips`, {
      token: fan.token,
      body: { startSeconds: 0, endSeconds: 0.5 },
    });
    expect([mine.status, theirs.status, another.status]).toEqual([201, 201, 201]);

    // A clip: its creator or the host deletes it, nobody else.
    const hostClip = theirs.body.clip.id as string;
    const forbidden = await api(server.url, "DELETE", `/api/clips/${hostClip}`, {
      token: fan.token,
    });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.code).toBe("AMPHI_FORBIDDEN");
    const byCreator = await api(server.url, "DELETE", `/api/clips/${mine.body.clip.id}`, {
      token: fan.token,
    });
    expect(byCreator.status).toBe(204);
    expect((await api(server.url, "GET", `/api/clips/${mine.body.clip.id}`)).status).toBe(404);
    const byHost = await api(server.url, "DELETE", `/api/clips/${another.body.clip.id}`, {
      token: host.token,
    });
    expect(byHost.status).toBe(204);

    // The recording: the host's alone.
    const notHost = await api(server.url, "DELETE", `/api/spaces/${id}/recording`, {
      token: fan.token,
    });
    expect(notHost.status).toBe(403);
    expect(existsSync(recordingDir(dataDir, id))).toBe(true);
    const deleted = await api(server.url, "DELETE", `/api/spaces/${id}/recording`, {
      token: host.token,
    });
    expect(deleted.status).toBe(204);
    expect(existsSync(recordingDir(dataDir, id))).toBe(false);
    const replay = await api(server.url, "GET", `/api/spaces/${id}/recording`);
    expect(replay.status).toBe(410);
    expect(replay.body.error.code).toBe("AMPHI_RECORDING_DELETED");
    expect(replay.body.error.message).toMatch(/deleted/);
    expect((await fetch(`${server.url}/recordings/${id}/vod.m3u8`)).status).toBe(410);
    expect((await fetch(`${server.url}/recordings/${id}/init.mp4`)).status).toBe(410);
    // Its clips went with it.
    expect((await api(server.url, "GET", `/api/clips/${hostClip}`)).status).toBe(404);
    expect((await fetch(`${server.url}/clips/${hostClip}/clip.m3u8`)).status).toBe(404);
    // Deleting again is harmless.
    expect(
      (await api(server.url, "DELETE", `/api/spaces/${id}/recording`, { token: host.token }))
        .status,
    ).toBe(204);
  });

  it("the retention sweep runs at start and deletes expired recordings' files", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "amphi-sweep-"));
    seedEmbeddedDatabase(dataDir);
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    let server = await startTestServer({ mediaPlane: "on", dataDir });
    const host = await signUp(server.url);
    const expired = await recordedAndEnded(server, host);
    const kept = await recordedAndEnded(server, host);
    await server.store.db
      .updateTable("spaces")
      .set({ ended_at: new Date(Date.now() - 31 * 86_400_000) })
      .where("id", "=", expired)
      .execute();
    await server.close();
    expect(existsSync(recordingDir(dataDir, expired))).toBe(true);

    server = await startTestServer({ mediaPlane: "on", dataDir });
    cleanup.push(() => server.close());
    // The sweep erases the files, then marks the row: the mark is its last step.
    const deletedBy = async () =>
      (
        await server.store.db
          .selectFrom("spaces")
          .select(["recording_deleted_by"])
          .where("id", "=", expired)
          .executeTakeFirstOrThrow()
      ).recording_deleted_by;
    await expect.poll(deletedBy, { timeout: 10_000 }).toBe("retention");
    expect(existsSync(recordingDir(dataDir, expired))).toBe(false);
    expect(existsSync(recordingDir(dataDir, kept))).toBe(true);
    expect((await api(server.url, "GET", `/api/spaces/${expired}/recording`)).status).toBe(404);
    expect((await api(server.url, "GET", `/api/spaces/${kept}/recording`)).status).toBe(200);
  });
});
