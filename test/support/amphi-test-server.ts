import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Config, loadConfig } from "../../src/config/config.ts";
import type { HlsOrigin } from "../../src/media/origin/hls-origin.ts";
import type { MediaRooms } from "../../src/media/room/media-rooms.ts";
import { type AmphiServer, startAmphi } from "../../src/server/amphi-server.ts";
import { seedEmbeddedDatabase } from "./embedded-template.ts";
import { TEST_HLS_URL_SECRET } from "./signed-hls.ts";

export interface TestServer extends Omit<AmphiServer, "origin" | "media"> {
  /** A test server runs every plane (ROLE=all): these are always there. */
  origin: HlsOrigin;
  media: MediaRooms;
  close(): Promise<void>;
}

/**
 * A real Amphi server in this process on a random loopback port, with its own embedded
 * database in a temp folder (removed on close), a copy of the run's migrated one
 * (embedded-template.ts) unless `overrides` names a data folder or a database. The media plane is off unless asked for:
 * API tests create hundreds of live Spaces, each of which would otherwise mix and record.
 */
export async function startTestServer(
  overrides: Partial<Config> = {},
  options: Parameters<typeof startAmphi>[1] = {},
): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), "amphi-test-"));
  if (!overrides.dataDir && !overrides.databaseUrl) seedEmbeddedDatabase(dataDir);
  const config = loadConfig({}, [], {
    port: 0,
    host: "127.0.0.1",
    dataDir,
    logLevel: "silent",
    shutdownGraceSeconds: 1,
    mediaPlane: "off",
    // Every test account signs up from 127.0.0.1; the sign-up limit has a test of its own.
    signupsPerIp: 10_000,
    // Tests create many Spaces, clips and follows per account; these limits have tests of
    // their own (test/integration/abuse-limits.test.ts).
    maxLiveSpacesPerAccount: 1_000,
    spaceCreationsPerHour: 100_000,
    clipsPerHour: 100_000,
    followChangesPerMinute: 100_000,
    profileEditsPerHour: 100_000,
    // Likewise every ticket request; the network limits have tests of their own.
    networkLimitExempt: "127.0.0.1",
    // The test machine is shared and noisy: event-loop lag there is not overload. The
    // shedding has tests of its own (src/protection).
    loadShedLagMs: 60_000,
    loadShedCriticalLagMs: 60_000,
    // Known to the tests (signed-hls.ts), so they can sign LL-HLS URLs themselves.
    hlsUrlSecret: TEST_HLS_URL_SECRET,
    ...overrides,
  });
  const server = await startAmphi(config, options);
  const { origin, media } = server;
  if (!origin || !media) throw new Error("a test server runs the media plane");
  return {
    ...server,
    origin,
    media,
    close: async () => {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface ApiAnswer<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** One JSON request; `token` is sent as a bearer token. */
export async function api<T = any>(
  base: string,
  method: string,
  path: string,
  options: { token?: string | undefined; body?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiAnswer<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    headers["content-type"] ??= "application/json";
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
  }
  const response = await fetch(base + path, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: parsed as T, headers: response.headers };
}

let counter = 0;
/** A handle unique within the test run. */
export function uniqueHandle(prefix = "user"): string {
  counter++;
  return `${prefix}_${process.pid % 1000}_${counter}`.slice(0, 20);
}

export interface TestAccount {
  id: string;
  handle: string;
  token: string;
}

export async function signUp(base: string, handle = uniqueHandle()): Promise<TestAccount> {
  const res = await api(base, "POST", "/api/accounts", {
    body: { handle, displayName: `Person ${handle}`, password: "correct horse battery" },
  });
  if (res.status !== 201)
    throw new Error(`sign-up failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.account.id, handle: res.body.account.handle, token: res.body.token };
}
