import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { TicketClaims } from "../../admission/ticket-signer.ts";
import type { StageActionName } from "../../domain/spaces/stage.ts";
import { AmphiError } from "../../errors/error-registry.ts";
import type { SpacesService } from "../../spaces/spaces-service.ts";
import {
  invitationBodySchema,
  myStandingSchema,
  okSchema,
  participantParamsSchema,
  reactionBodySchema,
  requestsSchema,
  spaceParamsSchema,
  spaceResponseSchema,
} from "../api-schemas.ts";
import { requireAccount } from "../auth.ts";
import { errors } from "../route-helpers.ts";

const meResponse = z.object({ me: myStandingSchema });
const stageErrors = errors(400, 401, 403, 404, 409);

/** Checks listener tickets (AdmissionService): the claims, or AMPHI_TICKET_INVALID. */
export interface ListenerTickets {
  verifyTicket(spaceId: string, ticket: string): Promise<TicketClaims>;
}

export async function stageRoutes(
  app: FastifyInstance,
  spaces: SpacesService,
  tickets: ListenerTickets,
): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    "/api/spaces/:id/requests",
    {
      schema: {
        tags: ["stage"],
        summary: "People asking to speak (host, co-hosts)",
        params: spaceParamsSchema,
        response: { 200: requestsSchema, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const me = requireAccount(request);
      reply.header("cache-control", "private, no-store");
      return { requests: await spaces.requests(request.params.id, me.id) };
    },
  );

  /** Actions a person takes on themselves: answered with their new standing. */
  const selfActions: [string, "POST" | "DELETE", StageActionName, string][] = [
    ["/api/spaces/:id/requests", "POST", "requestToSpeak", "Request to speak"],
    ["/api/spaces/:id/requests/me", "DELETE", "cancelRequest", "Withdraw your request to speak"],
    [
      "/api/spaces/:id/invitations/me/accept",
      "POST",
      "acceptInvitation",
      "Accept an invitation to the stage",
    ],
    [
      "/api/spaces/:id/invitations/me/decline",
      "POST",
      "declineInvitation",
      "Decline an invitation",
    ],
  ];
  for (const [url, method, action, summary] of selfActions) {
    api.route({
      method,
      url,
      schema: {
        tags: ["stage"],
        summary,
        params: spaceParamsSchema,
        response: { 200: meResponse, ...stageErrors },
      },
      handler: async (request) => {
        const me = requireAccount(request);
        await spaces.stageAction(request.params.id, me.id, action);
        return { me: await spaces.standing(request.params.id, me.id) };
      },
    });
  }

  for (const [verb, action] of [
    ["accept", "acceptRequest"],
    ["decline", "declineRequest"],
  ] as const) {
    api.post(
      `/api/spaces/:id/requests/:handle/${verb}`,
      {
        schema: {
          tags: ["stage"],
          summary: `${verb === "accept" ? "Accept" : "Decline"} a request to speak (host, co-hosts)`,
          params: participantParamsSchema,
          response: { 200: spaceResponseSchema, ...stageErrors },
        },
      },
      async (request) => {
        const me = requireAccount(request);
        const { id, handle } = request.params;
        return { space: await spaces.stageAction(id, me.id, action, handle) };
      },
    );
  }

  api.post(
    "/api/spaces/:id/invitations",
    {
      schema: {
        tags: ["stage"],
        summary: "Invite someone to speak or to co-host",
        params: spaceParamsSchema,
        body: invitationBodySchema,
        response: { 200: spaceResponseSchema, ...stageErrors },
      },
    },
    async (request) => {
      const me = requireAccount(request);
      const action = request.body.role === "cohost" ? "inviteCohost" : "inviteSpeaker";
      return {
        space: await spaces.stageAction(request.params.id, me.id, action, request.body.handle),
      };
    },
  );

  /**
   * Actions on a named participant. Naming yourself turns "move to listener" into leaving
   * the stage and "mute" into muting yourself; "unmute" is only ever your own.
   */
  const participantActions: [string, StageActionName | null, StageActionName | null, string][] = [
    [
      "listener",
      "moveToListener",
      "leaveStage",
      "Move to the audience (yourself: leave the stage)",
    ],
    ["mute", "mute", "muteSelf", "Mute a speaker (or yourself)"],
    ["unmute", null, "unmuteSelf", "Unmute yourself"],
    ["remove", "remove", null, "Remove from the Space; they cannot rejoin"],
  ];
  for (const [verb, onOther, onSelf, summary] of participantActions) {
    api.post(
      `/api/spaces/:id/participants/:handle/${verb}`,
      {
        schema: {
          tags: ["stage"],
          summary,
          params: participantParamsSchema,
          response: { 200: spaceResponseSchema, ...stageErrors },
        },
      },
      async (request) => {
        const me = requireAccount(request);
        const { id, handle } = request.params;
        const self = handle === me.handle;
        const action = self ? onSelf : onOther;
        if (!action) {
          throw new AmphiError("AMPHI_FORBIDDEN", {
            message: self
              ? "You cannot do this to yourself."
              : "Only the speaker can unmute themselves.",
          });
        }
        return { space: await spaces.stageAction(id, me.id, action, self ? undefined : handle) };
      },
    );
  }

  api.post(
    "/api/spaces/:id/reactions",
    {
      schema: {
        tags: ["stage"],
        summary:
          "React, logged in or with a listener ticket (rate-limited per person, or per ticket and address)",
        params: spaceParamsSchema,
        body: reactionBodySchema,
        response: { 202: okSchema, ...errors(400, 401, 403, 404, 409, 429) },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const { emoji, ticket } = request.body;
      const me = request.account;
      if (me) {
        await spaces.react(id, { kind: "account", id: me.id, handle: me.handle }, emoji);
      } else if (ticket !== undefined) {
        const claims = await tickets.verifyTicket(id, ticket);
        const { ticketId, accountId } = claims;
        await spaces.react(id, { kind: "listener", ticketId, accountId, ip: request.ip }, emoji);
      } else {
        throw new AmphiError("AMPHI_UNAUTHENTICATED", {
          message: "Log in, or listen (send your listener ticket), to react.",
        });
      }
      return reply.code(202).send({ ok: true as const });
    },
  );
}
