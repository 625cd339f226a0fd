/**
 * The cluster's PostgreSQL: a cluster in DIR/postgres/data (initdb at the first start, kept
 * after), listening on 127.0.0.1 only with trust authentication, no unix socket (its path
 * could pass the 107-byte limit under a deep DIR), fsync on. Under root it runs as the
 * `postgres` user, which owns DIR/postgres.
 */
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { findPostgresBinaries } from "../../system/postgres-binaries.ts";
import { initdb } from "../../system/postgres-initdb.ts";
import { postgresServerEnv } from "../../system/postgres-server-env.ts";
import { postgresServerUser } from "../../system/postgres-server-user.ts";
import { commandLineHas } from "../../system/process-table.ts";
import { DATABASE_NAME, HOST } from "../cluster-plan.ts";
import type { ClusterContext, MemberDriver } from "../member-driver.ts";
import { postgresAnswers } from "../readiness.ts";

const home = (dir: string) => join(dir, "postgres");
const dataDir = (dir: string) => join(home(dir), "data");

/** The maintenance database's URL: it exists before ours is created. */
function maintenanceUrl(url: string): string {
  const parsed = new URL(url);
  parsed.pathname = "/postgres";
  return parsed.href;
}

/**
 * postmaster.pid names a pid PostgreSQL checks with kill(pid, 0) before it starts: a killed
 * postmaster nobody reaped (a zombie) or a recycled pid would pass, and the start would be
 * refused. The file is removed when that pid is not this cluster's postmaster any more.
 */
function removeStalePidFile(data: string): void {
  const pidFile = join(data, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (!Number.isSafeInteger(pid) || pid <= 0 || !commandLineHas(pid, [data])) {
    rmSync(pidFile, { force: true });
  }
}

async function createDatabase(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: maintenanceUrl(url) });
  client.on("error", () => {});
  await client.connect();
  try {
    const found = await client.query("select 1 from pg_database where datname = $1", [
      DATABASE_NAME,
    ]);
    if (found.rowCount === 0) await client.query(`create database ${DATABASE_NAME}`);
  } finally {
    await client.end();
  }
}

export const postgresDriver: MemberDriver = {
  async prepare(ctx: ClusterContext, member) {
    const { bin } = await findPostgresBinaries();
    const owner = postgresServerUser();
    const data = dataDir(ctx.dir);
    if (existsSync(join(data, "PG_VERSION"))) {
      removeStalePidFile(data);
    } else {
      // Half a cluster (an interrupted initdb) cannot be used, and initdb wants an empty folder.
      rmSync(data, { recursive: true, force: true });
      mkdirSync(home(ctx.dir), { recursive: true });
      if (owner) chownSync(home(ctx.dir), owner.uid, owner.gid);
      chmodSync(home(ctx.dir), 0o700);
      await initdb({ bin, dataDir: data, owner, cwd: home(ctx.dir) });
    }
    const settings: Record<string, string> = {
      listen_addresses: HOST,
      port: String(member.port),
      unix_socket_directories: "",
      max_connections: "200",
    };
    return {
      command: join(bin, "postgres"),
      args: ["-D", data, ...Object.entries(settings).flatMap(([k, v]) => ["-c", `${k}=${v}`])],
      cwd: home(ctx.dir),
      env: postgresServerEnv(),
      user: owner,
    };
  },
  identity: (ctx, member) => [dataDir(ctx.dir), `port=${member.port}`],
  probe: (member) => postgresAnswers(maintenanceUrl(member.url)),
  afterReady: (_ctx, member) => createDatabase(member.url),
  // Fast shutdown: open sessions are rolled back instead of waited for (SIGTERM waits).
  stopSignal: "SIGINT",
};
