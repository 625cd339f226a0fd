import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { WebhooksService } from "../../webhooks/webhooks-service.ts";
import {
  createdWebhookEndpointSchema,
  createWebhookBodySchema,
  okSchema,
  webhookDeliverySchema,
  webhookEndpointSchema,
} from "../api-schemas.ts";
import { requireAccount } from "../auth.ts";
import { errors } from "../route-helpers.ts";

const webhookParamsSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, "not a webhook id"),
});

/** A host's signed outgoing webhooks (docs/api.md, "Webhooks"); private to their owner. */
export async function webhookRoutes(
  app: FastifyInstance,
  webhooks: WebhooksService,
): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  app.addHook("onSend", (_request, reply, _payload, done) => {
    reply.header("cache-control", "private, no-store");
    done();
  });

  api.post(
    "/api/webhooks",
    {
      schema: {
        tags: ["webhooks"],
        summary: "Add a webhook endpoint; the answer carries its signing secret, shown once",
        body: createWebhookBodySchema,
        response: {
          201: z.object({ webhook: createdWebhookEndpointSchema }),
          ...errors(400, 401, 409, 413, 415, 429),
        },
      },
    },
    async (request, reply) => {
      const me = requireAccount(request);
      const webhook = await webhooks.create(me.id, request.body);
      return reply.code(201).header("location", `/api/webhooks/${webhook.id}`).send({ webhook });
    },
  );

  api.get(
    "/api/webhooks",
    {
      schema: {
        tags: ["webhooks"],
        summary: "Your webhook endpoints and their health (no secrets)",
        response: { 200: z.object({ webhooks: z.array(webhookEndpointSchema) }), ...errors(401) },
      },
    },
    async (request) => ({ webhooks: await webhooks.list(requireAccount(request).id) }),
  );

  api.delete(
    "/api/webhooks/:id",
    {
      schema: {
        tags: ["webhooks"],
        summary: "Delete a webhook endpoint; nothing more is sent to it",
        params: webhookParamsSchema,
        response: { 200: okSchema, ...errors(400, 401, 404, 429) },
      },
    },
    async (request) => {
      await webhooks.remove(requireAccount(request).id, request.params.id);
      return { ok: true as const };
    },
  );

  api.post(
    "/api/webhooks/:id/test",
    {
      schema: {
        tags: ["webhooks"],
        summary: "Send a webhook.test message now; answers its first attempt",
        params: webhookParamsSchema,
        response: {
          200: z.object({ delivery: webhookDeliverySchema }),
          ...errors(400, 401, 404, 429),
        },
      },
    },
    async (request) => ({
      delivery: await webhooks.sendTest(requireAccount(request).id, request.params.id),
    }),
  );

  api.get(
    "/api/webhooks/:id/deliveries",
    {
      schema: {
        tags: ["webhooks"],
        summary: "The endpoint's delivery log, newest attempt first",
        params: webhookParamsSchema,
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
        response: {
          200: z.object({ deliveries: z.array(webhookDeliverySchema) }),
          ...errors(400, 401, 404),
        },
      },
    },
    async (request) => ({
      deliveries: await webhooks.deliveries(
        requireAccount(request).id,
        request.params.id,
        request.query.limit,
      ),
    }),
  );
}
