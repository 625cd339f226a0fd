import { rampArrivals, spikeArrivals } from "./arrival-curves.ts";
import type { PlannedClient, Scenario } from "./scenario.ts";

/**
 * The start of a huge Space under attack (Aug 12 2024, scaled): listeners arrive along the
 * join-storm spike while `clients x hostileRatio` abusive clients, arriving over the same
 * window, hammer tickets and the Space document without ever solving a challenge.
 */
export const flash: Scenario = {
  name: "flash",
  description: "join-storm spike of N listeners plus N x --hostile-ratio abusive clients",
  plan: ({ clients, rampSeconds, hostileRatio }) => {
    const windowMs = rampSeconds * 1000;
    const plan: PlannedClient[] = spikeArrivals(clients, windowMs).map((arrivalMs, index) => ({
      index,
      kind: "listener",
      arrivalMs,
    }));
    const hostile = Math.round(clients * hostileRatio);
    for (const [i, arrivalMs] of rampArrivals(hostile, windowMs).entries()) {
      plan.push({ index: clients + i, kind: "hostile", arrivalMs });
    }
    return plan;
  },
};
