/**
 * What Linux's /proc says about a process: whether it still runs, its command line, its
 * children. Used to signal exactly the processes a tool started, never a recycled pid.
 */
import { readdirSync, readFileSync } from "node:fs";

export type ProcessState = "running" | "zombie" | "gone";

/** The fields of /proc/PID/stat after the command name (which may itself hold spaces). */
function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return null;
  }
}

/**
 * "zombie" counts as ended: a process that exited but was not reaped yet. That happens to
 * processes that outlived their starter when the machine's init does not reap orphans (as in
 * some containers); `kill(pid, 0)` still succeeds on them, so it cannot tell.
 */
export function processState(pid: number): ProcessState {
  const fields = statFields(pid);
  if (!fields) return "gone";
  return fields[0] === "Z" || fields[0] === "X" ? "zombie" : "running";
}

export function isRunning(pid: number): boolean {
  return processState(pid) === "running";
}

/**
 * The words of a process's command line: its arguments, each also split at spaces, because
 * programs that retitle themselves (nginx, redis-server) write one argument with spaces.
 * Null when the process is gone or is a zombie (whose command line is empty).
 */
export function commandLineWords(pid: number): string[] | null {
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    const words = raw.split(/[\0 ]+/).filter((word) => word !== "");
    return words.length > 0 ? words : null;
  } catch {
    return null;
  }
}

/**
 * True when `pid` runs and its command line holds every one of `words` as a whole word, or as
 * the last part of a path (`redis-server` matches `/usr/bin/redis-server`).
 */
export function commandLineHas(pid: number, words: readonly string[]): boolean {
  if (!isRunning(pid)) return false;
  const found = commandLineWords(pid);
  return (
    found !== null && words.every((word) => found.some((w) => w === word || w.endsWith(`/${word}`)))
  );
}

/** Pids whose parent is `pid` (e.g. nginx's workers), from /proc. */
export function childrenOf(pid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^[0-9]+$/.test(entry)) continue;
    const ppid = Number(statFields(Number(entry))?.[1]);
    if (ppid === pid) found.push(Number(entry));
  }
  return found;
}

/** Sends `signal`; false when there was no such process (or it is not ours to signal). */
export function signalProcess(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Resolves true once none of `pids` runs any more, false if some still do after `timeoutMs`. */
export async function waitUntilGone(pids: readonly number[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (pids.every((pid) => !isRunning(pid))) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
