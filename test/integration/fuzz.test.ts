import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/amphi-test-server.ts";
import { FuzzFixture } from "../support/fuzz/fuzz-fixture.ts";
import { type FuzzSummary, runFuzz } from "../support/fuzz/fuzz-runner.ts";
import { liftedLimits } from "../support/fuzz/lifted-limits.ts";

/**
 * The schema-driven fuzz, small: a few thousand generated requests to every operation of the
 * OpenAPI document (and the routes it hides), valid, near-valid and broken, anonymous, as a
 * member, as the host of a live Space and as the operator. `npm run fuzz` runs 100,000
 * (scripts/fuzz.ts); both print the shrunk request of any failure as a curl command.
 */
const opsToken = "fuzz-operator-token-0123456789";
const requests = Number(process.env.FUZZ_TEST_REQUESTS ?? 2_000);

let server: TestServer;
let fixture: FuzzFixture;

beforeAll(async () => {
  server = await startTestServer({ ...liftedLimits(), mediaPlane: "on", opsToken });
  fixture = await FuzzFixture.create(server.url, { opsToken });
});
afterAll(async () => {
  fixture?.close();
  await server?.close();
});

describe("schema-driven fuzz", () => {
  it("every operation answers generated requests without a 5xx, with contract error bodies, and the server stays up", {
    timeout: 240_000,
  }, async () => {
    const summary: FuzzSummary = await runFuzz({
      base: server.url,
      fixture,
      requests,
      clients: 6,
      hidden: true,
    });
    const report = summary.failures
      .map((f) => `${f.problem}\n  seed ${f.seed}\n  ${f.reproduce}`)
      .join("\n\n");
    expect(summary.failures, report).toEqual([]);
    expect(summary.serverErrors).toBe(0);
    expect(summary.requests).toBeGreaterThanOrEqual(requests);
    // Every operation of the document was reached.
    expect(Object.keys(summary.perRoute).length).toBe(summary.operations);
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
  });
});
