import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { Argument, Command, InvalidArgumentError, Option } from "commander";
import { liveProgress } from "./progress/live-progress.ts";
import { summaryLine } from "./report/build-report.ts";
import { runLoadtest } from "./runner/run-loadtest.ts";
import { hasHostileClients, scenarioNames, scenarios } from "./scenarios/index.ts";
import { autoWorkerCount } from "./worker-count.ts";

const positiveInt = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError(`${name} must be a whole number >= 1`);
  return n;
};
const positiveNumber = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a number > 0`);
  return n;
};
const nonNegativeNumber = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`${name} must be a number >= 0`);
  return n;
};

interface CommandOptions {
  url: string;
  space: string;
  clients: number;
  duration: number;
  ramp?: number;
  hostileRatio: number;
  hostileRps: number;
  workers: string;
  heartbeatSeconds?: number;
  out: string;
}

/**
 * `amphi loadtest <scenario>`: the system scaling test to run before a big event. Drives
 * simulated listeners (and, for `attack`, abusive clients) at any Amphi URL, shows progress,
 * and writes report.json and report.html.
 */
export const loadtestCommand = new Command("loadtest")
  .description(
    "scaling test before a big event: simulated listeners join a live Space (ticket, queue, challenge, LL-HLS, heartbeats); writes report.json and report.html",
  )
  .addArgument(
    new Argument(
      "<scenario>",
      scenarioNames.map((n) => `${n}: ${scenarios[n]?.description}`).join("; "),
    ).choices(scenarioNames),
  )
  .option(
    "--url <url>",
    "any Amphi URL: the server or an edge in front of it",
    "http://127.0.0.1:8080",
  )
  .requiredOption("--space <id>", "id of a live Space (the end of its page address /spaces/<id>)")
  .option("--clients <n>", "legitimate listeners", positiveInt("--clients"), 1000)
  .option(
    "--duration <seconds>",
    "how long the run lasts; it stops by itself",
    positiveNumber("--duration"),
    60,
  )
  .option(
    "--ramp <seconds>",
    "window over which clients arrive (default: a third of --duration)",
    nonNegativeNumber("--ramp"),
  )
  .option(
    "--hostile-ratio <n>",
    "attack: hostile clients per listener",
    nonNegativeNumber("--hostile-ratio"),
    10,
  )
  .option(
    "--hostile-rps <n>",
    "attack: requests per second from each hostile client",
    positiveNumber("--hostile-rps"),
    2,
  )
  .addOption(
    new Option("--workers <n>", "worker processes (each holds < 20,000 sockets), or auto").default(
      "auto",
    ),
  )
  .option(
    "--heartbeat-seconds <s>",
    "heartbeat this often instead of the server's heartbeatSeconds",
    positiveNumber("--heartbeat-seconds"),
  )
  .option("--out <dir>", "where report.json and report.html go", "./loadtest-report")
  .action(async (scenario: string, options: CommandOptions) => {
    let url: URL;
    try {
      url = new URL(options.url);
    } catch {
      throw new InvalidArgumentError(`--url ${options.url} is not a URL`);
    }
    const hostileRatio = hasHostileClients(scenario) ? options.hostileRatio : 0;
    const hostile = Math.round(options.clients * hostileRatio);
    const workers =
      options.workers === "auto"
        ? autoWorkerCount({
            listeners: options.clients,
            hostile,
            hostileRequestsPerSecond: options.hostileRps,
            cores: availableParallelism(),
          })
        : positiveInt("--workers")(options.workers);
    const outDir = resolve(options.out);
    const stop = new AbortController();
    let signals = 0;
    const onSignal = () => {
      signals++;
      if (signals > 1) process.exit(130);
      process.stderr.write(
        "\nloadtest: stopping, writing the report so far (Ctrl-C again to quit now)\n",
      );
      stop.abort();
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    const progress = liveProgress(options.clients);
    try {
      const result = await runLoadtest(
        {
          scenario,
          url: url.href,
          spaceId: options.space,
          clients: options.clients,
          durationSeconds: options.duration,
          rampSeconds: options.ramp ?? options.duration / 3,
          hostileRatio,
          hostileRequestsPerSecond: options.hostileRps,
          workers,
          heartbeatSeconds: options.heartbeatSeconds ?? null,
          outDir,
        },
        { signal: stop.signal, onProgress: (figures, second) => progress.update(figures, second) },
      );
      progress.stop();
      for (const lost of result.lostWorkers) process.stderr.write(`loadtest: ${lost}\n`);
      process.stdout.write(`${summaryLine(result.report, outDir)}\n`);
    } finally {
      progress.stop();
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    }
  });
