/** What a scenario is: a pure plan of who arrives when, computed the same way in every worker. */

export type ClientKind = "listener" | "hostile";

export interface PlannedClient {
  /** Position in the plan; workers take the clients whose index is theirs modulo the count. */
  index: number;
  kind: ClientKind;
  /** When the client arrives, in ms from the start of the scenario. */
  arrivalMs: number;
}

export interface ScenarioOptions {
  /** Legitimate listeners. */
  clients: number;
  /** How long the scenario runs, seconds; everything stops at the end. */
  durationSeconds: number;
  /** The window over which clients arrive, seconds (at most the duration). */
  rampSeconds: number;
  /** Hostile clients per legitimate one (attack only). */
  hostileRatio: number;
}

export interface Scenario {
  name: string;
  /** One line for `--help` and the report. */
  description: string;
  plan(options: ScenarioOptions): PlannedClient[];
}

/** The share of a plan one worker runs: every `count`-th client starting at `index`. */
export function shareOf(plan: PlannedClient[], index: number, count: number): PlannedClient[] {
  return plan.filter((client) => client.index % count === index);
}
