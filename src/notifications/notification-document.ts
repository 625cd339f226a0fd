import type { Notification, NotificationKind } from "../contracts/notification-contracts.ts";
import type { InboxEntry } from "./inbox-repository.ts";

/** What a notification's payload holds: enough to show it without another query. */
export interface NotificationPayload {
  title?: string;
  actorHandle?: string;
  actorName?: string;
  /** Reminders: "24h" | "1h" | "start"; invitations: "speaker" | "cohost". */
  detail?: string;
}

const reminderText: Record<string, string> = {
  "24h": "Tomorrow",
  "1h": "In 1 hour",
  start: "Starting now",
};

/** The sentence a person reads (inbox, toast, push), pure. */
export function notificationText(kind: string, p: NotificationPayload): string {
  const who = p.actorHandle ? `@${p.actorHandle}` : "Someone";
  const title = p.title ?? "a Space";
  switch (kind) {
    case "live":
      return `${who} is live: ${title}`;
    case "reminder":
      return `${reminderText[p.detail ?? ""] ?? "Soon"}: ${title} with ${who}`;
    case "replay":
      return `The replay of ${title} is ready`;
    case "invitation":
      return p.detail === "cohost"
        ? `${who} invites you to co-host ${title}`
        : `${who} invites you to speak in ${title}`;
    default:
      return title;
  }
}

/** An inbox entry as the API shows it. */
export function toNotification(entry: InboxEntry): Notification {
  const p = entry.payload as NotificationPayload;
  return {
    id: entry.id,
    kind: entry.kind as NotificationKind,
    text: notificationText(entry.kind, p),
    url: entry.spaceId ? `/spaces/${entry.spaceId}` : "/notifications",
    space: entry.spaceId ? { id: entry.spaceId, title: p.title ?? "" } : null,
    actor: p.actorHandle
      ? { handle: p.actorHandle, displayName: p.actorName ?? p.actorHandle }
      : null,
    detail: p.detail ?? null,
    createdAt: entry.createdAt.toISOString(),
    readAt: entry.readAt?.toISOString() ?? null,
  };
}
