import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { AmphiError } from "../../errors/error-registry.ts";
import { toDsaCsv } from "../../moderation/dsa-export.ts";
import type { Moderation } from "../../moderation/moderation.ts";
import {
  appealDecisionAnswerSchema,
  appealDecisionBodySchema,
  appealParamsSchema,
  appealQueueQuerySchema,
  appealQueueSchema,
  decisionAnswerSchema,
  decisionBodySchema,
  dsaExportQuerySchema,
  dsaExportSchema,
  moderationQueueQuerySchema,
  moderationQueueSchema,
  moderationReportAnswerSchema,
  reportParamsSchema,
} from "../api-schemas.ts";
import { requireAccount } from "../auth.ts";
import { errors } from "../route-helpers.ts";

/**
 * The moderators' API (moderators and admins; 403 AMPHI_MODERATOR_ONLY for anyone else): the
 * queue, one notice with how to play it, decisions, appeals, the DSA export.
 */
export async function moderationRoutes(
  app: FastifyInstance,
  moderation: Moderation,
): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const moderator = async (request: FastifyRequest): Promise<string> => {
    const me = requireAccount(request);
    if (!(await moderation.isModerator(me.id))) throw new AmphiError("AMPHI_MODERATOR_ONLY");
    return me.id;
  };

  api.get(
    "/api/moderation/reports",
    {
      schema: {
        tags: ["moderation"],
        summary: "The queue: trusted flaggers' notices first, then oldest first",
        querystring: moderationQueueQuerySchema,
        response: { 200: moderationQueueSchema, ...errors(400, 401, 403) },
      },
    },
    async (request, reply) => {
      await moderator(request);
      reply.header("cache-control", "private, no-store");
      return {
        reports: await moderation.notices.queue(request.query.status, request.query.limit),
      };
    },
  );

  api.get(
    "/api/moderation/reports/:id",
    {
      schema: {
        tags: ["moderation"],
        summary: "One notice, what it is about now, and how to play the reported moment",
        params: reportParamsSchema,
        response: { 200: moderationReportAnswerSchema, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await moderator(request);
      reply.header("cache-control", "private, no-store");
      return { report: await moderation.notices.forModerator(request.params.id) };
    },
  );

  api.post(
    "/api/moderation/reports/:id/decision",
    {
      schema: {
        tags: ["moderation"],
        summary: "Decide a notice; every decision gets a statement of reasons",
        params: reportParamsSchema,
        body: decisionBodySchema,
        response: { 200: decisionAnswerSchema, ...errors(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      const me = await moderator(request);
      reply.header("cache-control", "private, no-store");
      return moderation.decisions.decide(request.params.id, me, request.body);
    },
  );

  api.get(
    "/api/moderation/appeals",
    {
      schema: {
        tags: ["moderation"],
        summary: "Appeals: pending ones oldest first",
        querystring: appealQueueQuerySchema,
        response: { 200: appealQueueSchema, ...errors(400, 401, 403) },
      },
    },
    async (request, reply) => {
      await moderator(request);
      reply.header("cache-control", "private, no-store");
      return {
        appeals: await moderation.appeals.queue(request.query.status, request.query.limit),
      };
    },
  );

  api.post(
    "/api/moderation/appeals/:id/decision",
    {
      schema: {
        tags: ["moderation"],
        summary: "Uphold or reverse a decision (not the moderator who made it)",
        params: appealParamsSchema,
        body: appealDecisionBodySchema,
        response: {
          200: appealDecisionAnswerSchema,
          ...errors(400, 401, 403, 404, 409, 413, 415),
        },
      },
    },
    async (request, reply) => {
      const me = await moderator(request);
      reply.header("cache-control", "private, no-store");
      return moderation.appeals.decide(request.params.id, me, request.body);
    },
  );

  api.get(
    "/api/moderation/statements/export",
    {
      schema: {
        tags: ["moderation"],
        summary:
          "Restrictive statements of a period for the DSA Transparency Database (JSON or CSV)",
        querystring: dsaExportQuerySchema,
        response: { 200: dsaExportSchema, ...errors(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const me = await moderator(request);
      const { format } = request.query;
      const to = request.query.to ?? new Date().toISOString();
      const from =
        request.query.from ?? new Date(new Date(to).getTime() - 30 * 86_400_000).toISOString();
      const statements = await moderation.statements.export(from, to, format, me);
      reply.header("cache-control", "private, no-store");
      if (format === "csv") {
        // Text, not the JSON schema: sent as is.
        return (reply as unknown as FastifyReply)
          .type("text/csv; charset=utf-8")
          .header("content-disposition", 'attachment; filename="statements.csv"')
          .serializer((payload) => payload as string)
          .send(toDsaCsv(statements));
      }
      return { statements };
    },
  );
}
