import type { StatsDelta } from "../stats/stats-types.ts";
import type { RunSettings, WorkerShare } from "./run-settings.ts";

/** Parent -> worker. */
export type ToWorker =
  | { type: "start"; settings: RunSettings; share: WorkerShare }
  /** Stop now (Ctrl-C in the parent): finish the figures and report them. */
  | { type: "stop" };

/** Worker -> parent. */
export type FromWorker =
  | { type: "ready" }
  /** Figures since the previous message, about once a second. */
  | { type: "stats"; delta: StatsDelta }
  /** The last figures; the worker exits after sending it. */
  | { type: "done"; delta: StatsDelta; notArrived: number }
  | { type: "failed"; message: string };
