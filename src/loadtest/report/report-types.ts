import type { Percentiles } from "../stats/latency-histogram.ts";
import type { Counter, Metric, Outcome, TimelineMetric } from "../stats/stats-types.ts";

/** The settings a run was started with, as written into the report. */
export interface LoadtestSettings {
  scenario: string;
  url: string;
  spaceId: string;
  clients: number;
  durationSeconds: number;
  rampSeconds: number;
  hostileRatio: number;
  hostileRequestsPerSecond: number;
  workers: number;
  /** Heartbeat interval override (null: the server's heartbeatSeconds). */
  heartbeatSeconds: number | null;
  /** Whether each client had its own 127.x.y.z source address. */
  spreadSourceAddresses: boolean;
}

export interface TimelineRow {
  second: number;
  arrivals: number;
  admitted: number;
  /** Listeners waiting in the queue at the end of this second. */
  queued: number;
  /** Listeners following the live playlist at the end of this second. */
  listening: number;
  errors: number;
  queuedAnswers: number;
  challengeAnswers: number;
  rateLimitedAnswers: number;
  overloadedAnswers: number;
  hostileRequests: number;
  latencyMs: Partial<
    Record<TimelineMetric, { count: number; p50: number; p95: number; max: number }>
  >;
}

export interface LoadtestReport {
  tool: "amphi loadtest";
  formatVersion: 1;
  settings: LoadtestSettings;
  run: {
    startedAt: string;
    endedAt: string;
    elapsedSeconds: number;
    /** "duration": ran to the end; "signal": stopped early (SIGINT/SIGTERM), figures so far. */
    stoppedBy: "duration" | "signal";
  };
  clients: {
    plannedListeners: number;
    plannedHostile: number;
    arrivedListeners: number;
  };
  outcomes: Record<Outcome, number>;
  counts: Record<Counter, number>;
  errors: { total: number; breakdown: Array<{ key: string; count: number }> };
  /** Durations in milliseconds. */
  latencyMs: Record<Metric, Percentiles>;
  queue: { entered: number; positions: Percentiles };
  hostile: {
    requests: number;
    ticketsWithoutChallenge: number;
    errors: number;
    answers: Array<{ key: string; count: number }>;
  } | null;
  timeline: TimelineRow[];
}
