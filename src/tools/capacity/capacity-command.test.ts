import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const main = fileURLToPath(new URL("../../main.ts", import.meta.url));

/** Runs `amphi capacity ...` as people do, in its own process, with an empty results folder. */
function capacity(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", main, "capacity", "--results", "/nonexistent-amphi-results", ...args],
      { env: { PATH: process.env.PATH } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

describe("amphi capacity", () => {
  it("prints one JSON object with inputs, assumptions, fleet and notes", async () => {
    const { code, stdout } = await capacity("--listeners", "1.3M", "--json");
    expect(code).toBe(0);
    const plan = JSON.parse(stdout);
    expect(plan.inputs).toMatchObject({ listeners: 1_300_000, arrivalsPerSecondGiven: false });
    expect(Object.keys(plan.fleet)).toEqual([
      "apiNodes",
      "mediaNodes",
      "edges",
      "redis",
      "egressGbps",
      "bytesPerListenerHour",
    ]);
    expect(plan.assumptions[0]).toEqual({
      name: "ticketsPerSecondPerApiNode",
      value: 4_274,
      unit: "tickets/s",
      source: expect.stringMatching(/^default: .*join\.json not found; /),
    });
    expect(plan.notes[0]).toMatch(/^Caveat: .*2-core shared machine/);
  }, 30_000);

  it("exits 2 with a clear message on a bad flag", async () => {
    const [bad, missing] = await Promise.all([
      capacity("--listeners", "lots"),
      capacity("--arrivals-per-second", "5"),
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("expected a number such as 1300000, 1.3M or 20k");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("--listeners");
  }, 30_000);
});
