/**
 * DIR/secrets.json (mode 0600): the keys every Amphi node of the cluster must share, made once
 * at the first `up` and reused by `start` and later `up`s, so tickets, queue tokens and
 * proof-of-work challenges from one node verify on every other, across restarts, and the
 * signed LL-HLS URLs one node hands out pass every edge and every media node.
 */
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";

const secretsSchema = z.object({
  ticketKeys: z.string().min(1),
  hlsUrlSecret: z.string().regex(/^[A-Za-z0-9_-]{32,200}$/),
  altchaHmacKey: z.string().min(16),
  opsToken: z.string().min(16),
});

export type ClusterSecrets = z.infer<typeof secretsSchema>;

export const secretsFilePath = (dir: string) => join(dir, "secrets.json");

const secret = () => randomBytes(32).toString("base64url");

export function newSecrets(): ClusterSecrets {
  // TICKET_KEYS is `kid:secret`: base64url has no `:` or `,`, and 32 bytes give 43 characters.
  return {
    ticketKeys: `k1:${secret()}`,
    hlsUrlSecret: secret(),
    altchaHmacKey: secret(),
    opsToken: secret(),
  };
}

export function readSecrets(dir: string): ClusterSecrets {
  upgraded(dir);
  const path = secretsFilePath(dir);
  const parsed = secretsSchema.safeParse(JSON.parse(readFileSync(path, "utf8")));
  if (!parsed.success) throw new Error(`${path} is not a secrets file: ${parsed.error.message}`);
  return parsed.data;
}

/** A secrets file from before signed HLS URLs gets its secret added (the others kept). */
function upgraded(dir: string): void {
  const path = secretsFilePath(dir);
  const stored = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  if (typeof stored.hlsUrlSecret === "string") return;
  writeFileSync(path, `${JSON.stringify({ ...stored, hlsUrlSecret: secret() }, null, 2)}\n`, {
    mode: 0o600,
  });
}

export function loadOrCreateSecrets(dir: string): ClusterSecrets {
  const path = secretsFilePath(dir);
  if (existsSync(path)) {
    chmodSync(path, 0o600);
    return readSecrets(dir);
  }
  const secrets = newSecrets();
  // Created with its final mode: the keys are never readable by others, not even briefly.
  writeFileSync(path, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600, flag: "wx" });
  return secrets;
}
