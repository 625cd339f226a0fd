import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { isHlsUrlSecret } from "./hls-url-signer.ts";

/**
 * The secret that signs LL-HLS URLs: HLS_URL_SECRET when set (every node AND every edge of a
 * deployment must share it: `amphi edge nginx-conf --hls-url-secret-file`), else one made on
 * first start and kept in the data folder (`DATA_DIR/hls-url-secret`, mode 0600), so a
 * restart keeps the URLs players hold valid. The same way as the ticket keys (ticket-keys.ts).
 */
export function loadHlsUrlSecret(configured: string | undefined, dataDir: string): Promise<string> {
  if (configured) return Promise.resolve(configured);
  // Both planes of one process ask: one of them makes the file, the other waits for it.
  const file = hlsUrlSecretFile(dataDir);
  let loading = inProcess.get(file);
  if (!loading) {
    loading = loadOrMake(file, dataDir);
    inProcess.set(file, loading);
    loading.catch(() => inProcess.delete(file));
  }
  return loading;
}

const inProcess = new Map<string, Promise<string>>();

async function loadOrMake(file: string, dataDir: string): Promise<string> {
  const read = async () => {
    const text = (await readFile(file, "utf8")).trim();
    if (!isHlsUrlSecret(text)) throw new Error(`${file} does not hold an HLS URL secret`);
    return text;
  };
  try {
    return await read();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  await writeFile(file, `${randomBytes(32).toString("base64url")}\n`, {
    mode: 0o600,
    flag: "wx",
  }).catch((error) => {
    // Another process (the other plane of this server) made it first: use theirs.
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  });
  await chmod(file, 0o600);
  return read();
}

export const hlsUrlSecretFile = (dataDir: string) => join(dataDir, "hls-url-secret");
