/**
 * The Debian programs a cluster runs: PostgreSQL, Redis, HAProxy, nginx. When one is missing,
 * `up` runs scripts/ensure-system-deps.sh (it installs what is missing with apt-get as root,
 * or says which command to run).
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { findPostgresBinaries } from "../system/postgres-binaries.ts";
import { findSystemBinary } from "../system/system-binary.ts";
import { ClusterError } from "./cluster-error.ts";
import { ensureSystemDepsScript } from "./repo-paths.ts";

const programs: { package: string; present(): Promise<boolean> }[] = [
  {
    package: "postgresql",
    present: () =>
      findPostgresBinaries().then(
        () => true,
        () => false,
      ),
  },
  { package: "redis-server", present: async () => findSystemBinary("redis-server") !== null },
  { package: "haproxy", present: async () => findSystemBinary("haproxy") !== null },
  { package: "nginx", present: async () => findSystemBinary("nginx") !== null },
];

/** The Debian packages whose programs are missing. */
export async function missingPackages(): Promise<string[]> {
  const present = await Promise.all(programs.map((program) => program.present()));
  return programs.filter((_, i) => !present[i]).map((program) => program.package);
}

function runScript(script: string): Promise<number | null> {
  return new Promise((resolve) => {
    // Its output goes to stderr: stdout is for the cluster's JSON.
    const child = spawn("bash", [script], { stdio: ["ignore", process.stderr, process.stderr] });
    child.once("error", () => resolve(null));
    child.once("exit", (code) => resolve(code));
  });
}

export async function ensureClusterPrograms(
  repo: string,
  say: (line: string) => void,
): Promise<void> {
  const missing = await missingPackages();
  if (missing.length === 0) return;
  const script = ensureSystemDepsScript(repo);
  const hint = `install them with \`bash ${script}\` (Debian/Ubuntu: apt-get install ${missing.join(" ")})`;
  if (!existsSync(script))
    throw new ClusterError(`missing programs: ${missing.join(", ")}; ${hint}`);
  say(`missing ${missing.join(", ")}: running ${script}`);
  await runScript(script);
  const still = await missingPackages();
  if (still.length > 0) {
    throw new ClusterError(`still missing after ${script}: ${still.join(", ")}; ${hint}`);
  }
}
