import { describe, expect, test } from "vitest";
import { amphiNodeEnv, NodeEnvError, type NodeWiring, parseEnvAssignment } from "./node-env.ts";

const wiring: NodeWiring = {
  role: "api",
  name: "api-1",
  port: 20_002,
  host: "127.0.0.1",
  databaseUrl: "postgres://postgres@127.0.0.1:20000/amphi",
  redisUrl: "redis://127.0.0.1:20001",
  dataDir: "/tmp/c/data",
  webDir: "/repo/web/dist",
  secrets: {
    ticketKeys: `k1:${"s".repeat(43)}`,
    hlsUrlSecret: "h".repeat(43),
    altchaHmacKey: "a".repeat(43),
    opsToken: "o".repeat(43),
  },
};

describe("parseEnvAssignment", () => {
  test("KEY=VALUE, the value may hold = and be empty", () => {
    expect(parseEnvAssignment("ADMIT_RATE_PER_SECOND=2")).toEqual(["ADMIT_RATE_PER_SECOND", "2"]);
    expect(parseEnvAssignment("X=a=b")).toEqual(["X", "a=b"]);
    expect(parseEnvAssignment("X=")).toEqual(["X", ""]);
  });

  test("refuses malformed assignments and the settings the cluster wires itself", () => {
    for (const bad of ["X", "=1", "1X=2", "A-B=1"]) {
      expect(() => parseEnvAssignment(bad)).toThrow(NodeEnvError);
    }
    expect(() => parseEnvAssignment("PORT=1")).toThrow(/sets PORT itself/);
    expect(() => parseEnvAssignment("DATABASE_URL=postgres://x")).toThrow(NodeEnvError);
  });
});

describe("amphiNodeEnv", () => {
  test("the wiring, the defaults, the extras; the shell's Amphi settings are dropped", () => {
    const env = amphiNodeEnv(
      { PATH: "/usr/bin", ADMIT_RATE_PER_SECOND: "7", PORT: "9999", DATA_DIR: "/elsewhere" },
      wiring,
      { LOAD_SHED_LAG_MS: "60000", LOG_LEVEL: "debug" },
    );
    expect(env).toMatchObject({
      PATH: "/usr/bin",
      ROLE: "api",
      PORT: "20002",
      HOST: "127.0.0.1",
      DATABASE_URL: wiring.databaseUrl,
      REDIS_URL: wiring.redisUrl,
      DATA_DIR: "/tmp/c/data",
      NODE_NAME: "api-1",
      ADVERTISE_URL: "http://127.0.0.1:20002",
      TICKET_KEYS: wiring.secrets.ticketKeys,
      HLS_URL_SECRET: wiring.secrets.hlsUrlSecret,
      ALTCHA_HMAC_KEY: wiring.secrets.altchaHmacKey,
      OPS_TOKEN: wiring.secrets.opsToken,
      TRUST_PROXY: "loopback",
      WEB_DIR: "/repo/web/dist",
      LOAD_SHED_LAG_MS: "60000",
      LOG_LEVEL: "debug",
    });
    expect(env.ADMIT_RATE_PER_SECOND).toBeUndefined();
  });
});
