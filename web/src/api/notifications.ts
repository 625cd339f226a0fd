import { apiRequest } from "./client";
import type {
  MarkReadInput,
  NotificationPage,
  NotificationPreferences,
  UpdatePreferencesInput,
} from "./types";

const enc = encodeURIComponent;

export const notificationsApi = {
  page: (cursor?: string) =>
    apiRequest<NotificationPage>(
      "GET",
      `/api/notifications${cursor ? `?cursor=${enc(cursor)}` : ""}`,
    ),
  markRead: (input: MarkReadInput) =>
    apiRequest<{ unread: number }>("POST", "/api/notifications/read", input),
  preferences: () => apiRequest<NotificationPreferences>("GET", "/api/notifications/preferences"),
  updatePreferences: (input: UpdatePreferencesInput) =>
    apiRequest<NotificationPreferences>("PUT", "/api/notifications/preferences", input),
  mute: (handle: string) =>
    apiRequest<{ muted: boolean }>("PUT", `/api/accounts/${enc(handle)}/mute`),
  unmute: (handle: string) =>
    apiRequest<{ muted: boolean }>("DELETE", `/api/accounts/${enc(handle)}/mute`),
  pushKey: () => apiRequest<{ publicKey: string }>("GET", "/api/push/key"),
  subscribe: (subscription: PushSubscriptionJSON) =>
    apiRequest<{ ok: true }>("POST", "/api/push/subscriptions", subscription),
  unsubscribe: (endpoint: string) =>
    apiRequest<{ ok: true }>("DELETE", "/api/push/subscriptions", { endpoint }),
};
