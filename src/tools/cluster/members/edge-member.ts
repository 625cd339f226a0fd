/**
 * An nginx edge of the cluster: the configuration `amphi edge nginx-conf` prints
 * (renderEdgeNginxConf), with the balancer as its origin, in DIR/edges/NAME. One worker per
 * edge: a local fleet shares a few cores between all its members.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderEdgeNginxConf } from "../../../edge/nginx-conf.ts";
import { nginxArgs, nginxBinary, nginxWorkerUser, prepareNginxPrefix } from "../../system/nginx.ts";
import { childrenOf, commandLineWords } from "../../system/process-table.ts";
import { acceptsConnection } from "../../system/tcp-probe.ts";
import { HOST } from "../cluster-plan.ts";
import { readSecrets } from "../cluster-secrets.ts";
import type { MemberDriver } from "../member-driver.ts";

const prefixOf = (dir: string, name: string) => join(dir, "edges", name);
const confOf = (dir: string, name: string) => join(prefixOf(dir, name), "nginx.conf");

/** nginx retitles its processes `nginx: master process ...`, `nginx: worker process`. */
const isNginxProcess = (pid: number) => commandLineWords(pid)?.[0] === "nginx:";

export const edgeDriver: MemberDriver = {
  async prepare(ctx, member) {
    mkdirSync(join(ctx.dir, "edges"), { recursive: true, mode: 0o755 });
    const prefix = prefixOf(ctx.dir, member.name);
    prepareNginxPrefix(prefix);
    const user = nginxWorkerUser();
    const confFile = confOf(ctx.dir, member.name);
    writeFileSync(
      confFile,
      renderEdgeNginxConf({
        origins: [ctx.file.balancer],
        listen: `${HOST}:${member.port}`,
        prefix,
        // The nodes' HLS_URL_SECRET: the edge checks signed LL-HLS URLs by itself.
        hlsUrlSecret: readSecrets(ctx.dir).hlsUrlSecret,
        workerProcesses: 1,
        // One worker holds every client of this edge: a rehearsal crowd of ten thousand
        // clients ran the default 8192 out (listeners plus upstream connections).
        workerConnections: 16_384,
        ...(user ? { user } : {}),
      }),
    );
    return {
      command: nginxBinary,
      args: nginxArgs({ prefix, confFile, errorLog: join(prefix, "error.log") }),
      cwd: prefix,
      env: process.env,
      user: null,
    };
  },
  identity: (ctx, member) => ["master", confOf(ctx.dir, member.name)],
  probe: (member) => acceptsConnection(HOST, member.port),
  stopSignal: "SIGTERM",
  // Workers outlive a SIGKILLed master: they are stopped with it.
  helpers: (pid) => childrenOf(pid).filter(isNginxProcess),
  isHelper: isNginxProcess,
};
