import { randomBytes } from "node:crypto";
import type { GateSettings } from "../domain/admission/admission-gate.ts";
import type { ListenerCounterSettings } from "../domain/presence/listener-counter.ts";

/** What the shared state needs to know of the admission and presence rules. */
export interface SharedStateSettings {
  gate: GateSettings;
  counter: ListenerCounterSettings;
  /** Ids for places in line (random, unguessable: they sit inside signed tokens anyway). */
  newId?: () => string;
  random?: () => number;
  now?: () => number;
}

export const newEntryId = (): string => randomBytes(9).toString("base64url");
