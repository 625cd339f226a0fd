/**
 * The embedded database folder is one process's alone: a second open (another `amphi serve`,
 * `amphi migrate` while serving) is refused while the first holds it, and a lock left behind by
 * a process that died is taken over.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { openStore, type Store } from "../../src/store/database.ts";

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "amphi-lock-test-"));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function opened(dataDir: string): Promise<Store> {
  const store = await openStore({ dataDir });
  cleanup.push(() => store.close());
  return store;
}

const lockFile = (dataDir: string) => join(dataDir, "pglite", "amphi.lock");

/** The PID of a process that has exited (and so is not alive). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  const pid = child.pid;
  if (pid === undefined) throw new Error("could not start a process");
  await new Promise((resolve) => child.once("exit", resolve));
  return pid;
}

describe("the PGlite data folder lock", () => {
  test("a second open of the same folder is refused while the first is open", async () => {
    const dataDir = tempDataDir();
    const first = await opened(dataDir);
    expect(readFileSync(lockFile(dataDir), "utf8").trim()).toBe(String(process.pid));
    const folder = join(dataDir, "pglite");
    const second = openStore({ dataDir });
    await expect(second).rejects.toThrow(
      `The database folder ${folder} is in use by another Amphi process (PID ${process.pid}`,
    );
    // The refused open leaves the first one working, and its lock in place.
    await first.ping();
    expect(existsSync(lockFile(dataDir))).toBe(true);
  });

  test("after close the lock is gone and the folder opens again, data intact", async () => {
    const dataDir = tempDataDir();
    const first = await openStore({ dataDir });
    await first.db.schema.createTable("kept").addColumn("n", "integer").execute();
    await first.close();
    expect(existsSync(lockFile(dataDir))).toBe(false);
    const again = await opened(dataDir);
    expect(
      await again.db
        .selectFrom("kept" as never)
        .selectAll()
        .execute(),
    ).toEqual([]);
    expect(readFileSync(lockFile(dataDir), "utf8").trim()).toBe(String(process.pid));
  });

  test("closing twice is harmless", async () => {
    const dataDir = tempDataDir();
    const store = await openStore({ dataDir });
    await Promise.all([store.close(), store.close()]);
    await store.close();
    expect(existsSync(lockFile(dataDir))).toBe(false);
  });

  test("a lock left by a process that is gone is taken over", async () => {
    const dataDir = tempDataDir();
    mkdirSync(join(dataDir, "pglite"), { recursive: true });
    const pid = await deadPid();
    writeFileSync(lockFile(dataDir), `${pid}\n`);
    const store = await opened(dataDir);
    await store.ping();
    expect(readFileSync(lockFile(dataDir), "utf8").trim()).toBe(String(process.pid));
  });

  test("a lock with this process's PID that this process did not take is stale", async () => {
    // A container restarted on the same volume often gets the same PID as before.
    const dataDir = tempDataDir();
    mkdirSync(join(dataDir, "pglite"), { recursive: true });
    writeFileSync(lockFile(dataDir), `${process.pid}\n`);
    await (await opened(dataDir)).ping();
  });

  test("an empty or unreadable lock (its writer died mid-way) is taken over", async () => {
    const dataDir = tempDataDir();
    mkdirSync(join(dataDir, "pglite"), { recursive: true });
    writeFileSync(lockFile(dataDir), "");
    await (await opened(dataDir)).ping();
  });

  test("a lock held by another live process is refused, naming its PID", async () => {
    const dataDir = tempDataDir();
    mkdirSync(join(dataDir, "pglite"), { recursive: true });
    const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], {
      stdio: "ignore",
    });
    cleanup.push(() => child.kill());
    writeFileSync(lockFile(dataDir), `${child.pid}\n`);
    await expect(openStore({ dataDir })).rejects.toThrow(
      new RegExp(`in use by another Amphi process \\(PID ${child.pid}\\)`),
    );
    // The other process's lock is left alone.
    expect(readFileSync(lockFile(dataDir), "utf8").trim()).toBe(String(child.pid));
  });
});
