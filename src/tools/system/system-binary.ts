import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

/**
 * Debian puts daemons (nginx, haproxy) in /usr/sbin, which is not on every user's PATH:
 * looked at after PATH.
 */
const SYSTEM_DIRS = ["/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/sbin", "/usr/local/bin"];

/** The absolute path of an executable `name`, from PATH then the system folders; null if none. */
export function findSystemBinary(name: string, path = process.env.PATH ?? ""): string | null {
  for (const dir of [...path.split(delimiter), ...SYSTEM_DIRS]) {
    if (!dir.startsWith("/")) continue;
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return null;
}
