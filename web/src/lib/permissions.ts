import { allowedIn, mayAct, type SpaceAction } from "../../../src/domain/spaces/permissions.ts";
import type { SpaceState, Standing } from "../api/types";

export type { SpaceAction };

/**
 * Whether the page should offer an action: the server's own permission table
 * (src/domain/spaces/permissions.ts, pure and shared), so the two can never disagree.
 */
export function can(action: SpaceAction, standing: Standing, state: SpaceState): boolean {
  return mayAct(action, standing) === true && allowedIn(action, state);
}
