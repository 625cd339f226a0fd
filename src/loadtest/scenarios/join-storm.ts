import { spikeArrivals } from "./arrival-curves.ts";
import type { Scenario } from "./scenario.ts";

/**
 * The moment a big Space opens: `clients` listeners arrive within `ramp` seconds along a spike
 * (rate up linearly to a peak at 20% of the window, then exponential decay; see spikeArrivals)
 * and keep listening and heartbeating until the end.
 */
export const joinStorm: Scenario = {
  name: "join-storm",
  description: "N listeners arrive along a spike (ramp up to a peak at 20% of --ramp, then decay)",
  plan: ({ clients, rampSeconds }) =>
    spikeArrivals(clients, rampSeconds * 1000).map((arrivalMs, index) => ({
      index,
      kind: "listener",
      arrivalMs,
    })),
};
