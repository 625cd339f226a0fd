import { useEffect } from "react";
import type { LiveSpace } from "./use-live-space";
import type { MediaLive } from "./use-media-live-state";

/**
 * The media says the Space document changed (stage, roles, mutes, the end): read the version
 * it announces (a cacheable URL of its own, docs/live-state.md). A replay's versions are
 * history: only a live Space's media announces the present.
 */
export function useAnnouncedVersion(
  live: Pick<LiveSpace, "space" | "refresh">,
  media: MediaLive | null,
): void {
  const { refresh } = live;
  const heldVersion = live.space?.version;
  const announced = media?.active && live.space?.state === "live" ? media.stage : null;
  useEffect(() => {
    if (announced && heldVersion && announced !== heldVersion) void refresh(announced);
  }, [announced, heldVersion, refresh]);
}
