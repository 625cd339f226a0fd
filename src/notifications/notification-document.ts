import type { Notification, NotificationKind } from "../contracts/notification-contracts.ts";
import type { InboxEntry } from "./inbox-repository.ts";

/** What a notification's payload holds: enough to show it without another query. */
export interface NotificationPayload {
  title?: string;
  actorHandle?: string;
  actorName?: string;
  /** Reminders: "24h" | "1h" | "start"; invitations: "speaker" | "cohost"; moderation: the action. */
  detail?: string;
  /** Moderation: the statement of reasons, or the report, it is about. */
  statementId?: string;
  reportId?: string;
}

const moderationText: Record<string, string> = {
  dismiss: "A moderator looked at this and took no action",
  warn: "A moderator warned you",
  remove_speaker: "A moderator removed you from a stage",
  end_space: "A moderator ended your Space",
  limit_reach: "A moderator limited the reach of your content",
  suspend: "A moderator suspended your account",
  appeal_upheld: "Your appeal was decided: the decision stands",
  appeal_reversed: "Your appeal was decided: the decision is reversed",
  reversal: "A decision about you was reversed on appeal",
};

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
    case "statement":
      return `${moderationText[p.detail ?? ""] ?? "A moderation decision about you"}: read the statement of reasons`;
    case "report":
      return "Your report was decided: read the outcome";
    default:
      return title;
  }
}

function urlOf(entry: InboxEntry, p: NotificationPayload): string {
  if (entry.kind === "statement" && p.statementId) return `/statements/${p.statementId}`;
  if (entry.kind === "report" && p.reportId) return `/reports/${p.reportId}`;
  return entry.spaceId ? `/spaces/${entry.spaceId}` : "/notifications";
}

/** An inbox entry as the API shows it. */
export function toNotification(entry: InboxEntry): Notification {
  const p = entry.payload as NotificationPayload;
  return {
    id: entry.id,
    kind: entry.kind as NotificationKind,
    text: notificationText(entry.kind, p),
    url: urlOf(entry, p),
    space: entry.spaceId ? { id: entry.spaceId, title: p.title ?? "" } : null,
    actor: p.actorHandle
      ? { handle: p.actorHandle, displayName: p.actorName ?? p.actorHandle }
      : null,
    detail: p.detail ?? null,
    createdAt: entry.createdAt.toISOString(),
    readAt: entry.readAt?.toISOString() ?? null,
  };
}
