import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Command, type CommanderError, InvalidArgumentError } from "commander";
import { ConfigError } from "../../config/config.ts";
import { renderCapacityJson, renderCapacityText } from "./capacity-report.ts";
import { type Parsed, parseCount, parseRate } from "./flag-values.ts";
import { readMeasuredFigures } from "./measured-figures.ts";
import { planCapacity } from "./plan-capacity.ts";
import { type CapacitySettings, readServerSettings } from "./server-settings.ts";
import { computeWireSizes } from "./wire-sizes.ts";

/** This checkout's bench/results, wherever the command is run from. */
const defaultResultsDir = fileURLToPath(new URL("../../../bench/results/", import.meta.url));

const flagValue = (parse: (text: string) => Parsed) => (text: string) => {
  const parsed = parse(text);
  if (!parsed.ok) throw new InvalidArgumentError(parsed.reason);
  return parsed.value;
};

interface CapacityFlags {
  listeners: number;
  arrivalsPerSecond?: number;
  spaces: number;
  results: string;
  json?: boolean;
}

/**
 * `amphi capacity`: the fleet an event needs (API and media nodes, edges, Redis, egress),
 * from the figures the benchmarks measured (bench/results) and stated defaults.
 */
export const capacityCommand = new Command("capacity")
  .description(
    "the fleet an event needs (API nodes, media nodes, edges, Redis, egress) from the benchmark results, with every assumption and its source",
  )
  .requiredOption(
    "--listeners <n>",
    "listeners at the peak: a whole number, or with k/M (1300000, 1.3M)",
    flagValue(parseCount),
  )
  .option(
    "--arrivals-per-second <r>",
    "arrivals per second at the peak (default: 10% of the listeners within 60 s)",
    flagValue(parseRate),
  )
  .option("--spaces <n>", "live Spaces the listeners are spread over", flagValue(parseCount), 1)
  .option(
    "--results <dir>",
    "benchmark results to read (npm run bench -- join|fanout|mixer|flash)",
    defaultResultsDir,
  )
  .option("--json", "print one JSON object instead of text")
  // Usage errors (a bad or missing flag) exit 2, as `edge nginx-conf` does for its own.
  .exitOverride((error: CommanderError) => {
    process.exit(error.exitCode === 0 ? 0 : 2);
  });

/** The fleet's settings from this environment; a value `serve` would refuse is a usage error. */
function settingsFromEnv(): CapacitySettings {
  try {
    return readServerSettings(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return capacityCommand.error(`amphi capacity: ${error.message}`, { exitCode: 2 });
  }
}

capacityCommand.action((flags: CapacityFlags) => {
  const settings = settingsFromEnv();
  const resultsDir = resolve(flags.results);
  const measured = readMeasuredFigures(resultsDir);
  const plan = planCapacity({
    inputs: {
      listeners: flags.listeners,
      arrivalsPerSecond: flags.arrivalsPerSecond,
      spaces: flags.spaces,
    },
    measured: measured.readings,
    settings,
    wire: computeWireSizes({
      mediaBitrate: settings.mediaBitrate.value,
      hlsPartSeconds: settings.hlsPartSeconds.value,
      hlsSegmentSeconds: settings.hlsSegmentSeconds.value,
    }),
    extraNotes: [measured.flashRehearsal],
  });
  process.stdout.write(
    flags.json ? renderCapacityJson(plan, resultsDir) : renderCapacityText(plan),
  );
});
