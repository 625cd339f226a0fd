import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { RemindersService } from "../../reminders/reminders-service.ts";
import {
  audienceForecastSchema,
  reminderAnswerSchema,
  reminderBodySchema,
  spaceParamsSchema,
} from "../api-schemas.ts";
import { requireAccount } from "../auth.ts";
import { errors } from "../route-helpers.ts";

/** My reminder of a scheduled Space, and the host's audience forecast. Private, never cached. */
export async function reminderRoutes(
  app: FastifyInstance,
  reminders: RemindersService,
): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    "/api/spaces/:id/reminder",
    {
      schema: {
        tags: ["reminders"],
        summary: "Your reminder of the Space, or null",
        params: spaceParamsSchema,
        response: { 200: reminderAnswerSchema, ...errors(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const me = requireAccount(request);
      reply.header("cache-control", "private, no-store");
      return { reminder: await reminders.mine(request.params.id, me.id) };
    },
  );

  api.put(
    "/api/spaces/:id/reminder",
    {
      schema: {
        tags: ["reminders"],
        summary: "Set or change your reminder of a scheduled Space (moments left out are on)",
        params: spaceParamsSchema,
        body: reminderBodySchema.nullish(),
        response: { 200: reminderAnswerSchema, ...errors(400, 401, 404, 409, 429) },
      },
    },
    async (request, reply) => {
      const me = requireAccount(request);
      reply.header("cache-control", "private, no-store");
      return { reminder: await reminders.set(request.params.id, me.id, request.body) };
    },
  );

  api.delete(
    "/api/spaces/:id/reminder",
    {
      schema: {
        tags: ["reminders"],
        summary: "Remove your reminder of a scheduled Space",
        params: spaceParamsSchema,
        response: { 200: reminderAnswerSchema, ...errors(400, 401, 404, 409, 429) },
      },
    },
    async (request, reply) => {
      const me = requireAccount(request);
      await reminders.remove(request.params.id, me.id);
      reply.header("cache-control", "private, no-store");
      return { reminder: null };
    },
  );

  api.get(
    "/api/spaces/:id/audience-forecast",
    {
      schema: {
        tags: ["reminders"],
        summary: "Reminders and followers next to the admission capacity (host only)",
        params: spaceParamsSchema,
        response: { 200: audienceForecastSchema, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const me = requireAccount(request);
      reply.header("cache-control", "private, no-store");
      return reminders.forecast(request.params.id, me.id);
    },
  );
}
