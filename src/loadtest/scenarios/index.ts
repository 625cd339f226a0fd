import { attack } from "./attack.ts";
import { joinStorm } from "./join-storm.ts";
import { steadyListeners } from "./listeners.ts";
import type { Scenario } from "./scenario.ts";

export const scenarios: Record<string, Scenario> = {
  [joinStorm.name]: joinStorm,
  [steadyListeners.name]: steadyListeners,
  [attack.name]: attack,
};

export const scenarioNames = Object.keys(scenarios);

export type { PlannedClient, Scenario, ScenarioOptions } from "./scenario.ts";
