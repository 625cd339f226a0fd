/**
 * Who listens on a TCP port, from /proc: a probe that answers on a member's port proves
 * nothing if another program took the port first. Linux only, like the rest of this folder.
 */
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { createServer } from "node:net";

const LISTEN = "0A";

/** Socket inodes listening on `port` (any address, IPv4 or IPv6). */
export function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text: string;
    try {
      text = readFileSync(table, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
      const fields = line.trim().split(/\s+/);
      const local = fields[1];
      if (!local || fields[3] !== LISTEN) continue;
      if (Number.parseInt(local.slice(local.lastIndexOf(":") + 1), 16) === port && fields[9]) {
        inodes.add(fields[9]);
      }
    }
  }
  return inodes;
}

function socketInodesOf(pid: number): Set<string> {
  const found = new Set<string>();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const match = /^socket:\[([0-9]+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (match?.[1]) found.add(match[1]);
      } catch {
        // closed meanwhile
      }
    }
  } catch {
    // gone, or not ours to read
  }
  return found;
}

/** True when one of `pids` holds a socket listening on `port`. */
export function holdsListener(pids: readonly number[], port: number): boolean {
  const listening = listeningInodes(port);
  if (listening.size === 0) return false;
  return pids.some((pid) => [...socketInodesOf(pid)].some((inode) => listening.has(inode)));
}

/** The processes holding a socket listening on `port` (for error messages; scans /proc). */
export function pidsListeningOn(port: number): number[] {
  const listening = listeningInodes(port);
  if (listening.size === 0) return [];
  return readdirSync("/proc")
    .filter((entry) => /^[0-9]+$/.test(entry))
    .map(Number)
    .filter((pid) => [...socketInodesOf(pid)].some((inode) => listening.has(inode)));
}

/** True when nothing listens on host:port (checked by binding it for a moment). */
export function portIsFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}
