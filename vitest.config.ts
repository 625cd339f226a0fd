import { defineConfig } from "vitest/config";

// Units live beside the code (the web app's too: its pure modules run in Node); integration and
// e2e tests boot real servers.
//
// The machine CI runs on has 2 cores, where vitest's default is one worker: the suite ran one
// file at a time and took 25 minutes, mostly waiting on servers. So it runs in three groups,
// one after the other:
//   0. units and the API tests that only answer requests, two files at a time;
//   1. tests whose outcome depends on timing (media clocks, kills and takeovers, latency
//      bounds, fleets of real engines), one at a time, on a machine they have to themselves;
//   2. the browser tests, one at a time.
// A new test that kills processes, runs media or asserts a duration belongs in `timed`.
const timed = [
  "cluster-command",
  "discovery-store",
  "edge-fanout",
  "edge-lock-wait",
  "failover",
  "fleet",
  "fuzz",
  "hls-follower",
  "hls-origin",
  "live-stage",
  "live-state-media",
  "loadtest",
  "media-pipeline",
  "media-takeover",
  "operations",
  "postgres-server",
  "recording-crash",
  "recording-disk-full",
  "signed-hls-edge",
  "redis-shared-state",
  "removal-after-restart",
  "store-lock",
  "space-idle-end",
  "whip-api",
  "whip-candidates",
  "whip-chromium",
  "whip-http",
  "whip-ingest",
].map((name) => `test/integration/${name}.test.ts`);

export default defineConfig({
  test: {
    globalSetup: ["test/support/global-setup.ts"],
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["src/**/*.test.ts", "web/src/**/*.test.ts", "bench/**/*.test.ts"],
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          exclude: timed,
          testTimeout: 30_000,
          hookTimeout: 60_000,
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: "timed",
          include: timed,
          testTimeout: 30_000,
          hookTimeout: 60_000,
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          testTimeout: 90_000,
          hookTimeout: 120_000,
          maxWorkers: 1,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
