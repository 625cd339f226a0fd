import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { AdmissionService } from "../../admission/admission-service.ts";
import {
  heartbeatBodySchema,
  heartbeatSchema,
  queueAnswerSchema,
  spaceParamsSchema,
  ticketBodySchema,
  ticketSchema,
} from "../api-schemas.ts";
import { errors } from "../route-helpers.ts";

/**
 * Answers on the join path leave as plain `JSON.stringify`, not through the zod serializer.
 * They are built here, in AdmissionService and (errors) by the error handler from typed
 * values, so re-checking each one against its schema (what the zod serializer does before
 * stringifying: ~3 µs a ticket, four times the stringify itself) found nothing the type
 * checker had not. The schemas (src/contracts/listening-contracts.ts) still document the
 * routes (OpenAPI), and
 * test/integration/tickets.test.ts checks real answers against them. Requests are still
 * validated by zod: a bad body answers 400 AMPHI_VALIDATION_FAILED as everywhere else.
 */
const ownAnswers = () => (data: unknown) => JSON.stringify(data);

/**
 * Joining: a ticket now, or a place in line. Runs from memory (no database), never cached.
 * Sessions that cannot be checked (database down) count as anonymous here.
 */
export async function ticketRoutes(app: FastifyInstance, admission: AdmissionService) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(
    "/api/spaces/:id/tickets",
    {
      config: { anonymousIfAuthFails: true },
      serializerCompiler: ownAnswers,
      schema: {
        tags: ["listening"],
        summary: "Join as a listener: a ticket, or a place in line",
        params: spaceParamsSchema,
        body: ticketBodySchema,
        response: {
          200: ticketSchema,
          202: queueAnswerSchema,
          ...errors(400, 401, 404, 409, 413, 415, 428, 429, 503),
        },
      },
    },
    async (request, reply) => {
      reply.header("cache-control", "private, no-store");
      const answer = await admission.requestTicket({
        spaceId: request.params.id,
        accountId: request.account?.id ?? null,
        ip: request.ip,
        queueToken: request.body?.queueToken,
        altcha: request.body?.altcha,
      });
      if (answer.kind === "ticket") {
        const { kind: _kind, ...ticket } = answer;
        return reply.code(200).send(ticket);
      }
      return reply
        .code(202)
        .header("retry-after", String(answer.retryAfter))
        .send({ queue: answer.queue, retryAfter: answer.retryAfter });
    },
  );

  api.post(
    "/api/spaces/:id/heartbeat",
    {
      config: { anonymousIfAuthFails: true },
      serializerCompiler: ownAnswers,
      schema: {
        tags: ["listening"],
        summary: "I am still listening (every heartbeatSeconds); renews the ticket",
        params: spaceParamsSchema,
        body: heartbeatBodySchema,
        response: { 200: heartbeatSchema, ...errors(400, 401, 404, 409, 413, 415, 429, 503) },
      },
    },
    async (request, reply) => {
      reply.header("cache-control", "private, no-store");
      return admission.heartbeat(request.params.id, request.body.ticket);
    },
  );
}
