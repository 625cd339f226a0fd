/** A capacity plan as text for the terminal (and docs/capacity.md) and as one JSON object. */
import { formatNumber as n } from "./number-format.ts";
import type { CapacityPlan } from "./plan-capacity.ts";

export function renderCapacityText(plan: CapacityPlan): string {
  const { inputs, fleet } = plan;
  const arrivals = `${n(inputs.arrivalsPerSecond, 1)} arrivals/s${inputs.arrivalsPerSecondGiven ? "" : " (flash-crowd default)"}`;
  const spaces = `${n(inputs.spaces)} Space${inputs.spaces === 1 ? "" : "s"}`;
  const rows: [string, string][] = [
    ["API nodes", n(fleet.apiNodes)],
    ["media nodes", n(fleet.mediaNodes)],
    ["edges", n(fleet.edges)],
    ["Redis", `${n(fleet.redis.instances)} instances, ${n(fleet.redis.opsPerSecond)} ops/s`],
    ["egress", `${n(fleet.egressGbps, 2)} Gbit/s`],
    [
      "per listener-hour",
      `${n(fleet.bytesPerListenerHour)} bytes (${n(fleet.bytesPerListenerHour / 1e6, 1)} MB)`,
    ],
  ];
  const width = Math.max(...plan.assumptions.map((a) => a.name.length));
  const valueWidth = Math.max(...plan.assumptions.map((a) => n(a.value, 4).length));
  const unitWidth = Math.max(...plan.assumptions.map((a) => a.unit.length));
  return [
    `Fleet for ${n(inputs.listeners)} listeners, ${arrivals}, ${spaces} (measured on a 2-core shared machine: see the caveat)`,
    ...rows.map(([label, value]) => `  ${label.padEnd(18)} ${value}`),
    "",
    "Derivation",
    ...plan.derivation.map((line) => `  ${line}`),
    "",
    "Assumptions",
    ...plan.assumptions.map(
      (a) =>
        `  ${a.name.padEnd(width)}  ${n(a.value, 4).padStart(valueWidth)} ${a.unit.padEnd(unitWidth)}  ${a.source}`,
    ),
    "",
    "Notes",
    ...plan.notes.map((note) => `  - ${note}`),
    "",
  ].join("\n");
}

/** The `--json` shape: inputs, assumptions, fleet, derivation, notes. */
export function renderCapacityJson(plan: CapacityPlan, resultsDir: string): string {
  const json = {
    inputs: { ...plan.inputs, resultsDir },
    assumptions: plan.assumptions,
    fleet: plan.fleet,
    derivation: plan.derivation,
    notes: plan.notes,
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}
