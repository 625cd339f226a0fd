import { attack } from "./attack.ts";
import { flash } from "./flash.ts";
import { joinStorm } from "./join-storm.ts";
import { steadyListeners } from "./listeners.ts";
import type { Scenario } from "./scenario.ts";

export const scenarios: Record<string, Scenario> = {
  [joinStorm.name]: joinStorm,
  [steadyListeners.name]: steadyListeners,
  [attack.name]: attack,
  [flash.name]: flash,
};

export const scenarioNames = Object.keys(scenarios);

/** Scenarios that add abusive clients (`--hostile-ratio` per listener). */
export function hasHostileClients(scenario: string): boolean {
  return scenario === attack.name || scenario === flash.name;
}

export type { PlannedClient, Scenario, ScenarioOptions } from "./scenario.ts";
