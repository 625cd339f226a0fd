import type { SpaceDocument } from "../contracts/space-contracts.ts";
import type { SpaceStatus } from "./share-text.ts";

/**
 * What a shared link points at, with what its preview shows: a Space, a clip of a replay, or a
 * person's profile. Built by `ShareSubjects` (I/O); read by the pure renderers of the page
 * head, the card, oEmbed and the feed.
 */
export type ShareSubject =
  | { kind: "space"; space: SpaceDocument; replaySeconds: number | null }
  | {
      kind: "clip";
      clip: { id: string; startSeconds: number; endSeconds: number };
      space: SpaceDocument;
    }
  | {
      kind: "profile";
      account: { handle: string; displayName: string; bio: string };
      followers: number;
    };

/** The Space's status for the preview; `replaySeconds` is null when there is no replay. */
export function spaceStatus(space: SpaceDocument, replaySeconds: number | null): SpaceStatus {
  switch (space.state) {
    case "live":
      return { kind: "live", listeners: space.counts.listeners };
    case "scheduled":
      return { kind: "scheduled", at: space.scheduledFor ? new Date(space.scheduledFor) : null };
    case "cancelled":
      return { kind: "cancelled" };
    default:
      return replaySeconds !== null
        ? { kind: "replay", seconds: replaySeconds }
        : { kind: "ended", at: space.endedAt ? new Date(space.endedAt) : null };
  }
}

/** The site-relative paths of a subject's page, card and embed (null: none). */
export function subjectPaths(subject: ShareSubject): {
  page: string;
  card: string;
  embed: string | null;
} {
  switch (subject.kind) {
    case "space":
      return {
        page: `/spaces/${subject.space.id}`,
        card: `/spaces/${subject.space.id}/card.png`,
        embed: `/embed/${subject.space.id}`,
      };
    case "clip":
      return {
        page: `/clips/${subject.clip.id}`,
        card: `/clips/${subject.clip.id}/card.png`,
        embed: `/embed/clips/${subject.clip.id}`,
      };
    case "profile":
      return {
        page: `/@${subject.account.handle}`,
        card: `/@${subject.account.handle}/card.png`,
        embed: null,
      };
  }
}
