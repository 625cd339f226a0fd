/**
 * The figures a plan used, each logged once with its value, unit and source: measured (a
 * bench/results field, or its default and why), a server setting, computed, or a model
 * constant. What the plan prints as its assumptions.
 */
import {
  type Assumption,
  type FigureDefault,
  type MeasuredFigureName,
  type MeasuredReadings,
  type ModelFigureName,
  measuredDefaults,
  modelDefaults,
  type ServerSettings,
  settingUnits,
  type WireSizes,
} from "./capacity-figures.ts";

/** Printed in this order: what was measured, how the fleet is configured, computed, assumed. */
const kindOrder = ["measured", "setting", "computed", "model"] as const;
type FigureKind = (typeof kindOrder)[number];
const measuredOrder: readonly string[] = Object.keys(measuredDefaults);

export interface FigureSources {
  measured: MeasuredReadings;
  settings: ServerSettings;
  wire: WireSizes;
}

export type FigureLog = ReturnType<typeof createFigureLog>;

export function createFigureLog(sources: FigureSources) {
  const logged: { kind: FigureKind; assumption: Assumption }[] = [];
  const seen = new Set<string>();
  const log = (kind: FigureKind, name: string, value: number, unit: string, source: string) => {
    if (!seen.has(name)) logged.push({ kind, assumption: { name, value, unit, source } });
    seen.add(name);
    return value;
  };
  const fallback = (d: FigureDefault, reason?: string) =>
    `default: ${reason ? `${reason}; ` : ""}${d.why}`;
  return {
    assumptions(): Assumption[] {
      return kindOrder.flatMap((kind) => {
        const ofKind = logged.filter((l) => l.kind === kind).map((l) => l.assumption);
        // Measured figures in catalogue order (per benchmark file), the rest as first used.
        return kind === "measured"
          ? ofKind.sort((a, b) => measuredOrder.indexOf(a.name) - measuredOrder.indexOf(b.name))
          : ofKind;
      });
    },
    measured(name: MeasuredFigureName): number {
      const d = measuredDefaults[name];
      const reading = sources.measured[name];
      if (reading && "value" in reading) {
        return log("measured", name, reading.value, d.unit, reading.source);
      }
      return log("measured", name, d.value, d.unit, fallback(d, reading?.missing));
    },
    model(name: ModelFigureName): number {
      const d = modelDefaults[name];
      return log("model", name, d.value, d.unit, fallback(d));
    },
    setting(name: keyof ServerSettings): number {
      const s = sources.settings[name];
      return log("setting", name, s.value, settingUnits[name], s.source);
    },
    wire(name: keyof WireSizes): number {
      const s = sources.wire[name];
      return log("computed", name, s.value, "bytes", s.source);
    },
  };
}
