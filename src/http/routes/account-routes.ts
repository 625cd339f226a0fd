import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AccountsService, Profile } from "../../accounts/accounts-service.ts";
import {
  accountSchema,
  handleParamsSchema,
  logInBodySchema,
  okSchema,
  profileSchema,
  sessionResponseSchema,
  signUpBodySchema,
  updateProfileBodySchema,
} from "../api-schemas.ts";
import { clearSessionCookie, requireAccount, setSessionCookie } from "../auth.ts";
import { accountJson, errors } from "../route-helpers.ts";

export interface AccountRouteDeps {
  accounts: AccountsService;
  secureCookies: boolean;
}

function profileJson(profile: Profile) {
  return {
    ...accountJson(profile),
    followers: profile.followers,
    following: profile.following,
    viewerFollows: profile.viewerFollows,
  };
}

export async function accountRoutes(app: FastifyInstance, deps: AccountRouteDeps): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { accounts } = deps;

  api.post(
    "/api/accounts",
    {
      schema: {
        tags: ["accounts"],
        summary: "Sign up",
        body: signUpBodySchema,
        response: { 201: sessionResponseSchema, ...errors(400, 409, 413, 415, 429) },
      },
    },
    async (request, reply) => {
      const grant = await accounts.signUp({ ...request.body, ip: request.ip });
      setSessionCookie(reply, grant, deps.secureCookies);
      reply.header("cache-control", "no-store");
      return reply.code(201).send({ account: accountJson(grant.account), token: grant.token });
    },
  );

  api.post(
    "/api/sessions",
    {
      schema: {
        tags: ["accounts"],
        summary: "Log in",
        body: logInBodySchema,
        response: { 200: sessionResponseSchema, ...errors(400, 401, 429) },
      },
    },
    async (request, reply) => {
      const grant = await accounts.logIn({ ...request.body, ip: request.ip });
      setSessionCookie(reply, grant, deps.secureCookies);
      reply.header("cache-control", "no-store");
      return { account: accountJson(grant.account), token: grant.token };
    },
  );

  // The web app's first question on every page load: who is this? "Nobody" is an answer, not
  // an error, so a logged-out visitor's console stays free of 401s.
  api.get(
    "/api/sessions/current",
    {
      schema: {
        tags: ["accounts"],
        summary: "Who is logged in: the account, or null for nobody",
        response: { 200: z.object({ account: accountSchema.nullable() }) },
      },
    },
    async (request, reply) => {
      reply.header("cache-control", "private, no-store");
      return { account: request.account ? accountJson(request.account) : null };
    },
  );

  api.delete(
    "/api/sessions/current",
    {
      schema: {
        tags: ["accounts"],
        summary: "Log out",
        response: { 200: okSchema, ...errors(401) },
      },
    },
    async (request, reply) => {
      requireAccount(request);
      if (request.sessionToken) await accounts.logOut(request.sessionToken);
      clearSessionCookie(reply, deps.secureCookies);
      return { ok: true as const };
    },
  );

  api.get(
    "/api/accounts/me",
    {
      schema: {
        tags: ["accounts"],
        summary: "The logged-in account",
        response: { 200: z.object({ account: accountSchema }), ...errors(401) },
      },
    },
    async (request, reply) => {
      reply.header("cache-control", "private, no-store");
      return { account: accountJson(requireAccount(request)) };
    },
  );

  api.patch(
    "/api/accounts/me",
    {
      schema: {
        tags: ["accounts"],
        summary: "Edit your profile",
        body: updateProfileBodySchema,
        response: { 200: z.object({ account: accountSchema }), ...errors(400, 401) },
      },
    },
    async (request) => {
      const me = requireAccount(request);
      return { account: accountJson(await accounts.updateProfile(me.id, request.body)) };
    },
  );

  api.get(
    "/api/accounts/:handle",
    {
      schema: {
        tags: ["accounts"],
        summary: "A profile",
        params: handleParamsSchema,
        response: { 200: z.object({ profile: profileSchema }), ...errors(400, 404) },
      },
    },
    async (request, reply) => {
      reply.header("cache-control", "private, max-age=0, must-revalidate");
      const profile = await accounts.profile(request.params.handle, request.account?.id ?? null);
      return { profile: profileJson(profile) };
    },
  );

  for (const [method, follow] of [
    ["PUT", true],
    ["DELETE", false],
  ] as const) {
    api.route({
      method,
      url: "/api/accounts/:handle/follow",
      schema: {
        tags: ["accounts"],
        summary: follow ? "Follow" : "Unfollow",
        params: handleParamsSchema,
        response: { 200: z.object({ profile: profileSchema }), ...errors(400, 401, 404, 409) },
      },
      handler: async (request) => {
        const me = requireAccount(request);
        const profile = await accounts.setFollowing(me.id, request.params.handle, follow);
        return { profile: profileJson(profile) };
      },
    });
  }
}
