import { userInfo } from "node:os";
import { Command } from "commander";
import { ConfigError, loadConfig } from "../config/config.ts";
import { openStore, type Store } from "../store/database.ts";
import { repositories } from "../store/repositories/index.ts";
import { verifyChain } from "./hash-chain.ts";
import { changeRole, RoleAdminError } from "./role-admin.ts";
import { isRole } from "./roles.ts";

interface StoreFlags {
  dataDir?: string;
  databaseUrl?: string;
}

const storeFlags = (cmd: Command) =>
  cmd
    .option("--data-dir <dir>", "where the embedded database lives (DATA_DIR)")
    .option("--database-url <url>", "postgres://... to use PostgreSQL (DATABASE_URL)");

/** The database `serve` would use: DATA_DIR / DATABASE_URL, or the flags. */
async function open(flags: StoreFlags): Promise<Store> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env, [], {
      ...(flags.dataDir ? { dataDir: flags.dataDir } : {}),
      ...(flags.databaseUrl ? { databaseUrl: flags.databaseUrl } : {}),
    });
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  return openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
}

/** Who ran the command, for the audit log. */
function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return "cli";
  }
}

/** `amphi admin grant|revoke --handle H --role moderator|admin|trusted-flagger`. */
export const adminCommand = new Command("admin").description(
  "grant and revoke roles (moderator, admin, trusted-flagger)",
);

for (const op of ["grant", "revoke"] as const) {
  storeFlags(
    adminCommand
      .command(op)
      .description(`${op} a role ${op === "grant" ? "to" : "from"} an account (audited)`)
      .requiredOption("--handle <handle>", "the account's handle")
      .requiredOption("--role <role>", "moderator | admin | trusted-flagger"),
  ).action(async (flags: StoreFlags & { handle: string; role: string }) => {
    if (!isRole(flags.role)) {
      console.error(
        `amphi: Unknown role "${flags.role}": use moderator, admin or trusted-flagger.`,
      );
      process.exitCode = 1;
      return;
    }
    const store = await open(flags);
    let failed = false;
    try {
      const { changed } = await changeRole(store.db, {
        op,
        handle: flags.handle,
        role: flags.role,
        actor: cliActor(),
      });
      const handle = flags.handle.replace(/^@/, "").toLowerCase();
      process.stdout.write(
        `${
          changed
            ? `amphi: ${op === "grant" ? "granted" : "revoked"} ${flags.role} ${op === "grant" ? "to" : "from"} @${handle}`
            : `amphi: @${handle} ${op === "grant" ? "already has" : "does not have"} ${flags.role}; nothing changed`
        }\n`,
      );
    } catch (error) {
      if (!(error instanceof RoleAdminError)) throw error;
      console.error(`amphi: ${error.message}`);
      failed = true;
    } finally {
      await store.close();
    }
    // Explicitly: the embedded database's runtime resets process.exitCode as it shuts down.
    if (failed) process.exit(1);
  });
}

/** `amphi audit verify`: checks the audit log's hash chain. */
export const auditCommand = new Command("audit").description("the audit log of privileged actions");

storeFlags(
  auditCommand
    .command("verify")
    .description(
      "check the audit log's hash chain: exit 0 when intact, 1 naming the first bad row",
    ),
).action(async (flags: StoreFlags) => {
  const store = await open(flags);
  let failed = false;
  try {
    const check = await verifyChain(repositories(store.db).auditLog.rows());
    if (check.ok) {
      process.stdout.write(`amphi: audit log intact: ${check.rows} rows, head ${check.head}\n`);
    } else {
      const why = {
        hash: "its content does not match its hash (changed)",
        link: "it does not link to the row before it (changed or reordered)",
        gap: "it is missing (deleted)",
      }[check.reason];
      console.error(
        `amphi: audit log broken at row ${check.seq}: ${why}; ${check.rows} rows before it are intact`,
      );
      failed = true;
    }
  } finally {
    await store.close();
  }
  // Explicitly: the embedded database's runtime resets process.exitCode as it shuts down.
  if (failed) process.exit(1);
});
