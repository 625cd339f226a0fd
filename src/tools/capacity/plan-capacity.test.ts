import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { MeasuredReadings, ServerSettings, WireSizes } from "./capacity-figures.ts";
import { measurementCaveat } from "./capacity-notes.ts";
import { type PlanInput, planCapacity } from "./plan-capacity.ts";

const config = (value: number) => ({ value, source: "config default" });
const settings: ServerSettings = {
  heartbeatSeconds: config(30),
  mediaBitrate: config(32_000),
  hlsPartSeconds: config(0.5),
  admitRatePerSecond: config(2_000),
  maxListenersPerSpace: config(1_000_000),
};
// What computeWireSizes gives at 32 kbps and 0.5 s parts (wire-sizes.test.ts).
const wire: WireSizes = {
  partBytes: { value: 2_324, source: "computed" },
  playlistBytes: { value: 1_468, source: "computed" },
};
const bench = (value: number) => ({ value, source: "bench/results/x.json field" });
/** Round figures in the range the benchmarks measure on the 2-core machine. */
const measured: MeasuredReadings = {
  ticketsPerSecondPerApiNode: bench(4_000),
  requestsPerSecondPerNode: bench(9_000),
  listenersPerEdge: bench(3_000),
  edgeCoresPer1000Listeners: bench(0.15),
  originRequestsPerPartPerEdge: bench(4),
  cpuPerSpace: bench(0.03),
};

function plan(overrides: Partial<PlanInput["inputs"]> & Partial<Omit<PlanInput, "inputs">> = {}) {
  const { listeners = 1_300_000, arrivalsPerSecond, spaces = 1, ...rest } = overrides;
  return planCapacity({
    inputs: { listeners, arrivalsPerSecond, spaces },
    measured,
    settings,
    wire,
    ...rest,
  });
}

describe("planCapacity", () => {
  it("sizes the Aug 2024 peak (1.3M listeners, flash-crowd arrivals) from measured figures", () => {
    const p = plan();
    // R = 10% x 1.3M / 60 s = 2,166.7/s; H = 1.3M / 30 s = 43,333.3/s.
    expect(p.inputs).toEqual({
      listeners: 1_300_000,
      arrivalsPerSecond: 2166.67,
      arrivalsPerSecondGiven: false,
      spaces: 1,
    });
    expect(p.fleet).toEqual({
      // (2,166.7 tickets + 43,333.3 heartbeats + 3,472 forwarded LL-HLS requests)/s
      // / (4,000 x 0.7) = 17.5 -> 18, + 1 spare.
      apiNodes: 19,
      // max(1, ceil(0.03 / 0.7)) + 1 spare.
      mediaNodes: 2,
      // ceil(1.3M / 3,000) = 434, + 1 spare; 434 x 8 requests/s = 3,472/s fits the origin.
      edges: 435,
      // 2,166.7 x 7 + 43,333.3 x 4 = 188,500 -> ceil(188,500 / 70,000) = 3.
      redis: { instances: 3, opsPerSecond: 188_500 },
      // Per 0.5 s part: part 2,324 + 220 headers + 22 TLS + 2 x 52 TCP/IP = 2,670 B,
      // playlist 1,468 + 220 + 22 + 2 x 52 = 1,814 B -> 8,968 B/s per listener.
      egressGbps: 93.27,
      bytesPerListenerHour: 32_284_800,
    });
  });

  it("uses a given arrival rate instead of the flash-crowd default", () => {
    const p = plan({ listeners: 100_000, arrivalsPerSecond: 10_000 });
    expect(p.inputs.arrivalsPerSecondGiven).toBe(true);
    // (10,000 + 3,333.3 + 34 edges x 8) / 2,800 = 4.86 -> 5, + 1 spare.
    expect(p.fleet.apiNodes).toBe(6);
    // 10,000 x 7 + 3,333.3 x 4 = 83,333.3 -> 2 instances of 70,000.
    expect(p.fleet.redis).toEqual({ instances: 2, opsPerSecond: 83_334 });
    expect(p.assumptions.map((a) => a.name)).not.toContain("flashArrivalShare");
  });

  it("puts a shield tier in front of the origin when the edges alone would swamp it", () => {
    const p = plan({ listeners: 10_000_000 });
    // 3,334 edges x 8/s = 26,672/s > 9,000 x 0.7: ceil(26,672 / 12,000) = 3 shields (+1 spare).
    expect(p.fleet.edges).toBe(3_334 + 1 + 3 + 1);
    expect(p.notes.some((note) => note.startsWith("Origin:"))).toBe(true);
    expect(plan().notes.some((note) => note.startsWith("Origin:"))).toBe(false);
  });

  it("sizes edges by requests per second: 1 s parts double the listeners per edge", () => {
    const p = plan({ settings: { ...settings, hlsPartSeconds: config(1) } });
    expect(p.fleet.edges).toBe(Math.ceil(1_300_000 / 6_000) + 1);
  });

  it("more listeners never means fewer edges, Redis instances or less egress", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20_000_000 }),
        fc.integer({ min: 0, max: 20_000_000 }),
        (listeners, more) => {
          const small = plan({ listeners }).fleet;
          const large = plan({ listeners: listeners + more }).fleet;
          expect(large.edges).toBeGreaterThanOrEqual(small.edges);
          expect(large.redis.instances).toBeGreaterThanOrEqual(small.redis.instances);
          expect(large.egressGbps).toBeGreaterThanOrEqual(small.egressGbps);
        },
      ),
    );
  });

  it("API nodes grow with listeners, except where a shield tier takes over their LL-HLS forwarding", () => {
    // 788 listener edges x 8/s = 6,304/s: just over one media node's 6,300/s -> 1 shield.
    const below = plan({ listeners: 787 * 3_000 });
    const above = plan({ listeners: 788 * 3_000 });
    expect(below.fleet.edges).toBe(788);
    expect(above.fleet.edges).toBe(788 + 1 + 1 + 1);
    // The API nodes forward 6,296/s below and 8/s above: two nodes' worth less work.
    expect(above.fleet.apiNodes).toBeLessThan(below.fleet.apiNodes);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 787 * 3_000 }),
        fc.nat(1_000_000),
        (listeners, more) => {
          const large = Math.min(listeners + more, 787 * 3_000);
          expect(plan({ listeners: large }).fleet.apiNodes).toBeGreaterThanOrEqual(
            plan({ listeners }).fleet.apiNodes,
          );
        },
      ),
    );
  });

  it("missing figures fall back to stated defaults, saying why", () => {
    const p = plan({
      measured: { ticketsPerSecondPerApiNode: { missing: "bench/results/join.json not found" } },
    });
    const byName = new Map(p.assumptions.map((a) => [a.name, a]));
    expect(byName.get("ticketsPerSecondPerApiNode")).toEqual({
      name: "ticketsPerSecondPerApiNode",
      value: 4_274,
      unit: "tickets/s",
      source:
        "default: bench/results/join.json not found; the join run quoted in docs/operations.md (one process at saturation)",
    });
    expect(byName.get("listenersPerEdge")?.value).toBe(3_000);
    expect(byName.get("cpuPerSpace")?.value).toBe(0.0283);
    for (const name of ["listenersPerEdge", "requestsPerSecondPerNode", "cpuPerSpace"]) {
      expect(byName.get(name)?.source).toMatch(/^default: /);
    }
    // ceil(48,972 / (4,274 x 0.7)) = 17, + 1 spare: the numbers docs/capacity.md shows.
    expect(p.fleet).toMatchObject({ apiNodes: 18, mediaNodes: 2, edges: 435 });
  });

  it("lists every figure once, measured first, with its unit and source", () => {
    const p = plan();
    const names = p.assumptions.map((a) => a.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names[0]).toBe("ticketsPerSecondPerApiNode");
    expect(names).toEqual(expect.arrayContaining(["headroom", "partBytes", "heartbeatSeconds"]));
    for (const a of p.assumptions) {
      expect(a.unit).not.toBe("");
      expect(a.source).not.toBe("");
    }
  });

  it("starts the notes with the measurement caveat and names settings the event needs", () => {
    const notes = plan().notes;
    expect(notes[0]).toBe(measurementCaveat);
    expect(notes.join("\n")).toContain("ADMIT_RATE_PER_SECOND=2167");
    expect(notes.join("\n")).toContain("MAX_LISTENERS_PER_SPACE (1,000,000)");
    const small = plan({ listeners: 10_000 }).notes.join("\n");
    expect(small).not.toContain("ADMIT_RATE_PER_SECOND=");
    expect(small).not.toContain("MAX_LISTENERS_PER_SPACE (");
  });

  it("shows its arithmetic", () => {
    expect(plan().derivation).toEqual(
      expect.arrayContaining([
        "arrivals R = 10% x 1,300,000 listeners / 60 s = 2,166.7/s (flash-crowd default)",
        "heartbeats H = 1,300,000 / 30 s = 43,333.3/s",
        "API nodes = ceil((R + H x 1 + LL-HLS 3,472/s x 1) / (4,000 tickets/s x 0.7)) + 1 spare = ceil(48,972 / 2,800) + 1 = 19",
      ]),
    );
  });
});
