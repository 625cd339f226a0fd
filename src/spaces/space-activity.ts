import type { SpaceState } from "../domain/spaces/space-lifecycle.ts";
import type { StageActionName } from "../domain/spaces/stage.ts";

/**
 * What just happened to a Space, told once, on the node that did it, after the change was
 * stored (unlike the bus's `spaceChanged`, which every node hears). For work that must happen
 * once per change: notifications, webhooks.
 */
export type SpaceActivity =
  | {
      type: "created";
      spaceId: string;
      hostId: string;
      scheduledFor: Date | null;
      state: SpaceState;
    }
  | { type: "stateChanged"; spaceId: string; actorId: string; from: SpaceState; to: SpaceState }
  | {
      type: "stageAction";
      spaceId: string;
      actorId: string;
      action: StageActionName;
      targetId: string | null;
      /** Account ids whose standing changed (none: nothing happened, e.g. asked twice). */
      changed: string[];
      at: Date;
    };

export type SpaceActivityObserver = (activity: SpaceActivity) => void;
