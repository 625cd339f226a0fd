/**
 * The cluster's Redis: in the foreground, on 127.0.0.1 only, nothing saved to disk (shared
 * admission and presence state is rebuilt by the nodes; a restart starts empty, like a
 * failover to a fresh replica would).
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { findSystemBinary } from "../../system/system-binary.ts";
import { HOST } from "../cluster-plan.ts";
import type { MemberDriver } from "../member-driver.ts";
import { redisAnswersPing } from "../readiness.ts";

export const redisDriver: MemberDriver = {
  async prepare(ctx, member) {
    const folder = join(ctx.dir, "redis");
    mkdirSync(folder, { recursive: true });
    return {
      command: findSystemBinary("redis-server") ?? "redis-server",
      args: [
        "--port",
        String(member.port),
        "--bind",
        HOST,
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        folder,
        "--daemonize",
        "no",
      ],
      cwd: folder,
      env: process.env,
      user: null,
    };
  },
  // Redis retitles itself `redis-server 127.0.0.1:PORT`.
  identity: (_ctx, member) => ["redis-server", `${HOST}:${member.port}`],
  probe: (member) => redisAnswersPing(HOST, member.port),
  stopSignal: "SIGTERM",
};
