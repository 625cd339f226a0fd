import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type AmphiProcess, startAmphiProcess } from "../support/amphi-process.ts";
import { api, signUp } from "../support/amphi-test-server.ts";
import { seedEmbeddedDatabase } from "../support/embedded-template.ts";

/**
 * The audio's URLs come only with a ticket, so who gets a ticket is what protects it: a
 * person removed from a live Space gets none, also right after the server restarts (the
 * admission directory preloads removals with the open Spaces, before any change event).
 */
const dataDir = mkdtempSync(join(tmpdir(), "amphi-removal-restart-"));
seedEmbeddedDatabase(dataDir);
let amphi: AmphiProcess | undefined;

afterAll(async () => {
  await amphi?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("removals across a restart", () => {
  it("a removed person gets no ticket (and so no playlist URL) after the server restarts", async () => {
    amphi = await startAmphiProcess({ dataDir, env: { MEDIA_PLANE: "off" }, timeoutMs: 60_000 });
    const host = await signUp(amphi.url);
    const troll = await signUp(amphi.url);
    const created = await api(amphi.url, "POST", "/api/spaces", {
      token: host.token,
      body: { title: "Restarted", startNow: true },
    });
    const id = created.body.space.id as string;
    const remove = await api(
      amphi.url,
      "POST",
      `/api/spaces/${id}/participants/${troll.handle}/remove`,
      {
        token: host.token,
      },
    );
    expect(remove.status).toBe(200);
    await amphi.stop();
    amphi = await startAmphiProcess({ dataDir, env: { MEDIA_PLANE: "off" }, timeoutMs: 60_000 });
    const refused = await api(amphi.url, "POST", `/api/spaces/${id}/tickets`, {
      token: troll.token,
      body: {},
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("AMPHI_REMOVED_FROM_SPACE");
    expect(JSON.stringify(refused.body)).not.toContain("/hls/");
    const anyone = await api(amphi.url, "POST", `/api/spaces/${id}/tickets`, { body: {} });
    expect(anyone.status).toBe(200);
  }, 150_000);
});
