import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startAmphiProcess } from "../support/amphi-process.ts";
import { api, signUp, startTestServer } from "../support/amphi-test-server.ts";

/** DATA_DIR (database, ticket key, recordings) is owner-only: folders 0700, files 0600. */
const cleanup: (() => unknown)[] = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
});

/** Every entry under `dir` whose permissions are not owner-only, with its mode. */
function notOwnerOnly(dir: string): string[] {
  const found: string[] = [];
  const walk = (path: string) => {
    const info = lstatSync(path);
    const mode = info.mode & 0o777;
    if (info.isDirectory()) {
      if (mode !== 0o700) found.push(`${path} ${mode.toString(8)}`);
      for (const name of readdirSync(path)) walk(join(path, name));
    } else if (info.isFile() && mode !== 0o600) found.push(`${path} ${mode.toString(8)}`);
  };
  walk(dir);
  return found;
}

describe("data folder permissions", { timeout: 120_000 }, () => {
  it("amphi serve makes its database, ticket key and every later file owner-only", async () => {
    const parent = mkdtempSync(join(tmpdir(), "amphi-perm-"));
    cleanup.push(() => rmSync(parent, { recursive: true, force: true }));
    const dataDir = join(parent, "data");
    const amphi = await startAmphiProcess({ dataDir });
    cleanup.push(() => amphi.stop(2000));
    // Writes after start (new database pages, WAL) are born owner-only too.
    const ada = await signUp(amphi.url);
    await api(amphi.url, "POST", "/api/spaces", { token: ada.token, body: { title: "Private" } });
    await amphi.stop();
    expect(lstatSync(join(dataDir, "ticket-key")).mode & 0o777).toBe(0o600);
    expect(lstatSync(join(dataDir, "pglite")).mode & 0o777).toBe(0o700);
    expect(notOwnerOnly(dataDir)).toEqual([]);
  });

  it("makes a data folder left world-readable by an older version owner-only at start", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "amphi-perm-old-"));
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    mkdirSync(join(dataDir, "recordings", "space-1"), { recursive: true, mode: 0o755 });
    writeFileSync(join(dataDir, "recordings", "space-1", "init.mp4"), "x", { mode: 0o644 });
    chmodSync(dataDir, 0o755);
    const server = await startTestServer({ dataDir });
    try {
      expect(notOwnerOnly(dataDir)).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
