import { setMaxListeners } from "node:events";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { runHostileClient } from "../hostile-client.ts";
import { sleep } from "../journey/sleep.ts";
import { type FollowLive, runListenerJourney } from "../journey.ts";
import { LeanAgent } from "../listener/lean-agent.ts";
import { scenarios } from "../scenarios/index.ts";
import { type PlannedClient, shareOf } from "../scenarios/scenario.ts";
import { sourceAddressFor } from "../source-addresses.ts";
import type { StatsRecorder } from "../stats/stats-recorder.ts";
import type { RunSettings, WorkerShare } from "./run-settings.ts";

export interface ShareResult {
  /** Clients of this share whose arrival time had not come when the run stopped. */
  notArrived: number;
}

/**
 * Runs one process's share of a scenario: starts each planned client at its arrival time
 * (relative to `settings.startedAtMs`) and stops everything at the end of the duration or
 * when `stop` fires, whichever comes first. Each client gets its own connections, as a
 * browser has (a `LeanAgent`: a few keep-alive connections per origin, from its own loopback
 * source address when asked), destroyed when it finishes.
 */
export async function runShare(
  settings: RunSettings,
  share: WorkerShare,
  deps: { follow: FollowLive; stats: StatsRecorder; stop: AbortSignal },
): Promise<ShareResult> {
  const scenario = scenarios[settings.scenario];
  if (!scenario) throw new Error(`unknown scenario ${settings.scenario}`);
  const clients = shareOf(scenario.plan(settings.scenarioOptions), share.index, share.count).sort(
    (a, b) => a.arrivalMs - b.arrivalMs,
  );
  const target = new URL(settings.url);
  const endAtMs = settings.startedAtMs + settings.scenarioOptions.durationSeconds * 1000;
  const end = new AbortController();
  // Each client has a signal of its own, aborted from this set at the end. Thousands of
  // clients adding and removing their listeners (a sleep, a request) on one shared signal
  // cost O(listeners) each in Node's EventTarget: 29% of a worker's CPU in the flash
  // benchmark (6,600 clients), more than all its HTTP.
  const clientStops = new Set<AbortController>();
  const finish = () => {
    end.abort();
    for (const stop of clientStops) stop.abort();
  };
  deps.stop.addEventListener("abort", finish, { once: true });
  const endTimer = setTimeout(finish, Math.max(0, endAtMs - Date.now()));
  // How late this process's own timers run: tells a saturated generator from a slow server.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const loopDelayTimer = setInterval(() => {
    deps.stats.latency("generatorLag", loopDelay.max / 1e6);
    loopDelay.reset();
  }, 1000);
  const running = new Set<Promise<void>>();
  const ownAgents = new Set<LeanAgent>();

  const start = (client: PlannedClient) => {
    const stop = new AbortController();
    // A client's own listeners: its sleep, its request, its player's requests.
    setMaxListeners(0, stop.signal);
    clientStops.add(stop);
    const own = new LeanAgent({
      localAddress: settings.spreadSourceAddresses
        ? sourceAddressFor(client.kind, client.index)
        : undefined,
    });
    ownAgents.add(own);
    const run =
      client.kind === "listener"
        ? runListenerJourney({
            target,
            spaceId: settings.spaceId,
            dispatcher: own,
            follow: deps.follow,
            stats: deps.stats,
            signal: stop.signal,
            heartbeatSeconds: settings.heartbeatSeconds,
          }).then(() => undefined)
        : runHostileClient({
            target,
            spaceId: settings.spaceId,
            dispatcher: own,
            stats: deps.stats,
            signal: stop.signal,
            requestsPerSecond: settings.hostileRequestsPerSecond,
          });
    const tracked: Promise<void> = run
      .catch(() => undefined)
      .finally(() => {
        running.delete(tracked);
        clientStops.delete(stop);
        ownAgents.delete(own);
        void own.destroy().catch(() => undefined);
      });
    running.add(tracked);
  };

  let next = 0;
  try {
    while (next < clients.length && !end.signal.aborted) {
      const now = Date.now();
      // Start every client whose time has come, then sleep until the next one.
      for (
        let c = clients[next];
        c && settings.startedAtMs + c.arrivalMs <= now;
        c = clients[next]
      ) {
        start(c);
        next++;
      }
      const upcoming = clients[next];
      if (!upcoming) break;
      await sleep((settings.startedAtMs + upcoming.arrivalMs - Date.now()) / 1000, end.signal);
    }
    await sleep((endAtMs - Date.now()) / 1000, end.signal);
  } finally {
    finish();
    clearTimeout(endTimer);
    clearInterval(loopDelayTimer);
    loopDelay.disable();
    deps.stop.removeEventListener("abort", finish);
    // Clients stop on the abort; a bounded wait for the last answers, then cut them off.
    const grace = new AbortController();
    await Promise.race([
      Promise.allSettled([...running]),
      sleep(settings.stopGraceSeconds, grace.signal),
    ]);
    grace.abort();
    // Whatever is still connected is closed now, so the process can end.
    await Promise.allSettled([...ownAgents].map((a) => a.destroy()));
  }
  return { notArrived: clients.length - next };
}
