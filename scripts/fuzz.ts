/**
 * `npm run fuzz`: the schema-driven fuzz at full size. Starts `amphi serve` in its own
 * process (embedded PGlite, media plane on, every rate limit lifted), builds the fixture,
 * sends FUZZ_REQUESTS (100,000) generated requests to every operation of its OpenAPI document
 * and the routes it hides, from FUZZ_CLIENTS (16) concurrent clients, checks every answer
 * (test/support/fuzz/fuzz-runner.ts), prints a summary, writes bench/results/fuzz.json and
 * exits non-zero on any 5xx, contract breach, missing answer or a server that went down.
 *
 *   npm run fuzz                         # 100,000 requests
 *   FUZZ_REQUESTS=5000 FUZZ_SEED=42 npm run fuzz
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startAmphiProcess } from "../test/support/amphi-process.ts";
import { FuzzFixture } from "../test/support/fuzz/fuzz-fixture.ts";
import { runFuzz } from "../test/support/fuzz/fuzz-runner.ts";
import { liftedLimitsEnv } from "../test/support/fuzz/lifted-limits.ts";

const requests = Number(process.env.FUZZ_REQUESTS ?? 100_000);
const clients = Number(process.env.FUZZ_CLIENTS ?? 16);
const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Date.now() % 2 ** 31;
const opsToken = "fuzz-operator-token-0123456789";

const dataDir = mkdtempSync(join(tmpdir(), "amphi-fuzz-"));
const server = await startAmphiProcess({
  dataDir,
  // A fresh embedded database on a busy 2-core machine can take a minute or more.
  timeoutMs: 300_000,
  env: {
    ...liftedLimitsEnv(),
    OPS_TOKEN: opsToken,
    MEDIA_PLANE: "on",
    WEBHOOK_TIMEOUT_SECONDS: "1",
  },
});
let exitCode = 1;
try {
  console.log(
    `fuzz: amphi at ${server.url}, ${requests} requests, ${clients} clients, seed ${seed}`,
  );
  const fixture = await FuzzFixture.create(server.url, { opsToken });
  for (const note of fixture.notes) console.log(`fixture: ${note}`);
  let summary: Awaited<ReturnType<typeof runFuzz>>;
  // Ctrl-C (or FUZZ_MAX_SECONDS) ends the run after the batches in flight, with a summary.
  const stop = new AbortController();
  process.once("SIGINT", () => stop.abort());
  const maxSeconds = Number(process.env.FUZZ_MAX_SECONDS ?? 0);
  const timer = maxSeconds > 0 ? setTimeout(() => stop.abort(), maxSeconds * 1000) : undefined;
  try {
    summary = await runFuzz({
      base: server.url,
      fixture,
      requests,
      clients,
      seed,
      hidden: true,
      signal: stop.signal,
      progress: (sent, serverErrors) => {
        const at = new Date().toISOString().slice(11, 19);
        console.log(`  ${at} ${sent} requests, ${serverErrors} 5xx`);
      },
    });
  } finally {
    fixture.close();
    clearTimeout(timer);
  }
  const alive = server.child.exitCode === null && server.child.signalCode === null;
  // The server's own account of each 5xx (pino "request failed" lines with the error).
  const serverErrors = server.logs.filter((l) => l.includes('"request failed"')).slice(0, 20);

  const partial = summary.stoppedEarly ? ` (stopped early: ${requests} were asked for)` : "";
  console.log(`\nrequests: ${summary.requests} in ${summary.seconds.toFixed(0)} s${partial}`);
  console.log(`operations: ${summary.operations} (OpenAPI document + hidden routes)`);
  console.log(`statuses: ${JSON.stringify(summary.statuses)}`);
  console.log(
    `5xx: ${summary.serverErrors}; health checks: ${summary.healthChecks}; server up: ${alive}`,
  );
  console.log("per route:");
  for (const [route, count] of Object.entries(summary.perRoute).sort(([a], [b]) =>
    a.localeCompare(b),
  )) {
    console.log(
      `  ${String(count).padStart(6)}  ${route}  ${JSON.stringify(summary.perRouteStatuses[route])}`,
    );
  }
  for (const failure of summary.failures) {
    console.log(`\nFAILED ${failure.problem}\n  (seed ${failure.seed})\n  ${failure.reproduce}`);
  }
  for (const line of serverErrors) console.log(`server: ${line.slice(0, 2_000)}`);

  const root = fileURLToPath(new URL("..", import.meta.url));
  mkdirSync(join(root, "bench/results"), { recursive: true });
  writeFileSync(
    join(root, "bench/results/fuzz.json"),
    `${JSON.stringify({ benchmark: "fuzz", startedAt: new Date().toISOString(), seed, clients, serverUp: alive, ...summary, fixtureNotes: fixture.notes, serverErrors }, null, 2)}\n`,
  );
  const ok =
    summary.failures.length === 0 &&
    summary.serverErrors === 0 &&
    alive &&
    summary.requests >= requests;
  console.log(`\nfuzz: ${ok ? "PASS" : "FAIL"} (bench/results/fuzz.json)`);
  exitCode = ok ? 0 : 1;
} finally {
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(exitCode);
