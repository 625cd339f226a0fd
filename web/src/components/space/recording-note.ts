import type { SpaceDocument } from "../../api/types";

/**
 * What a Space's page says about its recording. `recording` is the host's choice; a cancelled
 * Space never went live, so it has no recording whatever was chosen, and a scheduled one is
 * not recorded yet.
 */
export function recordingNote(space: Pick<SpaceDocument, "state" | "recording">): {
  /** The badge beside the state, or null for none. */
  badge: string | null;
  /** The line under "Recording" in the details. */
  detail: string;
} {
  if (space.state === "cancelled") {
    return { badge: null, detail: "No recording: the Space was cancelled" };
  }
  if (!space.recording) return { badge: null, detail: "Not recorded" };
  if (space.state === "scheduled") {
    return { badge: "Will be recorded", detail: "This Space will be recorded" };
  }
  return { badge: "Recorded", detail: "This Space is recorded" };
}
