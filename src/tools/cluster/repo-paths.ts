import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The checkout this command runs from (src/tools/cluster/ is three folders down). */
export const repoRoot = fileURLToPath(new URL("../../..", import.meta.url)).replace(/\/$/, "");

export const mainScript = (repo: string) => join(repo, "src", "main.ts");
export const webDist = (repo: string) => join(repo, "web", "dist");
export const ensureSystemDepsScript = (repo: string) =>
  join(repo, "scripts", "ensure-system-deps.sh");
