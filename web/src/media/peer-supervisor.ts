/**
 * The life of one WHIP/WHEP connection that replaces itself when lost, as a pure state
 * machine: events in (the connection's state, timers, the outcome of an offer), the new state
 * and the effects to carry out out (negotiate, tear down, set a timer, report a phase). The
 * WebRTC and HTTP side lives in signalled-peer.ts.
 */

/** `connecting` until media flows; `failed` carries the reason; `closed` once let go. */
export type PeerPhase = "connecting" | "connected" | "reconnecting" | "failed" | "closed";

/**
 * Where the current RTCPeerConnection is: `none` (between two, waiting to retry),
 * `negotiating` (offer out), `answered` (ICE/DTLS coming up), `up`, `down` (was up, now
 * disconnected: it may come back by itself within the grace).
 */
export type LinkState = "none" | "negotiating" | "answered" | "up" | "down";

export type SupervisorTimer = "grace" | "connect" | "retry";

export interface SupervisorState {
  phase: PeerPhase | "idle";
  link: LinkState;
  /** Retries since the connection was last up. */
  attempt: number;
  /** It was up at least once (later losses are "reconnecting", not "connecting"). */
  everConnected: boolean;
}

export type SupervisorEvent =
  | { type: "start" }
  | { type: "close" }
  /** The answer was applied: ICE and DTLS come next. */
  | { type: "negotiated" }
  /** The offer (or applying the answer) failed; `transient` says whether to try again. */
  | { type: "negotiation-failed"; error: unknown; transient: boolean }
  | { type: "connection"; state: RTCPeerConnectionState }
  | { type: "timer"; timer: SupervisorTimer };

export type SupervisorEffect =
  | { type: "negotiate" }
  /** Close the connection and DELETE its session (if it has one). */
  | { type: "teardown" }
  | { type: "set-timer"; timer: SupervisorTimer; ms: number }
  | { type: "clear-timer"; timer: SupervisorTimer }
  | { type: "phase"; phase: PeerPhase; error?: unknown };

export interface SupervisorConfig {
  /** How long a `disconnected` connection may take to come back before it is replaced. */
  graceMs: number;
  /** How long an answered connection may take to come up before it is replaced. */
  connectTimeoutMs: number;
  /** Replacements in a row (without the connection coming up) before giving up. */
  maxRetries: number;
  /** The wait before retry number `attempt` (0-based), given what failed. */
  delay: (attempt: number, error: unknown) => number;
}

export interface Step {
  state: SupervisorState;
  effects: SupervisorEffect[];
}

export const initialSupervisorState: SupervisorState = {
  phase: "idle",
  link: "none",
  attempt: 0,
  everConnected: false,
};

/** The reason given when a connection that was up is lost for good. */
export class ConnectionLostError extends Error {
  constructor(message = "Lost the connection to the server.") {
    super(message);
    this.name = "ConnectionLostError";
  }
}

const allTimers: SupervisorTimer[] = ["grace", "connect", "retry"];

function withPhase(state: SupervisorState, phase: PeerPhase, effects: SupervisorEffect[]): Step {
  if (state.phase === phase) return { state, effects };
  return { state: { ...state, phase }, effects: [...effects, { type: "phase", phase }] };
}

function fail(state: SupervisorState, error: unknown): Step {
  return {
    state: { ...state, phase: "failed", link: "none" },
    effects: [
      ...allTimers.map((timer) => ({ type: "clear-timer", timer }) as const),
      { type: "teardown" },
      { type: "phase", phase: "failed", error },
    ],
  };
}

/** Lets the current connection go and schedules the next one (or gives up). */
function replace(state: SupervisorState, config: SupervisorConfig, error: unknown): Step {
  if (state.attempt >= config.maxRetries) return fail(state, error);
  const effects: SupervisorEffect[] = [
    { type: "clear-timer", timer: "grace" },
    { type: "clear-timer", timer: "connect" },
    { type: "teardown" },
    { type: "set-timer", timer: "retry", ms: config.delay(state.attempt, error) },
  ];
  const next: SupervisorState = { ...state, link: "none", attempt: state.attempt + 1 };
  return withPhase(next, state.everConnected ? "reconnecting" : "connecting", effects);
}

/** The next state and what to do, for one event. Finished supervisors ignore everything. */
export function superviseStep(
  state: SupervisorState,
  event: SupervisorEvent,
  config: SupervisorConfig,
): Step {
  const same: Step = { state, effects: [] };
  if (state.phase === "closed" || state.phase === "failed") return same;
  switch (event.type) {
    case "start":
      if (state.phase !== "idle") return same;
      return withPhase({ ...state, link: "negotiating" }, "connecting", [{ type: "negotiate" }]);

    case "close":
      if (state.phase === "idle") return { state: { ...state, phase: "closed" }, effects: [] };
      return {
        state: { ...state, phase: "closed", link: "none" },
        effects: [
          ...allTimers.map((timer) => ({ type: "clear-timer", timer }) as const),
          { type: "teardown" },
          { type: "phase", phase: "closed" },
        ],
      };

    case "negotiated":
      if (state.link !== "negotiating") return same;
      return {
        state: { ...state, link: "answered" },
        effects: [{ type: "set-timer", timer: "connect", ms: config.connectTimeoutMs }],
      };

    case "negotiation-failed":
      if (state.link !== "negotiating") return same;
      return event.transient ? replace(state, config, event.error) : fail(state, event.error);

    case "connection":
      switch (event.state) {
        case "connected":
          if (state.link === "none" || state.link === "negotiating") return same;
          return withPhase({ ...state, link: "up", attempt: 0, everConnected: true }, "connected", [
            { type: "clear-timer", timer: "grace" },
            { type: "clear-timer", timer: "connect" },
          ]);
        case "disconnected":
          // Before it was ever up, the connect timeout decides.
          if (state.link !== "up") return same;
          return withPhase({ ...state, link: "down" }, "reconnecting", [
            { type: "set-timer", timer: "grace", ms: config.graceMs },
          ]);
        case "failed":
        case "closed":
          if (state.link === "none" || state.link === "negotiating") return same;
          return replace(state, config, new ConnectionLostError());
        default:
          return same;
      }

    case "timer":
      switch (event.timer) {
        case "grace":
          return state.link === "down" ? replace(state, config, new ConnectionLostError()) : same;
        case "connect":
          return state.link === "answered"
            ? replace(state, config, new ConnectionLostError("The connection did not come up."))
            : same;
        case "retry":
          if (state.link !== "none") return same;
          return { state: { ...state, link: "negotiating" }, effects: [{ type: "negotiate" }] };
      }
  }
}
