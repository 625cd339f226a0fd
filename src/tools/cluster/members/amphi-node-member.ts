/**
 * An Amphi node of the cluster: `node --import tsx <repo>/src/main.ts serve` from the
 * checkout that ran `up`, with its role, port, name and the shared services in its
 * environment (node-env.ts). Every node uses the one DIR/data folder: it stands for the shared
 * volume holding recordings.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { HOST } from "../cluster-plan.ts";
import { readSecrets } from "../cluster-secrets.ts";
import type { MemberDriver } from "../member-driver.ts";
import { amphiNodeEnv } from "../node-env.ts";
import { httpOk } from "../readiness.ts";
import { mainScript, webDist } from "../repo-paths.ts";

export const sharedDataDir = (dir: string) => join(dir, "data");

export function amphiNodeDriver(role: "api" | "media"): MemberDriver {
  return {
    async prepare(ctx, member) {
      const dataDir = sharedDataDir(ctx.dir);
      mkdirSync(dataDir, { recursive: true });
      const env = amphiNodeEnv(
        process.env,
        {
          role,
          name: member.name,
          port: member.port,
          host: HOST,
          databaseUrl: ctx.file.postgres.url,
          redisUrl: ctx.file.redis.url,
          dataDir,
          webDir: webDist(ctx.file.repo),
          secrets: readSecrets(ctx.dir),
        },
        ctx.file.env,
      );
      return {
        command: process.execPath,
        // The role travels in ROLE (env). The port is a flag too: it makes the command line
        // this node's own (identity below), and the flag means the same as PORT.
        args: [
          "--import",
          "tsx",
          mainScript(ctx.file.repo),
          "serve",
          `--port=${member.port}`,
          `--host=${HOST}`,
        ],
        cwd: ctx.file.repo,
        env,
        user: null,
      };
    },
    identity: (ctx, member) => [mainScript(ctx.file.repo), "serve", `--port=${member.port}`],
    probe: (member) => httpOk(`${member.url}/readyz`),
    // Drains: /readyz turns 503 (the balancer moves on), requests in flight finish.
    stopSignal: "SIGTERM",
  };
}
