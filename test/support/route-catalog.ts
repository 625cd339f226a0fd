/**
 * Every public API route with a valid example request, written against the OpenAPI paths.
 * The authorization matrix and the input fuzz test both walk this list, and a test checks
 * it names every route of /api/openapi.json, so a new route cannot escape them.
 */
export interface RouteCase {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** OpenAPI-style path, e.g. /api/spaces/{id}/requests/{handle}/accept */
  path: string;
  /** A valid body, or undefined for routes without one. */
  body?: Record<string, unknown>;
  /** The routes' path parameters, by name, filled from the fixture. */
  params: ("id" | "handle" | "clipId")[];
}

export const routeCatalog: RouteCase[] = [
  {
    method: "POST",
    path: "/api/accounts",
    body: { handle: "x", displayName: "X", password: "pw" },
    params: [],
  },
  { method: "POST", path: "/api/sessions", body: { handle: "x", password: "pw" }, params: [] },
  { method: "GET", path: "/api/sessions/current", params: [] },
  { method: "DELETE", path: "/api/sessions/current", params: [] },
  { method: "GET", path: "/api/sessions", params: [] },
  { method: "DELETE", path: "/api/sessions", params: [] },
  { method: "DELETE", path: "/api/sessions/{id}", params: ["id"] },
  {
    method: "POST",
    path: "/api/accounts/me/password",
    body: { currentPassword: "pw", newPassword: "a new password" },
    params: [],
  },
  { method: "GET", path: "/api/accounts/me", params: [] },
  { method: "PATCH", path: "/api/accounts/me", body: { bio: "Hello" }, params: [] },
  { method: "GET", path: "/api/accounts/{handle}", params: ["handle"] },
  { method: "PUT", path: "/api/accounts/{handle}/follow", params: ["handle"] },
  { method: "DELETE", path: "/api/accounts/{handle}/follow", params: ["handle"] },
  { method: "GET", path: "/api/accounts/me/blocks", params: [] },
  { method: "PUT", path: "/api/accounts/me/blocks/{handle}", params: ["handle"] },
  { method: "DELETE", path: "/api/accounts/me/blocks/{handle}", params: ["handle"] },
  { method: "POST", path: "/api/spaces", body: { title: "A Space" }, params: [] },
  { method: "GET", path: "/api/spaces", params: [] },
  { method: "GET", path: "/api/spaces/{id}", params: ["id"] },
  { method: "GET", path: "/api/spaces/{id}/me", params: ["id"] },
  { method: "POST", path: "/api/spaces/{id}/start", params: ["id"] },
  { method: "POST", path: "/api/spaces/{id}/end", params: ["id"] },
  { method: "POST", path: "/api/spaces/{id}/cancel", params: ["id"] },
  { method: "GET", path: "/api/spaces/{id}/requests", params: ["id"] },
  { method: "POST", path: "/api/spaces/{id}/requests", params: ["id"] },
  { method: "DELETE", path: "/api/spaces/{id}/requests/me", params: ["id"] },
  { method: "POST", path: "/api/spaces/{id}/requests/{handle}/accept", params: ["id", "handle"] },
  { method: "POST", path: "/api/spaces/{id}/requests/{handle}/decline", params: ["id", "handle"] },
  {
    method: "POST",
    path: "/api/spaces/{id}/invitations",
    body: { handle: "x", role: "speaker" },
    params: ["id"],
  },
  { method: "POST", path: "/api/spaces/{id}/invitations/me/accept", params: ["id"] },
  { method: "POST", path: "/api/spaces/{id}/invitations/me/decline", params: ["id"] },
  {
    method: "POST",
    path: "/api/spaces/{id}/participants/{handle}/listener",
    params: ["id", "handle"],
  },
  { method: "POST", path: "/api/spaces/{id}/participants/{handle}/mute", params: ["id", "handle"] },
  {
    method: "POST",
    path: "/api/spaces/{id}/participants/{handle}/unmute",
    params: ["id", "handle"],
  },
  {
    method: "POST",
    path: "/api/spaces/{id}/participants/{handle}/remove",
    params: ["id", "handle"],
  },
  { method: "POST", path: "/api/spaces/{id}/reactions", body: { emoji: "🔥" }, params: ["id"] },
  { method: "GET", path: "/api/spaces/{id}/recording", params: ["id"] },
  { method: "DELETE", path: "/api/spaces/{id}/recording", params: ["id"] },
  {
    method: "POST",
    path: "/api/spaces/{id}/clips",
    body: { startSeconds: 0, endSeconds: 10 },
    params: ["id"],
  },
  { method: "GET", path: "/api/clips/{clipId}", params: ["clipId"] },
  { method: "DELETE", path: "/api/clips/{clipId}", params: ["clipId"] },
  { method: "POST", path: "/api/spaces/{id}/tickets", body: {}, params: ["id"] },
  {
    method: "POST",
    path: "/api/spaces/{id}/heartbeat",
    body: { ticket: "not-a-ticket" },
    params: ["id"],
  },
  { method: "GET", path: "/api/spaces/{id}/challenge", params: ["id"] },
  { method: "GET", path: "/api/notifications", params: [] },
  { method: "POST", path: "/api/notifications/read", body: { all: true }, params: [] },
  { method: "GET", path: "/api/notifications/preferences", params: [] },
  { method: "PUT", path: "/api/notifications/preferences", body: { push: false }, params: [] },
  { method: "PUT", path: "/api/accounts/{handle}/mute", params: ["handle"] },
  { method: "DELETE", path: "/api/accounts/{handle}/mute", params: ["handle"] },
  { method: "GET", path: "/api/spaces/{id}/notification-forecast", params: ["id"] },
  { method: "GET", path: "/api/push/key", params: [] },
  {
    method: "POST",
    path: "/api/push/subscriptions",
    body: {
      endpoint: "https://push.example.com/send/abc",
      keys: {
        p256dh:
          "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM",
        auth: "tBHItJI5svbpez7KI4CCXg",
      },
    },
    params: [],
  },
  {
    method: "DELETE",
    path: "/api/push/subscriptions",
    body: { endpoint: "https://push.example.com/send/abc" },
    params: [],
  },
  {
    method: "POST",
    path: "/api/webhooks",
    body: { url: "https://203.0.114.1/hook", events: ["recording.ready"] },
    params: [],
  },
  { method: "GET", path: "/api/webhooks", params: [] },
  { method: "DELETE", path: "/api/webhooks/{id}", params: ["id"] },
  { method: "POST", path: "/api/webhooks/{id}/test", params: ["id"] },
  { method: "GET", path: "/api/webhooks/{id}/deliveries", params: ["id"] },
  { method: "GET", path: "/api/spaces/{id}/reminder", params: ["id"] },
  {
    method: "PUT",
    path: "/api/spaces/{id}/reminder",
    body: { at24h: true, at1h: false, atStart: true },
    params: ["id"],
  },
  { method: "DELETE", path: "/api/spaces/{id}/reminder", params: ["id"] },
  { method: "GET", path: "/api/spaces/{id}/audience-forecast", params: ["id"] },
  { method: "GET", path: "/api/discovery/home", params: [] },
  { method: "GET", path: "/api/discovery/live", params: [] },
  { method: "GET", path: "/api/discovery/explore", params: [] },
  { method: "GET", path: "/api/search", params: [] },
  { method: "GET", path: "/api/accounts/{handle}/spaces", params: ["handle"] },
  { method: "GET", path: "/api/accounts/{handle}/clips", params: ["handle"] },
  {
    method: "POST",
    path: "/api/reports",
    body: {
      target: { type: "space", id: "x" },
      category: "TERMS_SPAM",
      explanation: "Spam",
      goodFaith: true,
    },
    params: [],
  },
  { method: "GET", path: "/api/reports", params: [] },
  { method: "GET", path: "/api/reports/{id}", params: ["id"] },
  { method: "GET", path: "/api/statements/{id}", params: ["id"] },
  { method: "GET", path: "/api/accounts/me/statements", params: [] },
  {
    method: "POST",
    path: "/api/statements/{id}/appeal",
    body: { explanation: "Please look again" },
    params: ["id"],
  },
  { method: "GET", path: "/api/transparency", params: [] },
  { method: "GET", path: "/api/moderation/reports", params: [] },
  { method: "GET", path: "/api/moderation/reports/{id}", params: ["id"] },
  {
    method: "POST",
    path: "/api/moderation/reports/{id}/decision",
    body: { action: "dismiss", explanation: "Not illegal" },
    params: ["id"],
  },
  { method: "GET", path: "/api/moderation/appeals", params: [] },
  {
    method: "POST",
    path: "/api/moderation/appeals/{id}/decision",
    body: { outcome: "upheld", explanation: "It stands" },
    params: ["id"],
  },
  { method: "GET", path: "/api/moderation/statements/export", params: [] },
  { method: "GET", path: "/api/admin/attack-mode", params: [] },
  { method: "PUT", path: "/api/admin/attack-mode", body: { mode: "auto" }, params: [] },
];

export function fillPath(
  path: string,
  values: { id?: string; handle?: string; clipId?: string },
): string {
  return path
    .replace("{id}", encodeURIComponent(values.id ?? ""))
    .replace("{clipId}", encodeURIComponent(values.clipId ?? values.id ?? ""))
    .replace("{handle}", encodeURIComponent(values.handle ?? ""));
}

export function routeKey(r: { method: string; path: string }): string {
  return `${r.method} ${r.path}`;
}
