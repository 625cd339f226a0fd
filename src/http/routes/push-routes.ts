import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { Notifications } from "../../notifications/notifications.ts";
import {
  okSchema,
  pushEndpointBodySchema,
  pushKeySchema,
  pushSubscriptionBodySchema,
} from "../api-schemas.ts";
import { requireAccount } from "../auth.ts";
import { errors } from "../route-helpers.ts";

/** Web Push: the server's VAPID public key and the browsers' subscriptions. */
export async function pushRoutes(
  app: FastifyInstance,
  notifications: Notifications,
): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { service, push } = notifications;

  api.get(
    "/api/push/key",
    {
      schema: {
        tags: ["notifications"],
        summary: "The VAPID public key (applicationServerKey for pushManager.subscribe)",
        response: { 200: pushKeySchema },
      },
    },
    async (_request, reply) => {
      reply.header("cache-control", "public, max-age=3600");
      return { publicKey: push.publicKey };
    },
  );

  api.post(
    "/api/push/subscriptions",
    {
      schema: {
        tags: ["notifications"],
        summary: "Subscribe this browser (its PushSubscription JSON)",
        body: pushSubscriptionBodySchema,
        response: { 201: okSchema, ...errors(400, 401) },
      },
    },
    async (request, reply) => {
      await service.subscribe(requireAccount(request).id, request.body);
      return reply.code(201).send({ ok: true as const });
    },
  );

  api.delete(
    "/api/push/subscriptions",
    {
      schema: {
        tags: ["notifications"],
        summary: "Unsubscribe a browser, by its endpoint",
        body: pushEndpointBodySchema,
        response: { 200: okSchema, ...errors(400, 401) },
      },
    },
    async (request) => {
      await service.unsubscribe(requireAccount(request).id, request.body.endpoint);
      return { ok: true as const };
    },
  );
}
