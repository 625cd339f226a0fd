/**
 * Reads the figures the benchmarks measured from bench/results/*.json (written by
 * `npm run bench -- NAME`). Every file and every field is optional and validated with zod: a
 * missing file, broken JSON or a field of the wrong shape becomes a reason, never a crash,
 * and the model falls back to its stated default for that figure alone.
 */
import { readFileSync } from "node:fs";
import { isAbsolute, join, relative } from "node:path";
import { z } from "zod";
import type { MeasuredFigureName, MeasuredReadings, Reading } from "./capacity-figures.ts";
import { formatNumber, formatPercent, roundTo } from "./number-format.ts";

const positive = z.number().positive();

/** One figure: where it lives in which file, its shape, and how it becomes the model's unit. */
interface FieldSpec<T> {
  figure: MeasuredFigureName;
  file: string;
  field: string;
  schema: z.ZodType<T>;
  toValue: (raw: T) => { value: number; detail?: string };
}

/** Erases T once the spec's parts are known to agree (schema output = toValue's input). */
function figureField<T>(spec: FieldSpec<T>): FieldSpec<unknown> {
  return spec as FieldSpec<unknown>;
}

const fields: readonly FieldSpec<unknown>[] = [
  figureField({
    figure: "ticketsPerSecondPerApiNode",
    file: "join.json",
    field: "capacity.requestsPerSecond",
    schema: positive,
    toValue: (n) => ({ value: n }),
  }),
  figureField({
    figure: "requestsPerSecondPerNode",
    file: "join.json",
    field: "baselineHealthz.requestsPerSecond",
    schema: positive,
    toValue: (n) => ({ value: n }),
  }),
  figureField({
    figure: "listenersPerEdge",
    file: "fanout.json",
    field: "edge.maxListenersKeptFed",
    // 0 means the edge kept no step fed: no usable ceiling.
    schema: z.number().int().positive(),
    toValue: (n) => ({ value: n }),
  }),
  figureField({
    figure: "edgeCoresPer1000Listeners",
    file: "fanout.json",
    field: "edge.coresPer1000WhenFed",
    schema: positive,
    toValue: (n) => ({ value: n }),
  }),
  figureField({
    figure: "originRequestsPerPartPerEdge",
    file: "fanout.json",
    field: "originRequestsPerPart",
    schema: z.array(z.number().nonnegative()).min(1),
    // One value per step; plan for the worst step measured.
    toValue: (steps) => ({
      value: Math.max(...steps),
      detail: `max of ${steps.map((n) => formatNumber(n, 2)).join(", ")}`,
    }),
  }),
  figureField({
    figure: "cpuPerSpace",
    file: "mixer.json",
    field: "bySpeakers.13.coreShare",
    // The bench writes a percentage of one core; a full stage (1 + 2 + 10) is the worst case.
    schema: positive,
    toValue: (percent) => ({
      value: roundTo(percent / 100, 6),
      detail: `${formatPercent(percent / 100)} of a core with 13 speakers`,
    }),
  }),
];

const benchFile = z.looseObject({
  benchmark: z.string().optional(),
  startedAt: z.string().optional(),
});

type LoadedFile =
  | { ok: true; json: Record<string, unknown>; label: string }
  | { ok: false; reason: string };

/** `dir/name` as people see it: relative to the working folder when inside it. */
function displayPath(dir: string, name: string): string {
  const path = join(dir, name);
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}

function loadFile(dir: string, name: string): LoadedFile {
  const path = displayPath(dir, name);
  let text: string;
  try {
    text = readFileSync(join(dir, name), "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, reason: code === "ENOENT" ? `${path} not found` : `${path} unreadable` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: `${path} is not valid JSON` };
  }
  const parsed = benchFile.safeParse(json);
  if (!parsed.success) return { ok: false, reason: `${path} is not a JSON object` };
  const expected = name.replace(/\.json$/, "");
  if (parsed.data.benchmark !== undefined && parsed.data.benchmark !== expected) {
    return { ok: false, reason: `${path} holds benchmark "${parsed.data.benchmark}"` };
  }
  const day = parsed.data.startedAt?.slice(0, 10);
  const label = day && /^\d{4}-\d\d-\d\d$/.test(day) ? `${path} (${day})` : path;
  return { ok: true, json: parsed.data, label };
}

function at(json: unknown, dottedPath: string): unknown {
  let value = json;
  for (const key of dottedPath.split(".")) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function readField(file: LoadedFile, spec: FieldSpec<unknown>): Reading {
  if (!file.ok) return { missing: file.reason };
  const raw = at(file.json, spec.field);
  const parsed = spec.schema.safeParse(raw);
  if (!parsed.success) {
    const problem = raw === undefined ? "missing" : (parsed.error.issues[0]?.message ?? "invalid");
    return { missing: `${file.label} ${spec.field}: ${problem}` };
  }
  const { value, detail } = spec.toValue(parsed.data);
  const source = `${file.label} ${spec.field}${detail ? ` (${detail})` : ""}`;
  return { value, source };
}

/** The flash-crowd rehearsal, summarised for the notes (not a sizing figure). */
const flashFile = z.object({
  scale: z.object({ listeners: positive, hostileRatio: z.number().nonnegative() }),
  flash: z.object({
    errorSharePercent: z.number().nonnegative(),
    admittedOrQueuedPercent: z.number().nonnegative(),
    firstPartMs: z.object({ p95: z.number().nonnegative() }),
    generatorLagMs: z.object({ p95: z.number().nonnegative() }),
  }),
});

function flashRehearsal(dir: string): string {
  const file = loadFile(dir, "flash.json");
  if (!file.ok) return `No flash-crowd rehearsal to compare with: ${file.reason}.`;
  const parsed = flashFile.safeParse(file.json);
  if (!parsed.success) return `No flash-crowd rehearsal to compare with: ${file.label} malformed.`;
  const { scale, flash } = parsed.data;
  return (
    `Flash-crowd rehearsal (${file.label}): ${formatNumber(scale.listeners)} listeners + ` +
    `${formatNumber(scale.hostileRatio)}x hostile clients through one edge: errors ${formatNumber(flash.errorSharePercent, 2)}%, ` +
    `admitted or queued ${formatNumber(flash.admittedOrQueuedPercent, 2)}%, first part p95 ` +
    `${formatNumber(flash.firstPartMs.p95 / 1000, 1)} s, load generator lag p95 ` +
    `${formatNumber(flash.generatorLagMs.p95 / 1000, 1)} s (high lag: the generator, not the server, was saturated).`
  );
}

export interface MeasuredFigures {
  readings: MeasuredReadings;
  /** One sentence about bench/results/flash.json, for the notes. */
  flashRehearsal: string;
}

export function readMeasuredFigures(resultsDir: string): MeasuredFigures {
  const files = new Map<string, LoadedFile>();
  const readings: MeasuredReadings = {};
  for (const spec of fields) {
    let file = files.get(spec.file);
    if (!file) {
      file = loadFile(resultsDir, spec.file);
      files.set(spec.file, file);
    }
    readings[spec.figure] = readField(file, spec);
  }
  return { readings, flashRehearsal: flashRehearsal(resultsDir) };
}
