/**
 * DIR/secrets.json (mode 0600): the keys every Amphi node of the cluster must share, made once
 * at the first `up` and reused by `start` and later `up`s, so tickets, queue tokens and
 * proof-of-work challenges from one node verify on every other, across restarts.
 */
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";

const secretsSchema = z.object({
  ticketKeys: z.string().min(1),
  altchaHmacKey: z.string().min(16),
  opsToken: z.string().min(16),
});

export type ClusterSecrets = z.infer<typeof secretsSchema>;

export const secretsFilePath = (dir: string) => join(dir, "secrets.json");

const secret = () => randomBytes(32).toString("base64url");

export function newSecrets(): ClusterSecrets {
  // TICKET_KEYS is `kid:secret`: base64url has no `:` or `,`, and 32 bytes give 43 characters.
  return { ticketKeys: `k1:${secret()}`, altchaHmacKey: secret(), opsToken: secret() };
}

export function readSecrets(dir: string): ClusterSecrets {
  const path = secretsFilePath(dir);
  const parsed = secretsSchema.safeParse(JSON.parse(readFileSync(path, "utf8")));
  if (!parsed.success) throw new Error(`${path} is not a secrets file: ${parsed.error.message}`);
  return parsed.data;
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
