import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { Moderation } from "../../moderation/moderation.ts";
import {
  appealAnswerSchema,
  appealBodySchema,
  createdReportSchema,
  createReportBodySchema,
  receiptQuerySchema,
  reportAnswerSchema,
  reportListSchema,
  reportParamsSchema,
  statementAnswerSchema,
  statementListSchema,
  statementParamsSchema,
  transparencyQuerySchema,
  transparencyReportSchema,
} from "../api-schemas.ts";
import { requireAccount } from "../auth.ts";
import { errors } from "../route-helpers.ts";

/**
 * The public side of moderation: notices anyone sends (DSA Art. 16) and their receipts, the
 * statements of reasons people read (Art. 17) and appeal (Art. 20), the transparency report
 * (Art. 15/24). docs/api.md, "Moderation and the DSA".
 */
export async function reportRoutes(app: FastifyInstance, moderation: Moderation): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const isModerator = (accountId: string | null) => moderation.isModerator(accountId);

  api.post(
    "/api/reports",
    {
      schema: {
        tags: ["moderation"],
        summary: "Report a Space, a moment of one, a clip or an account (anyone)",
        body: createReportBodySchema,
        response: { 201: createdReportSchema, ...errors(400, 404, 413, 415, 429) },
      },
    },
    async (request, reply) => {
      const created = await moderation.notices.report(request.body, {
        accountId: request.account?.id ?? null,
        ip: request.ip,
      });
      reply.header("cache-control", "private, no-store");
      return reply.code(201).send(created);
    },
  );

  api.get(
    "/api/reports",
    {
      schema: {
        tags: ["moderation"],
        summary: "The notices you sent",
        response: { 200: reportListSchema, ...errors(401) },
      },
    },
    async (request, reply) => {
      const me = requireAccount(request);
      reply.header("cache-control", "private, no-store");
      return { reports: await moderation.notices.mine(me.id) };
    },
  );

  api.get(
    "/api/reports/:id",
    {
      schema: {
        tags: ["moderation"],
        summary:
          "A report's status and decision (its reporter, with the receipt token, or a moderator)",
        params: reportParamsSchema,
        querystring: receiptQuerySchema,
        response: { 200: reportAnswerSchema, ...errors(400, 404) },
      },
    },
    async (request, reply) => {
      const accountId = request.account?.id ?? null;
      reply.header("cache-control", "private, no-store");
      return {
        report: await moderation.notices.read(request.params.id, {
          accountId,
          token: request.query.token,
          moderator: await isModerator(accountId),
        }),
      };
    },
  );

  api.get(
    "/api/statements/:id",
    {
      schema: {
        tags: ["moderation"],
        summary: "A statement of reasons (the person it affects, the reporter, a moderator)",
        params: statementParamsSchema,
        querystring: receiptQuerySchema,
        response: { 200: statementAnswerSchema, ...errors(400, 404) },
      },
    },
    async (request, reply) => {
      const accountId = request.account?.id ?? null;
      reply.header("cache-control", "private, no-store");
      return moderation.statements.read(request.params.id, {
        accountId,
        token: request.query.token,
        moderator: await isModerator(accountId),
      });
    },
  );

  api.get(
    "/api/accounts/me/statements",
    {
      schema: {
        tags: ["moderation"],
        summary: "The statements of reasons about you",
        response: { 200: statementListSchema, ...errors(401) },
      },
    },
    async (request, reply) => {
      const me = requireAccount(request);
      reply.header("cache-control", "private, no-store");
      return { statements: await moderation.statements.mine(me.id) };
    },
  );

  api.post(
    "/api/statements/:id/appeal",
    {
      schema: {
        tags: ["moderation"],
        summary: "Appeal a decision (within six months)",
        params: statementParamsSchema,
        body: appealBodySchema,
        response: { 201: appealAnswerSchema, ...errors(400, 403, 404, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      const appeal = await moderation.appeals.appeal(
        request.params.id,
        { accountId: request.account?.id ?? null, token: request.body.token },
        request.body.explanation,
      );
      reply.header("cache-control", "private, no-store");
      return reply.code(201).send({ appeal });
    },
  );

  api.get(
    "/api/transparency",
    {
      schema: {
        tags: ["moderation"],
        summary: "The transparency report for a period (DSA Art. 15 and 24)",
        querystring: transparencyQuerySchema,
        response: { 200: transparencyReportSchema, ...errors(400) },
      },
    },
    async (request, reply) => {
      reply.header("cache-control", "public, max-age=60");
      return moderation.statements.transparency(request.query.from, request.query.to);
    },
  );
}
