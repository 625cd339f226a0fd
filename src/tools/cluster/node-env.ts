/**
 * The environment of the cluster's Amphi nodes (pure). The cluster wires each node itself
 * (ports, database, Redis, names, shared secrets); `--env KEY=VALUE` adds any other setting
 * for every node (e.g. ADMIT_RATE_PER_SECOND=2).
 */
import { configEnvNames } from "../../config/config.ts";

/** Set by the cluster for each node; `--env` may not change them. */
export const WIRED_NODE_ENV = [
  "ROLE",
  "PORT",
  "HOST",
  "DATABASE_URL",
  "REDIS_URL",
  "DATA_DIR",
  "NODE_NAME",
  "ADVERTISE_URL",
  "TICKET_KEYS",
  "HLS_URL_SECRET",
  "ALTCHA_HMAC_KEY",
  "OPS_TOKEN",
] as const;

export class NodeEnvError extends Error {
  override name = "NodeEnvError";
}

/** `KEY=VALUE` from `--env`, checked. */
export function parseEnvAssignment(text: string): [string, string] {
  const eq = text.indexOf("=");
  const key = eq > 0 ? text.slice(0, eq) : "";
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
    throw new NodeEnvError(`--env expects KEY=VALUE, got ${JSON.stringify(text)}`);
  }
  if ((WIRED_NODE_ENV as readonly string[]).includes(key)) {
    throw new NodeEnvError(`--env ${key}: the cluster sets ${key} itself for each node`);
  }
  return [key, text.slice(eq + 1)];
}

export interface NodeWiring {
  role: "api" | "media";
  name: string;
  port: number;
  host: string;
  databaseUrl: string;
  redisUrl: string;
  dataDir: string;
  webDir: string;
  secrets: { ticketKeys: string; hlsUrlSecret: string; altchaHmacKey: string; opsToken: string };
}

/**
 * The node's environment: the caller's, less any Amphi setting it happens to hold (so a node
 * started later by `cluster start` gets the same settings as at `up`, whatever the shell has),
 * then the cluster's defaults, the `--env` extras, and the wiring, which nothing overrides.
 */
export function amphiNodeEnv(
  inherited: NodeJS.ProcessEnv,
  wiring: NodeWiring,
  extras: Readonly<Record<string, string>>,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...inherited };
  for (const name of Object.values(configEnvNames)) delete env[name];
  return {
    ...env,
    TRUST_PROXY: "loopback",
    LOG_LEVEL: "info",
    WEB_DIR: wiring.webDir,
    ...extras,
    ROLE: wiring.role,
    PORT: String(wiring.port),
    HOST: wiring.host,
    DATABASE_URL: wiring.databaseUrl,
    REDIS_URL: wiring.redisUrl,
    DATA_DIR: wiring.dataDir,
    NODE_NAME: wiring.name,
    ADVERTISE_URL: `http://${wiring.host}:${wiring.port}`,
    TICKET_KEYS: wiring.secrets.ticketKeys,
    HLS_URL_SECRET: wiring.secrets.hlsUrlSecret,
    ALTCHA_HMAC_KEY: wiring.secrets.altchaHmacKey,
    OPS_TOKEN: wiring.secrets.opsToken,
  };
}
