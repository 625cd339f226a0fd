import type { FastifyInstance } from "fastify";
import type { AccountsService } from "../../accounts/accounts-service.ts";
import { isFinished } from "../../domain/spaces/space-lifecycle.ts";
import { AmphiError } from "../../errors/error-registry.ts";
import type { LiveHub } from "../../live/live-hub.ts";
import type { SpacesService } from "../../spaces/spaces-service.ts";
import { spaceParamsSchema } from "../api-schemas.ts";

export interface LiveRouteDeps {
  hub: LiveHub;
  spaces: SpacesService;
  accounts: AccountsService;
}

/**
 * `GET /api/spaces/:id/live` upgrades to a WebSocket of live pushes for logged-in people
 * (cookie, bearer header, or `?token=` for clients that cannot set headers). Refusals
 * happen before the upgrade, as ordinary JSON errors.
 */
export async function liveRoutes(app: FastifyInstance, deps: LiveRouteDeps): Promise<void> {
  app.get(
    "/api/spaces/:id/live",
    {
      websocket: true,
      schema: { hide: true },
      preHandler: async (request) => {
        const params = spaceParamsSchema.safeParse(request.params);
        if (!params.success) throw new AmphiError("AMPHI_SPACE_NOT_FOUND");
        if (!request.account) {
          const token = (request.query as { token?: unknown }).token;
          if (typeof token === "string") request.account = await deps.accounts.authenticate(token);
        }
        if (!request.account) throw new AmphiError("AMPHI_UNAUTHENTICATED");
        const snapshot = await deps.spaces.snapshot(params.data.id);
        if (isFinished(snapshot.space.state)) {
          throw new AmphiError("AMPHI_SPACE_NOT_LIVE", {
            message: `The Space is ${snapshot.space.state}.`,
          });
        }
        const standing = await deps.spaces.standingIn(snapshot, request.account.id);
        if (standing.standing === "removed") throw new AmphiError("AMPHI_REMOVED_FROM_SPACE");
      },
    },
    async (socket, request) => {
      const { id } = request.params as { id: string };
      const account = request.account;
      if (!account) return socket.close(4401, "unauthenticated");
      try {
        await deps.hub.connect(id, account.id, socket);
      } catch (error) {
        request.log.warn({ err: error }, "live: connection failed");
        socket.close(1011, "could not load the Space");
      }
    },
  );
}
