import { describe, expect, it } from "vitest";
import {
  initialSupervisorState,
  type SupervisorConfig,
  type SupervisorEffect,
  type SupervisorEvent,
  type SupervisorState,
  superviseStep,
} from "./peer-supervisor";
import { reconnectDelay } from "./reconnect-policy";

const config: SupervisorConfig = {
  graceMs: 3000,
  connectTimeoutMs: 10_000,
  maxRetries: Number.POSITIVE_INFINITY,
  // The real waits, at the top of their jitter.
  delay: (attempt) => reconnectDelay(attempt, () => 0.999999),
};

/** Runs events in order; returns the final state and every effect, flattened. */
function run(
  events: SupervisorEvent[],
  from: SupervisorState = initialSupervisorState,
  cfg: SupervisorConfig = config,
): { state: SupervisorState; effects: SupervisorEffect[] } {
  let state = from;
  const effects: SupervisorEffect[] = [];
  for (const event of events) {
    const step = superviseStep(state, event, cfg);
    state = step.state;
    effects.push(...step.effects);
  }
  return { state, effects };
}

const phases = (effects: SupervisorEffect[]) =>
  effects.flatMap((e) => (e.type === "phase" ? [e.phase] : []));
const retryDelays = (effects: SupervisorEffect[]) =>
  effects.flatMap((e) => (e.type === "set-timer" && e.timer === "retry" ? [e.ms] : []));
const count = (effects: SupervisorEffect[], type: SupervisorEffect["type"]) =>
  effects.filter((e) => e.type === type).length;

const up: SupervisorEvent[] = [
  { type: "start" },
  { type: "negotiated" },
  { type: "connection", state: "connected" },
];
const transientFailure: SupervisorEvent = {
  type: "negotiation-failed",
  error: new Error("refused"),
  transient: true,
};

describe("a peer connection that replaces itself", () => {
  it("connects: negotiate, then wait for the connection within the connect timeout", () => {
    const { state, effects } = run(up);
    expect(state).toMatchObject({ phase: "connected", link: "up", everConnected: true });
    expect(phases(effects)).toEqual(["connecting", "connected"]);
    expect(effects).toContainEqual({ type: "set-timer", timer: "connect", ms: 10_000 });
    expect(effects).toContainEqual({ type: "clear-timer", timer: "connect" });
  });

  it("shows reconnecting at once on disconnected, and recovers in place within the grace", () => {
    const connected = run(up).state;
    const lost = run([{ type: "connection", state: "disconnected" }], connected);
    expect(phases(lost.effects)).toEqual(["reconnecting"]);
    expect(lost.effects).toContainEqual({ type: "set-timer", timer: "grace", ms: 3000 });
    const back = run([{ type: "connection", state: "connected" }], lost.state);
    expect(back.state.phase).toBe("connected");
    expect(back.effects).toContainEqual({ type: "clear-timer", timer: "grace" });
    expect(count(back.effects, "negotiate")).toBe(0);
  });

  it("replaces a connection still down after the grace: teardown, backoff, a new offer", () => {
    const connected = run(up).state;
    const { state, effects } = run(
      [
        { type: "connection", state: "disconnected" },
        { type: "timer", timer: "grace" },
      ],
      connected,
    );
    expect(state).toMatchObject({ phase: "reconnecting", link: "none", attempt: 1 });
    expect(count(effects, "teardown")).toBe(1);
    expect(retryDelays(effects)).toEqual([250]);
    const retried = run([{ type: "timer", timer: "retry" }], state);
    expect(retried.effects).toEqual([{ type: "negotiate" }]);
  });

  it("replaces a failed connection at once, without waiting for a grace", () => {
    const { state, effects } = run([{ type: "connection", state: "failed" }], run(up).state);
    expect(state.phase).toBe("reconnecting");
    expect(retryDelays(effects)).toEqual([250]);
  });

  it("keeps retrying a server that is down, with growing waits, and resets once back", () => {
    const events: SupervisorEvent[] = [
      ...up,
      { type: "connection", state: "failed" },
      ...Array.from({ length: 5 }, () => [{ type: "timer", timer: "retry" }, transientFailure])
        .flat()
        .map((e) => e as SupervisorEvent),
    ];
    const down = run(events);
    expect(down.state).toMatchObject({ phase: "reconnecting", attempt: 6 });
    expect(retryDelays(down.effects)).toEqual([250, 500, 1000, 2000, 4000, 4000]);
    // Only one "reconnecting" however many attempts: the UI does not flicker.
    expect(phases(down.effects)).toEqual(["connecting", "connected", "reconnecting"]);

    const back = run(
      [
        { type: "timer", timer: "retry" },
        { type: "negotiated" },
        { type: "connection", state: "connected" },
      ],
      down.state,
    );
    expect(back.state).toMatchObject({ phase: "connected", attempt: 0 });
  });

  it("gives up on a refusal (off the stage, the Space over), reporting the reason", () => {
    const refusal = new Error("Only people on stage can send or hear stage audio.");
    const { state, effects } = run([
      ...up,
      { type: "connection", state: "failed" },
      { type: "timer", timer: "retry" },
      { type: "negotiation-failed", error: refusal, transient: false },
    ]);
    expect(state.phase).toBe("failed");
    expect(effects.at(-1)).toEqual({ type: "phase", phase: "failed", error: refusal });
    expect(effects).toContainEqual({ type: "clear-timer", timer: "retry" });
  });

  it("retries a first offer that fails for a transient reason, still 'connecting'", () => {
    const { state, effects } = run([{ type: "start" }, transientFailure]);
    expect(state).toMatchObject({ phase: "connecting", attempt: 1, everConnected: false });
    expect(phases(effects)).toEqual(["connecting"]);
  });

  it("replaces an answered connection that never comes up", () => {
    const { state, effects } = run([
      { type: "start" },
      { type: "negotiated" },
      { type: "timer", timer: "connect" },
    ]);
    expect(state).toMatchObject({ phase: "connecting", link: "none", attempt: 1 });
    expect(count(effects, "teardown")).toBe(1);
  });

  it("stops after maxRetries replacements when a limit is set", () => {
    const limited = { ...config, maxRetries: 1 };
    const { state } = run(
      [
        ...up,
        { type: "connection", state: "failed" },
        { type: "timer", timer: "retry" },
        transientFailure,
      ],
      initialSupervisorState,
      limited,
    );
    expect(state.phase).toBe("failed");
  });

  it("closes for good: timers cleared, session torn down, later events ignored", () => {
    const closing = run([...up, { type: "connection", state: "disconnected" }, { type: "close" }]);
    expect(closing.state.phase).toBe("closed");
    expect(count(closing.effects, "teardown")).toBe(1);
    expect(phases(closing.effects).at(-1)).toBe("closed");
    const after = run(
      [
        { type: "timer", timer: "grace" },
        { type: "connection", state: "failed" },
        { type: "start" },
      ],
      closing.state,
    );
    expect(after.effects).toEqual([]);
  });

  it("ignores stale timers and connection events that do not match the link", () => {
    const connected = run(up).state;
    expect(run([{ type: "timer", timer: "grace" }], connected).effects).toEqual([]);
    expect(run([{ type: "timer", timer: "connect" }], connected).effects).toEqual([]);
    expect(run([{ type: "timer", timer: "retry" }], connected).effects).toEqual([]);
    expect(run([{ type: "negotiated" }], connected).effects).toEqual([]);
    // Disconnected before ever being up: the connect timeout decides.
    const answered = run([{ type: "start" }, { type: "negotiated" }]).state;
    expect(run([{ type: "connection", state: "disconnected" }], answered).effects).toEqual([]);
  });
});
