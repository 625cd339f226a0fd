import type { AccountRange } from "./fan-out-repository.ts";

/** What the nodes of a fleet tell each other about notifications (bus "notifications"). */
export interface NotificationEvents {
  /**
   * Entries with this key were delivered to these people (a range of account ids, or a list):
   * every node toasts those of them it holds a socket for, outside their quiet hours.
   */
  delivered: { dedupeKey: string; range?: AccountRange; accountIds?: string[] };
}
