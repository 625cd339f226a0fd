import { Command } from "commander";
import { ConfigError, loadConfig } from "./config/config.ts";
import { edgeCommand } from "./edge/edge-command.ts";
import { loadtestCommand } from "./loadtest/loadtest-command.ts";
import { adminCommand, auditCommand } from "./moderation/moderation-commands.ts";
import { openStore } from "./store/database.ts";
import { ownerOnlyUmask } from "./store/private-files.ts";
import { capacityCommand } from "./tools/capacity/capacity-command.ts";
import { clusterCommand } from "./tools/cluster/cluster-command.ts";

const program = new Command()
  .name("amphi")
  .description("Live audio Spaces that start on time for any audience")
  .allowUnknownOption(false);

const configFlags = (cmd: Command) =>
  cmd
    .option("--port <port>", "HTTP port (PORT)")
    .option("--host <host>", "address to listen on (HOST)")
    .option("--data-dir <dir>", "where the embedded database lives (DATA_DIR)")
    .option("--database-url <url>", "postgres://... to use PostgreSQL (DATABASE_URL)")
    .option("--public-url <url>", "the public address of this server (PUBLIC_URL)")
    .option("--log-level <level>", "fatal|error|warn|info|debug|trace|silent (LOG_LEVEL)")
    .option("--role <role>", "all | api | media (ROLE)")
    .option("--redis-url <url>", "redis://... shared state for a fleet (REDIS_URL)")
    .option("--node-name <name>", "this node's name in the fleet (NODE_NAME)")
    .option("--advertise-url <url>", "where other nodes reach this one (ADVERTISE_URL)");

function config() {
  try {
    return loadConfig(process.env, process.argv.slice(3));
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
}

configFlags(
  program.command("serve").description("run the server (API, live state, web app)"),
).action(async () => {
  // Loaded here, not at the top: the server pulls in @discordjs/opus, whose native loader
  // reads process.argv itself and takes another command's `--dir X` as its own `--directory`.
  const { startAmphi } = await import("./server/amphi-server.ts");
  // Everything the server creates (database files, keys, recordings) is born owner-only.
  ownerOnlyUmask();
  const server = await startAmphi(config());
  let signals = 0;
  const shutdown = (signal: string) => {
    signals++;
    if (signals > 1) process.exit(1);
    server.logger.info({ signal }, "shutting down");
    server.stop().then(
      () => process.exit(0),
      (error) => {
        server.logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("unhandledRejection", (error) =>
    server.logger.error({ err: error }, "unhandled rejection"),
  );
});

configFlags(
  program.command("migrate").description("bring the database schema up to date and exit"),
).action(async () => {
  const c = config();
  const store = await openStore({ databaseUrl: c.databaseUrl, dataDir: c.dataDir });
  await store.close();
  console.error(`amphi: ${store.kind} database is up to date`);
});

program.addCommand(edgeCommand);
program.addCommand(loadtestCommand);
program.addCommand(clusterCommand);
program.addCommand(capacityCommand);
program.addCommand(adminCommand);
program.addCommand(auditCommand);

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
