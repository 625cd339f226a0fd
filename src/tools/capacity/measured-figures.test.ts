import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readMeasuredFigures } from "./measured-figures.ts";

let dir = "";
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function resultsDir(files: Record<string, unknown>): string {
  dir = mkdtempSync(join(tmpdir(), "amphi-capacity-"));
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(join(dir, name), typeof content === "string" ? content : JSON.stringify(content));
  }
  return dir;
}

// Trimmed copies of what `npm run bench -- NAME` writes (bench/run.ts: benchmark, startedAt, figures).
const joinResult = {
  benchmark: "join",
  startedAt: "2026-12-02T18:13:13.490Z",
  baselineHealthz: { requestsPerSecond: 9765.25, p99: 41 },
  capacity: { requestsPerSecond: 4155.25, p99: 36 },
  sustained: { requestsPerSecond: 2954, p99: 36 },
};
const fanoutResult = {
  benchmark: "fanout",
  startedAt: "2026-11-25T05:10:00.000Z",
  edge: { steps: [], maxListenersKeptFed: 3000, coresPer1000WhenFed: 0.1433 },
  icecast: { steps: [], maxListenersKeptFed: 15000, coresPer1000WhenFed: 0.044 },
  originRequestsPerPart: [2, 2.8, 4, 1.6],
};
const mixerResult = {
  benchmark: "mixer",
  startedAt: "2026-12-02T18:12:59.638Z",
  bySpeakers: { "1": { coreShare: 0.79 }, "13": { coreShare: 2.83 } },
};
const flashResult = {
  benchmark: "flash",
  scale: { listeners: 600, hostileRatio: 10 },
  flash: {
    errorSharePercent: 0.5,
    admittedOrQueuedPercent: 100,
    firstPartMs: { p95: 2300 },
    generatorLagMs: { p95: 1500 },
  },
};

describe("readMeasuredFigures", () => {
  it("reads each figure with the file, its date and the field it came from", () => {
    const { readings, flashRehearsal } = readMeasuredFigures(
      resultsDir({
        "join.json": joinResult,
        "fanout.json": fanoutResult,
        "mixer.json": mixerResult,
        "flash.json": flashResult,
      }),
    );
    expect(readings.ticketsPerSecondPerApiNode).toEqual({
      value: 4155.25,
      source: `${join(dir, "join.json")} (2026-12-02) capacity.requestsPerSecond`,
    });
    expect(readings.requestsPerSecondPerNode).toMatchObject({ value: 9765.25 });
    expect(readings.listenersPerEdge).toMatchObject({ value: 3000 });
    expect(readings.edgeCoresPer1000Listeners).toMatchObject({ value: 0.1433 });
    expect(readings.originRequestsPerPartPerEdge).toMatchObject({
      value: 4,
      source: expect.stringContaining("(max of 2, 2.8, 4, 1.6)"),
    });
    // The bench writes a percentage of a core; the model wants cores.
    expect(readings.cpuPerSpace).toMatchObject({ value: 0.0283 });
    expect(flashRehearsal).toContain("600 listeners + 10x hostile clients");
    expect(flashRehearsal).toContain("first part p95 2.3 s");
  });

  it("never throws: missing files, broken JSON and wrong shapes become reasons", () => {
    const { readings, flashRehearsal } = readMeasuredFigures(
      resultsDir({
        "join.json": "{ not json",
        "mixer.json": "[1, 2]",
        "fanout.json": { benchmark: "fanout", edge: { maxListenersKeptFed: 0 } },
        "flash.json": { benchmark: "flash" },
      }),
    );
    expect(readings.ticketsPerSecondPerApiNode).toEqual({
      missing: `${join(dir, "join.json")} is not valid JSON`,
    });
    expect(readings.cpuPerSpace).toEqual({
      missing: `${join(dir, "mixer.json")} is not a JSON object`,
    });
    expect(readings.listenersPerEdge).toMatchObject({
      missing: expect.stringContaining("edge.maxListenersKeptFed: Too small"),
    });
    expect(readings.edgeCoresPer1000Listeners).toMatchObject({
      missing: expect.stringContaining("edge.coresPer1000WhenFed: missing"),
    });
    expect(flashRehearsal).toContain("malformed");
  });

  it("refuses a file holding another benchmark's figures", () => {
    const { readings } = readMeasuredFigures(resultsDir({ "join.json": { ...mixerResult } }));
    expect(readings.ticketsPerSecondPerApiNode).toMatchObject({
      missing: expect.stringContaining('holds benchmark "mixer"'),
    });
  });

  it("reports a folder without results as files not found", () => {
    const { readings, flashRehearsal } = readMeasuredFigures(resultsDir({}));
    for (const reading of Object.values(readings)) {
      expect(reading).toMatchObject({ missing: expect.stringMatching(/not found$/) });
    }
    expect(flashRehearsal).toMatch(/flash\.json not found\.$/);
  });
});
