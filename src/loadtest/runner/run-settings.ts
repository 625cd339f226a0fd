import type { ScenarioOptions } from "../scenarios/scenario.ts";

/** Everything a process needs to run its share of a scenario; plain data (sent over IPC). */
export interface RunSettings {
  scenario: string;
  scenarioOptions: ScenarioOptions;
  /** Target Amphi URL (origin or edge). */
  url: string;
  spaceId: string;
  /** Epoch ms of the scenario's second 0; arrivals are relative to it. */
  startedAtMs: number;
  /** Heartbeat interval forced by the load test, or null for the server's. */
  heartbeatSeconds: number | null;
  hostileRequestsPerSecond: number;
  /** Give each client its own 127.x.y.z source address (loopback targets only). */
  spreadSourceAddresses: boolean;
  /** Clients still running this long after the end are cut off, seconds. */
  stopGraceSeconds: number;
}

export interface WorkerShare {
  index: number;
  count: number;
}
