import { rampArrivals } from "./arrival-curves.ts";
import type { Scenario } from "./scenario.ts";

/** A steady audience: `clients` listeners join evenly over `ramp` seconds, then stay until the end. */
export const steadyListeners: Scenario = {
  name: "listeners",
  description: "N listeners join evenly over --ramp and stay (steady audience)",
  plan: ({ clients, rampSeconds }) =>
    rampArrivals(clients, rampSeconds * 1000).map((arrivalMs, index) => ({
      index,
      kind: "listener",
      arrivalMs,
    })),
};
