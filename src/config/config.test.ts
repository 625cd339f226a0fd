import { resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { ConfigError, configEnvNames, loadConfig } from "./config.ts";

/** The message of the ConfigError that loading throws, or a failure when it does not throw. */
function configErrorOf(env: NodeJS.ProcessEnv, argv: string[] = []): string {
  try {
    loadConfig(env, argv);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig defaults", () => {
  test("an empty environment gives the documented defaults", () => {
    expect(loadConfig({}, [])).toEqual({
      role: "all",
      port: 8080,
      host: "0.0.0.0",
      dataDir: resolve("./data"),
      logLevel: "info",
      bodyLimitBytes: 65_536,
      sessionDays: 30,
      loginFailuresPerAccount: 10,
      loginAttemptsPerIp: 50,
      loginWindowSeconds: 900,
      signupsPerIp: 20,
      signupWindowSeconds: 600,
      stageActionsPerSecond: 10,
      reminderChangesPerMinute: 30,
      reportsPerHour: 20,
      maxLiveSpacesPerAccount: 3,
      spaceCreationsPerHour: 20,
      spaceIdleEndMinutes: 10,
      clipsPerHour: 30,
      followChangesPerMinute: 30,
      profileEditsPerHour: 20,
      trustProxy: "loopback",
      reactionsPerSecond: 5,
      reactionsPerTicket: 5,
      reactionsPerAddress: 20,
      reactionFlushMs: 100,
      mediaPlane: "on",
      webrtcHostAddresses: "127.0.0.1",
      webrtcCandidateAllow: "",
      webrtcMaxOfferCandidates: 8,
      mediaBitrate: 32_000,
      hlsPartSeconds: 0.25,
      hlsSegmentSeconds: 2,
      hlsUrlWindowSeconds: 300,
      hlsPartHoldBackParts: 3,
      recordingRetentionDays: 30,
      recordingBufferSeconds: 300,
      shutdownGraceSeconds: 10,
      webDir: resolve("./web/dist"),
      admitRatePerSecond: 2_000,
      maxListenersPerSpace: 1_000_000,
      preQueueMinutes: 30,
      heartbeatSeconds: 30,
      ticketTtlSeconds: 900,
      ticketsPerAddress: 200,
      ticketsPerPrefix: 1_000,
      ticketLimitWindowSeconds: 10,
      attackMode: "auto",
      attackArrivalsMultiple: 5,
      altchaMaxNumber: 8_000,
      loadShedLagMs: 250,
      loadShedCriticalLagMs: 2_000,
      notifySpreadSeconds: 30,
      notifyBatchSize: 5_000,
      notifyBatchWriters: 1,
      pushAllowLoopbackHttp: false,
      webhooksPerAccount: 10,
      webhookActionsPerMinute: 30,
      webhookRetrySeconds: "5,30,120,600,3600,10800,21600,43200,86400",
      webhookTimeoutSeconds: 10,
      webhookFailingAfter: 5,
      webhooksAllowHttpLoopback: false,
    });
  });

  test("webhook settings: loopback receivers only when asked, a retry schedule that parses", () => {
    expect(loadConfig({ WEBHOOKS_ALLOW_HTTP_LOOPBACK: "true" }, []).webhooksAllowHttpLoopback).toBe(
      true,
    );
    expect(() => loadConfig({ WEBHOOKS_ALLOW_HTTP_LOOPBACK: "yes" }, [])).toThrow(
      /WEBHOOKS_ALLOW_HTTP_LOOPBACK/,
    );
    expect(loadConfig({ WEBHOOK_RETRY_SECONDS: "1,2" }, []).webhookRetrySeconds).toBe("1,2");
    expect(() => loadConfig({ WEBHOOK_RETRY_SECONDS: "soon" }, [])).toThrow(
      /WEBHOOK_RETRY_SECONDS/,
    );
  });

  test("the PostgreSQL URL and public URL are unset by default", () => {
    const config = loadConfig({}, []);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.publicUrl).toBeUndefined();
  });

  test("every setting has an upper-case environment name", () => {
    for (const name of Object.values(configEnvNames)) expect(name).toMatch(/^[A-Z][A-Z_]+$/);
    expect(Object.keys(configEnvNames).sort()).toEqual(
      [
        ...Object.keys(loadConfig({}, [])),
        "databaseUrl",
        "publicUrl",
        "ticketKeys",
        "hlsUrlSecret",
        "opsToken",
        "hstsMaxAgeSeconds",
        "metricsToken",
        "networkLimitExempt",
        "altchaHmacKey",
        "redisUrl",
        "nodeName",
        "advertiseUrl",
        "vapidSubject",
      ].sort(),
    );
  });
});

describe("fleet roles", () => {
  test("api and media nodes need Redis and PostgreSQL", () => {
    expect(() => loadConfig({ ROLE: "api" }, [])).toThrow(/REDIS_URL and DATABASE_URL/);
    expect(() => loadConfig({ ROLE: "media", REDIS_URL: "redis://127.0.0.1:6379" }, [])).toThrow(
      ConfigError,
    );
    const config = loadConfig(
      { REDIS_URL: "redis://127.0.0.1:6379", DATABASE_URL: "postgres://a@b/c" },
      ["--role", "media", "--node-name", "media-1", "--advertise-url", "http://127.0.0.1:9000"],
    );
    expect(config).toMatchObject({
      role: "media",
      nodeName: "media-1",
      advertiseUrl: "http://127.0.0.1:9000",
    });
  });

  test("an unknown role is refused with its name", () => {
    expect(() => loadConfig({}, ["--role", "edge"])).toThrow(/ROLE \(--role\)/);
  });
});

describe("loadConfig from the environment", () => {
  test("reads and converts every kind of value", () => {
    const config = loadConfig(
      {
        PORT: "9001",
        HOST: "127.0.0.1",
        DATA_DIR: "/var/lib/amphi",
        DATABASE_URL: "postgres://amphi@db:5432/amphi",
        PUBLIC_URL: "https://spaces.example.org",
        LOG_LEVEL: "debug",
        SESSION_DAYS: "7",
        REACTION_FLUSH_MS: "50",
        WEB_DIR: "dist-web",
      },
      [],
    );
    expect(config).toMatchObject({
      port: 9001,
      host: "127.0.0.1",
      dataDir: "/var/lib/amphi",
      databaseUrl: "postgres://amphi@db:5432/amphi",
      publicUrl: "https://spaces.example.org",
      logLevel: "debug",
      sessionDays: 7,
      reactionFlushMs: 50,
      webDir: resolve("dist-web"),
    });
  });

  test("postgresql:// is accepted as well as postgres://", () => {
    expect(loadConfig({ DATABASE_URL: "postgresql://x@y/z" }, []).databaseUrl).toBe(
      "postgresql://x@y/z",
    );
  });

  test("an empty variable counts as unset", () => {
    const config = loadConfig({ PORT: "", DATABASE_URL: "", LOG_LEVEL: "" }, []);
    expect(config.port).toBe(8080);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.logLevel).toBe("info");
  });

  test("variables that are not Amphi's are ignored", () => {
    expect(loadConfig({ PATH: "/bin", NODE_ENV: "test" }, []).port).toBe(8080);
  });
});

describe("loadConfig from flags", () => {
  test("--port 9000", () => {
    expect(loadConfig({}, ["--port", "9000"]).port).toBe(9000);
  });

  test("--port=9000", () => {
    expect(loadConfig({}, ["--port=9000"]).port).toBe(9000);
  });

  test("kebab-case flags for camelCase settings, among other arguments", () => {
    const config = loadConfig({}, [
      "serve",
      "--session-days",
      "3",
      "--database-url=postgres://h/db",
      "--unknown-flag",
      "--log-level",
      "warn",
    ]);
    expect(config).toMatchObject({
      sessionDays: 3,
      databaseUrl: "postgres://h/db",
      logLevel: "warn",
    });
  });

  test("a value may itself contain '='", () => {
    expect(loadConfig({}, ["--public-url=https://x.org/?a=b"]).publicUrl).toBe(
      "https://x.org/?a=b",
    );
  });

  test("a flag without a value at the end is ignored", () => {
    expect(loadConfig({}, ["--port"]).port).toBe(8080);
  });

  test("flags win over the environment", () => {
    const env = { PORT: "7000", HOST: "10.0.0.1", LOG_LEVEL: "error" };
    const config = loadConfig(env, ["--port", "9000", "--host=::1"]);
    expect(config.port).toBe(9000);
    expect(config.host).toBe("::1");
    expect(config.logLevel).toBe("error");
  });

  test("programmatic overrides win over flags and the environment", () => {
    const config = loadConfig({ PORT: "7000" }, ["--port=9000"], { port: 0, logLevel: "silent" });
    expect(config.port).toBe(0);
    expect(config.logLevel).toBe("silent");
  });

  test("relative folders are resolved to absolute paths", () => {
    const config = loadConfig({}, ["--data-dir", "tmp/amphi-data"]);
    expect(config.dataDir).toBe(resolve("tmp/amphi-data"));
  });
});

describe("invalid configuration", () => {
  test.each([
    [{ PORT: "abc" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ PORT: "80.5" }, "PORT"],
    [{ PORT: "-1" }, "PORT"],
    [{ DATABASE_URL: "mysql://db/amphi" }, "DATABASE_URL"],
    [{ PUBLIC_URL: "not a url" }, "PUBLIC_URL"],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL"],
    [{ BODY_LIMIT_BYTES: "10" }, "BODY_LIMIT_BYTES"],
    [{ SESSION_DAYS: "0" }, "SESSION_DAYS"],
    [{ REACTIONS_PER_SECOND: "1000" }, "REACTIONS_PER_SECOND"],
    [{ REACTION_FLUSH_MS: "5" }, "REACTION_FLUSH_MS"],
    [{ SHUTDOWN_GRACE_SECONDS: "301" }, "SHUTDOWN_GRACE_SECONDS"],
    [{ LOGIN_WINDOW_SECONDS: "0" }, "LOGIN_WINDOW_SECONDS"],
  ])("%o gives a ConfigError naming %s", (env, name) => {
    const message = configErrorOf(env);
    expect(message).toContain(name);
    expect(message).toMatch(/^Invalid configuration:/);
  });

  test("the message also names the flag", () => {
    expect(configErrorOf({ PORT: "abc" })).toContain("PORT (--port)");
    expect(configErrorOf({ DATABASE_URL: "x" })).toContain(
      "DATABASE_URL (--database-url): must be a postgres:// URL",
    );
  });

  test("a bad flag is reported under its variable's name too", () => {
    expect(configErrorOf({}, ["--port=nope"])).toContain("PORT (--port)");
  });

  test("a good flag does not rescue a bad variable of another setting", () => {
    expect(configErrorOf({ LOG_LEVEL: "loud" }, ["--port", "9000"])).toContain("LOG_LEVEL");
  });

  test("a good flag replaces a bad variable of the same setting", () => {
    expect(loadConfig({ PORT: "abc" }, ["--port", "9000"]).port).toBe(9000);
  });

  test("every problem is listed, one per line", () => {
    const message = configErrorOf({ PORT: "abc", LOG_LEVEL: "loud", SESSION_DAYS: "0" });
    const lines = message.split("\n").slice(1);
    expect(lines).toHaveLength(3);
    expect(lines.map((l) => l.trim().split(" ")[0]).sort()).toEqual([
      "LOG_LEVEL",
      "PORT",
      "SESSION_DAYS",
    ]);
  });
});
