import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

export interface SigningKey {
  kid: string;
  secret: Uint8Array;
}

/** Parses `kid:secret,kid2:secret2` (validated by the config schema); the first one signs. */
export function parseTicketKeys(text: string): SigningKey[] {
  return text.split(",").map((pair) => {
    const at = pair.indexOf(":");
    return { kid: pair.slice(0, at), secret: new TextEncoder().encode(pair.slice(at + 1)) };
  });
}

/**
 * The signing keys: from TICKET_KEYS when set (every node of a deployment shares them), else
 * one key made on first start and kept in the data folder, so a restart keeps tickets valid.
 */
export async function loadTicketKeys(
  configured: string | undefined,
  dataDir: string,
): Promise<SigningKey[]> {
  if (configured) return parseTicketKeys(configured);
  const file = join(dataDir, "ticket-key");
  try {
    return parseTicketKeys((await readFile(file, "utf8")).trim());
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const text = `local-${randomBytes(4).toString("hex")}:${randomBytes(32).toString("base64url")}`;
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  await writeFile(file, `${text}\n`, { mode: 0o600, flag: "wx" }).catch(async (error) => {
    // Another process made it first: use theirs.
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  });
  await chmod(file, 0o600);
  return parseTicketKeys((await readFile(file, "utf8")).trim());
}
