/** The cluster's HAProxy in front of the API nodes (haproxy-conf.ts says how and why). */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { findSystemBinary } from "../../system/system-binary.ts";
import { acceptsConnection } from "../../system/tcp-probe.ts";
import { HOST } from "../cluster-plan.ts";
import { renderHaproxyConf } from "../haproxy-conf.ts";
import type { ClusterContext, MemberDriver } from "../member-driver.ts";

const configFile = (dir: string) => join(dir, "haproxy", "haproxy.cfg");

export const balancerDriver: MemberDriver = {
  async prepare(ctx: ClusterContext) {
    const file = configFile(ctx.dir);
    mkdirSync(join(ctx.dir, "haproxy"), { recursive: true });
    const stats = new URL(ctx.file.balancerMember.statsUrl);
    writeFileSync(
      file,
      renderHaproxyConf({
        listen: { host: HOST, port: ctx.file.balancerMember.port },
        stats: { host: stats.hostname, port: Number(stats.port) },
        servers: ctx.file.api.map((node) => ({ name: node.name, host: HOST, port: node.port })),
      }),
    );
    return {
      command: findSystemBinary("haproxy") ?? "haproxy",
      // -db: stay in the foreground, one process: the pid we record is the balancer.
      args: ["-db", "-f", file],
      cwd: join(ctx.dir, "haproxy"),
      env: process.env,
      user: null,
    };
  },
  identity: (ctx) => [configFile(ctx.dir)],
  probe: (member) => acceptsConnection(HOST, member.port),
  stopSignal: "SIGTERM",
};
