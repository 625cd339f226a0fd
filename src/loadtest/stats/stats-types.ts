/**
 * The vocabulary of a load test's figures, shared by the workers that record them and the
 * parent that merges them. Everything here is plain data that survives JSON and IPC.
 */

/** Event counts, kept in total and per second of the scenario. */
export const counters = [
  /** A listener arrived (started its journey). */
  "arrivals",
  /** A listener got its first ticket. */
  "admitted",
  /** A listener got its first 202 (entered the queue or pre-queue)... */
  "queueEntered",
  /** ...and left it (admitted, gave up, or the scenario ended). */
  "queueLeft",
  /** A listener started following the live playlist... */
  "listeningStarted",
  /** ...and stopped. */
  "listeningStopped",
  /** Errors: any 5xx, network failure or answer outside the contract (legitimate clients). */
  "errors",
  /** Listeners that met at least one error (counted when their journey ends). */
  "listenersWithErrors",
  /** Answers that are part of admission control, not errors. */
  "queuedAnswers",
  "challengeAnswers",
  "rateLimitedAnswers",
  "overloadedAnswers",
  /** Challenges a listener solved. */
  "challengesSolved",
  "heartbeats",
  /** Tickets refused at heartbeat (401 AMPHI_TICKET_INVALID), after which a new one is asked for. */
  "ticketsReinstated",
  /** LL-HLS parts a listener received. */
  "parts",
  /** Times a real-time player would have run out of audio (summed over listeners)... */
  "stalls",
  /** ...and listeners who received less than 0.9 s of audio per second once playing. */
  "listenersFallingBehind",
  /** Requests sent by hostile clients, and tickets they obtained without solving anything. */
  "hostileRequests",
  "hostileTickets",
  /** 5xx and network failures seen by hostile clients (the server suffering). */
  "hostileErrors",
] as const;
export type Counter = (typeof counters)[number];

/** Durations (and the queue position), recorded in HdrHistograms. */
export const metrics = [
  /** Arrival to first ticket, queue included. */
  "ticket",
  /** One POST /tickets round trip. */
  "ticketRequest",
  /** Arrival to the first LL-HLS part. */
  "firstPart",
  /** One heartbeat round trip. */
  "heartbeat",
  /** One media playlist request (blocking reloads included: they wait for the next part). */
  "playlist",
  /** One GET of the Space document. */
  "document",
  /** First 202 to the ticket, for listeners who were queued. */
  "timeQueued",
  /** Time a listener spent solving a proof-of-work challenge. */
  "challengeSolve",
  /**
   * The load generator's own event-loop delay, worst per second and process: when it is high
   * the generator, not the server, was the bottleneck (add workers or machines).
   */
  "generatorLag",
] as const;
export type Metric = (typeof metrics)[number];

/** Metrics that are not durations: recorded as plain numbers, not microseconds. */
export const countMetrics = ["queuePosition"] as const;
export type CountMetric = (typeof countMetrics)[number];

/** The request latencies charted over time (per-second histograms are kept for these only). */
export const timelineMetrics = ["ticketRequest", "heartbeat", "playlist", "document"] as const;
export type TimelineMetric = (typeof timelineMetrics)[number];

/** How a listener's admission ended. */
export const outcomes = ["admitted", "queued-then-admitted", "still-queued", "error"] as const;
export type Outcome = (typeof outcomes)[number];

/**
 * What a worker sends its parent: everything recorded since its previous delta. Histograms are
 * HdrHistograms encoded as compressed base64 (values in microseconds, queue positions as is).
 */
export interface StatsDelta {
  counters: Partial<Record<Counter, number>>;
  /** Second of the scenario (0-based) -> counters during that second. */
  bySecond: Record<string, Partial<Record<Counter, number>>>;
  histograms: Partial<Record<Metric | CountMetric, string>>;
  /** Second -> request latencies during that second. */
  histogramsBySecond: Record<string, Partial<Record<TimelineMetric, string>>>;
  outcomes: Partial<Record<Outcome, number>>;
  /** "status CODE" or "network CAUSE" -> count, for legitimate clients. */
  errors: Record<string, number>;
  /** What hostile clients were answered: "status CODE" or "network CAUSE" -> count. */
  hostileAnswers: Record<string, number>;
}
