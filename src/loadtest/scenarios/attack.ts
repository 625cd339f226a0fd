import { rampArrivals } from "./arrival-curves.ts";
import type { PlannedClient, Scenario } from "./scenario.ts";

/**
 * Legitimate listeners (evenly over `ramp`) while `clients x hostileRatio` abusive clients,
 * also arriving over `ramp`, hammer the ticket endpoint without solving the challenge and
 * re-read the Space document, each from its own loopback address. Listeners first in the plan,
 * then the hostile clients.
 */
export const attack: Scenario = {
  name: "attack",
  description:
    "N listeners plus N x --hostile-ratio abusive clients hammering tickets and the Space document",
  plan: ({ clients, rampSeconds, hostileRatio }) => {
    const hostile = Math.round(clients * hostileRatio);
    const windowMs = rampSeconds * 1000;
    const plan: PlannedClient[] = rampArrivals(clients, windowMs).map((arrivalMs, index) => ({
      index,
      kind: "listener",
      arrivalMs,
    }));
    for (const [i, arrivalMs] of rampArrivals(hostile, windowMs).entries()) {
      plan.push({ index: clients + i, kind: "hostile", arrivalMs });
    }
    return plan;
  },
};
