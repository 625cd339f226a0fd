import type {
  AccountSummary,
  Counts,
  MyStanding,
  ReactionEmoji,
  ReactionSample,
  RecordingStatus,
  SpaceDocument,
} from "../api/types";

/** What the server pushes on `/api/spaces/:id/live` (docs/api.md, "Live pushes"). */
export interface ReactionsMessage {
  type: "reactions";
  counts: Partial<Record<ReactionEmoji, number>>;
  samples: ReactionSample[];
  total: number;
}

export type LiveMessage =
  | { type: "space"; space: SpaceDocument }
  | { type: "me"; me: MyStanding }
  | { type: "requests"; requests: AccountSummary[] }
  | { type: "counts"; counts: Counts }
  | ReactionsMessage
  | { type: "speaking"; speakers: string[] }
  | { type: "recording"; recording: RecordingStatus }
  | { type: "removed" }
  | { type: "pong" };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

/** Parses one text frame; null for anything that is not a message this client knows. */
export function parseLiveMessage(data: unknown): LiveMessage | null {
  if (typeof data !== "string") return null;
  let msg: unknown;
  try {
    msg = JSON.parse(data);
  } catch {
    return null;
  }
  if (!isObject(msg)) return null;
  switch (msg.type) {
    case "space":
      return isObject(msg.space) ? (msg as LiveMessage) : null;
    case "me":
      return isObject(msg.me) ? (msg as LiveMessage) : null;
    case "requests":
      return Array.isArray(msg.requests) ? (msg as LiveMessage) : null;
    case "counts":
      return isObject(msg.counts) ? (msg as LiveMessage) : null;
    case "reactions":
      return Array.isArray(msg.samples) ? (msg as LiveMessage) : null;
    case "speaking":
      return Array.isArray(msg.speakers) && msg.speakers.every((s) => typeof s === "string")
        ? (msg as LiveMessage)
        : null;
    case "recording":
      return isObject(msg.recording) && typeof msg.recording.state === "string"
        ? (msg as LiveMessage)
        : null;
    case "removed":
    case "pong":
      return msg as LiveMessage;
    default:
      return null;
  }
}

/** The socket's URL for a Space, on the page's own host (the cookie goes along). */
export function liveUrl(spaceId: string, location: Location = window.location): string {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}/api/spaces/${encodeURIComponent(spaceId)}/live`;
}
