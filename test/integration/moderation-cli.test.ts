import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { changeRole } from "../../src/moderation/role-admin.ts";
import { openStore } from "../../src/store/database.ts";
import { repositories } from "../../src/store/repositories/index.ts";
import { seedEmbeddedDatabase } from "../support/embedded-template.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

/**
 * `amphi admin grant|revoke` and `amphi audit verify`, run as the operator runs them: a
 * process of their own on the database `serve` uses (DATA_DIR or DATABASE_URL).
 */
const root = fileURLToPath(new URL("../..", import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function amphi(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "src/main.ts", ...args],
      { cwd: root, env: { ...process.env, LOG_LEVEL: "silent", ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

async function withStore<T>(
  where: { dataDir?: string; databaseUrl?: string },
  fn: (s: Awaited<ReturnType<typeof openStore>>) => Promise<T>,
): Promise<T> {
  const store = await openStore(where);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

async function newAccount(where: { dataDir?: string; databaseUrl?: string }): Promise<string> {
  const handle = `op_${randomUUID().slice(0, 8)}`;
  await withStore(where, (s) =>
    repositories(s.db).accounts.create({
      id: randomUUID(),
      handle,
      displayName: "Operator test",
      passwordHash: "x",
    }),
  );
  return handle;
}

/** Changes one audit row behind the trigger's back, as an attacker with the database would. */
async function tamper(where: { dataDir?: string; databaseUrl?: string }, statement: string) {
  await withStore(where, async (s) => {
    await sql`alter table audit_log disable trigger user`.execute(s.db);
    await sql.raw(statement).execute(s.db);
    await sql`alter table audit_log enable trigger user`.execute(s.db);
  });
}

describe("amphi admin and amphi audit on PGlite (DATA_DIR)", () => {
  const dirs: string[] = [];
  /** A data folder holding a copy of the run's migrated database, as `serve` left it. */
  const freshDir = () => {
    const dir = mkdtempSync(join(tmpdir(), "amphi-cli-"));
    dirs.push(dir);
    seedEmbeddedDatabase(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it("grants and revokes roles, and refuses unknown handles and roles with a clear message", async () => {
    const dataDir = freshDir();
    const handle = await newAccount({ dataDir });
    const granted = await amphi(["admin", "grant", "--handle", handle, "--role", "moderator"], {
      DATA_DIR: dataDir,
    });
    expect(granted.code, granted.stderr).toBe(0);
    expect(granted.stdout).toContain(`granted moderator to @${handle}`);
    const roles = await withStore({ dataDir }, async (s) => {
      const r = repositories(s.db);
      const account = await r.accounts.findByHandle(handle);
      return r.roles.rolesOf(account?.id ?? "");
    });
    expect(roles).toEqual(["moderator"]);

    const revoked = await amphi([
      "admin",
      "revoke",
      "--handle",
      `@${handle.toUpperCase()}`,
      "--role",
      "moderator",
      "--data-dir",
      dataDir,
    ]);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toContain(`revoked moderator from @${handle}`);

    const [nobody, badRole] = await Promise.all([
      amphi(["admin", "grant", "--handle", "nobody_here", "--role", "admin"], {
        DATA_DIR: dataDir,
      }),
      amphi(["admin", "grant", "--handle", handle, "--role", "king"], { DATA_DIR: dataDir }),
    ]);
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toContain('No account has the handle "nobody_here"');
    expect(badRole.code).toBe(1);
    expect(badRole.stderr).toContain('Unknown role "king"');
    // Each grant and revocation is in the audit log; a refused one is not.
    const actions = await withStore({ dataDir }, async (s) => {
      const out: string[] = [];
      for await (const row of repositories(s.db).auditLog.rows()) out.push(row.action);
      return out;
    });
    expect(actions).toEqual(["role.grant", "role.revoke"]);
  }, 400_000);

  it("verifies the audit chain, then names the row changed behind the trigger's back", async () => {
    const dataDir = freshDir();
    const handle = await newAccount({ dataDir });
    await withStore({ dataDir }, async (s) => {
      for (const role of ["admin", "moderator", "trusted-flagger"]) {
        await changeRole(s.db, { op: "grant", handle, role, actor: "cli:test" });
      }
    });
    const intact = await amphi(["audit", "verify"], { DATA_DIR: dataDir });
    expect(intact.code, intact.stderr).toBe(0);
    expect(intact.stdout).toContain("audit log intact: 3 rows");

    await tamper({ dataDir }, `update audit_log set details = '{"role":"admin"}' where seq = 2`);
    const broken = await amphi(["audit", "verify"], { DATA_DIR: dataDir });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain("audit log broken at row 2");
  }, 300_000);
});

describe("amphi audit on PostgreSQL (DATABASE_URL)", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("names a deleted row, and the database refuses changes while its trigger is on", async () => {
    const where = { databaseUrl: database.url };
    const handle = await newAccount(where);
    await withStore(where, async (s) => {
      for (const role of ["admin", "moderator", "trusted-flagger"]) {
        await changeRole(s.db, { op: "grant", handle, role, actor: "cli:test" });
      }
      await expect(sql`update audit_log set actor = 'x'`.execute(s.db)).rejects.toThrow(
        /append-only/,
      );
      await expect(sql`delete from audit_log`.execute(s.db)).rejects.toThrow(/append-only/);
      await expect(sql`truncate audit_log`.execute(s.db)).rejects.toThrow(/append-only/);
    });
    const intact = await amphi(["audit", "verify"], { DATABASE_URL: database.url });
    expect(intact.code, intact.stderr).toBe(0);
    await tamper(where, "delete from audit_log where seq = 2");
    const broken = await amphi(["audit", "verify"], { DATABASE_URL: database.url });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain("audit log broken at row 2");
    expect(broken.stderr).toContain("missing");
  }, 300_000);
});
