import type { StageEntry } from "../api/types";

/**
 * Who the embed shows as speaking: the loudest person on stage the media says is speaking
 * (levels per account id, docs/live-state.md), earlier on stage first on a tie; null when
 * nobody on stage speaks.
 */
export function currentSpeaker(
  stage: readonly StageEntry[],
  speaking: Readonly<Record<string, number>>,
): StageEntry | null {
  let loudest: StageEntry | null = null;
  let level = Number.NEGATIVE_INFINITY;
  for (const entry of stage) {
    const l = speaking[entry.account.id];
    if (l !== undefined && l > level) {
      loudest = entry;
      level = l;
    }
  }
  return loudest;
}
