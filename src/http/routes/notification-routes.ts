import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { AccountsService } from "../../accounts/accounts-service.ts";
import { AmphiError } from "../../errors/error-registry.ts";
import type { Notifications } from "../../notifications/notifications.ts";
import type { SpacesService } from "../../spaces/spaces-service.ts";
import {
  handleParamsSchema,
  markReadBodySchema,
  muteSchema,
  notificationForecastSchema,
  notificationListQuerySchema,
  notificationPageSchema,
  notificationPreferencesSchema,
  spaceParamsSchema,
  unreadSchema,
  updatePreferencesBodySchema,
} from "../api-schemas.ts";
import { requireAccount } from "../auth.ts";
import { errors } from "../route-helpers.ts";

export interface NotificationRouteDeps {
  notifications: Notifications;
  accounts: AccountsService;
  spaces: SpacesService;
}

/** The inbox, preferences, muted hosts, the go-live forecast and the toast socket. */
export async function notificationRoutes(
  app: FastifyInstance,
  deps: NotificationRouteDeps,
): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { service, sockets } = deps.notifications;

  api.get(
    "/api/notifications",
    {
      schema: {
        tags: ["notifications"],
        summary: "Your notifications, newest first, with the unread count",
        querystring: notificationListQuerySchema,
        response: { 200: notificationPageSchema, ...errors(400, 401) },
      },
    },
    async (request, reply) => {
      const me = requireAccount(request);
      reply.header("cache-control", "private, no-store");
      return service.page(me.id, request.query.cursor, request.query.limit);
    },
  );

  api.post(
    "/api/notifications/read",
    {
      schema: {
        tags: ["notifications"],
        summary: "Mark notifications read: {ids} or {all: true}",
        body: markReadBodySchema,
        response: { 200: unreadSchema, ...errors(400, 401) },
      },
    },
    async (request) => service.markRead(requireAccount(request).id, request.body),
  );

  api.get(
    "/api/notifications/preferences",
    {
      schema: {
        tags: ["notifications"],
        summary: "Your notification preferences and muted hosts",
        response: { 200: notificationPreferencesSchema, ...errors(401) },
      },
    },
    async (request, reply) => {
      reply.header("cache-control", "private, no-store");
      return service.preferences(requireAccount(request).id);
    },
  );

  api.put(
    "/api/notifications/preferences",
    {
      schema: {
        tags: ["notifications"],
        summary: "Change push on/off and quiet hours",
        body: updatePreferencesBodySchema,
        response: { 200: notificationPreferencesSchema, ...errors(400, 401) },
      },
    },
    async (request) => service.updatePreferences(requireAccount(request).id, request.body),
  );

  for (const [method, muted] of [
    ["PUT", true],
    ["DELETE", false],
  ] as const) {
    api.route({
      method,
      url: "/api/accounts/:handle/mute",
      schema: {
        tags: ["notifications"],
        summary: muted ? "Mute notifications from a host" : "Unmute a host",
        params: handleParamsSchema,
        response: { 200: muteSchema, ...errors(400, 401, 404, 409) },
      },
      handler: async (request) =>
        service.setMuted(requireAccount(request).id, request.params.handle, muted),
    });
  }

  api.get(
    "/api/spaces/:id/notification-forecast",
    {
      schema: {
        tags: ["notifications"],
        summary: "What telling the followers does to the join path (hosts and co-hosts)",
        params: spaceParamsSchema,
        response: { 200: notificationForecastSchema, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const me = requireAccount(request);
      const snapshot = await deps.spaces.snapshot(request.params.id);
      const role = snapshot.participants.get(me.id);
      if (!role || role.removed || (role.role !== "host" && role.role !== "cohost")) {
        throw new AmphiError("AMPHI_FORBIDDEN");
      }
      reply.header("cache-control", "private, no-store");
      return service.forecast(snapshot.space.id, snapshot.space.hostId);
    },
  );

  // The logged-in person's own socket: `{type: "notification", notification}` toasts.
  app.get(
    "/api/notifications/live",
    {
      websocket: true,
      schema: { hide: true },
      preHandler: async (request) => {
        if (!request.account) {
          const token = (request.query as { token?: unknown }).token;
          if (typeof token === "string") request.account = await deps.accounts.authenticate(token);
        }
        if (!request.account) throw new AmphiError("AMPHI_UNAUTHENTICATED");
      },
    },
    (socket, request) => {
      const account = request.account;
      if (!account) return socket.close(4401, "unauthenticated");
      sockets.connect(account.id, socket);
    },
  );
}
