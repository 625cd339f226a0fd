import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AccountsService, Profile } from "../../accounts/accounts-service.ts";
import { isRole } from "../../moderation/roles.ts";
import {
  accountSchema,
  changePasswordBodySchema,
  changePasswordResponseSchema,
  endAllSessionsResponseSchema,
  endSessionResponseSchema,
  handleParamsSchema,
  logInBodySchema,
  myAccountAnswerSchema,
  okSchema,
  profileSchema,
  sessionListSchema,
  sessionParamsSchema,
  sessionResponseSchema,
  signUpBodySchema,
  updateProfileBodySchema,
} from "../api-schemas.ts";
import {
  clearSessionCookie,
  clientOf,
  requireAccount,
  setDeviceCookie,
  setSessionCookie,
} from "../auth.ts";
import { accountJson, errors } from "../route-helpers.ts";

export interface AccountRouteDeps {
  accounts: AccountsService;
  secureCookies: boolean;
  /** The roles an account holds (moderator, admin, trusted-flagger); none without it. */
  rolesOf?: (accountId: string) => Promise<string[]>;
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
      const grant = await accounts.signUp({ ...request.body, ...clientOf(request) });
      setSessionCookie(reply, grant, deps.secureCookies);
      setDeviceCookie(reply, grant.deviceToken, deps.secureCookies);
      reply.header("cache-control", "no-store");
      return reply.code(201).send({ account: accountJson(grant.account), token: grant.token });
    },
  );

  api.post(
    "/api/sessions",
    {
      schema: {
        tags: ["accounts"],
        summary: "Log in (403 AMPHI_ACCOUNT_SUSPENDED for a suspended account)",
        body: logInBodySchema,
        response: { 200: sessionResponseSchema, ...errors(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      const grant = await accounts.logIn({ ...request.body, ...clientOf(request) });
      setSessionCookie(reply, grant, deps.secureCookies);
      setDeviceCookie(reply, grant.deviceToken, deps.secureCookies);
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
    "/api/sessions",
    {
      schema: {
        tags: ["accounts"],
        summary: "Your sessions (where you are logged in), most recently seen first",
        response: { 200: sessionListSchema, ...errors(401) },
      },
    },
    async (request, reply) => {
      const me = requireAccount(request);
      reply.header("cache-control", "private, no-store");
      const sessions = await accounts.listSessions(me.id, request.sessionToken);
      return {
        sessions: sessions.map((s) => ({
          ...s,
          createdAt: s.createdAt.toISOString(),
          lastSeenAt: s.lastSeenAt.toISOString(),
          expiresAt: s.expiresAt.toISOString(),
        })),
      };
    },
  );

  api.delete(
    "/api/sessions/:id",
    {
      schema: {
        tags: ["accounts"],
        summary: "End one of your sessions (log that device out)",
        params: sessionParamsSchema,
        response: { 200: endSessionResponseSchema, ...errors(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const me = requireAccount(request);
      const ended = await accounts.endSession(me.id, request.params.id, request.sessionToken);
      if (ended.current) clearSessionCookie(reply, deps.secureCookies);
      return ended;
    },
  );

  api.delete(
    "/api/sessions",
    {
      schema: {
        tags: ["accounts"],
        summary: "Log out everywhere: every one of your sessions ends, this one included",
        response: { 200: endAllSessionsResponseSchema, ...errors(401) },
      },
    },
    async (request, reply) => {
      const me = requireAccount(request);
      const ended = await accounts.endAllSessions(me.id);
      clearSessionCookie(reply, deps.secureCookies);
      return ended;
    },
  );

  api.post(
    "/api/accounts/me/password",
    {
      schema: {
        tags: ["accounts"],
        summary: "Change your password; every other session of yours ends",
        body: changePasswordBodySchema,
        response: { 200: changePasswordResponseSchema, ...errors(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      const me = requireAccount(request);
      reply.header("cache-control", "no-store");
      return accounts.changePassword({
        accountId: me.id,
        currentToken: request.sessionToken,
        currentPassword: request.body.currentPassword,
        newPassword: request.body.newPassword,
        deviceToken: clientOf(request).deviceToken,
      });
    },
  );

  api.get(
    "/api/accounts/me",
    {
      schema: {
        tags: ["accounts"],
        summary: "The logged-in account and its roles",
        response: { 200: myAccountAnswerSchema, ...errors(401) },
      },
    },
    async (request, reply) => {
      const me = requireAccount(request);
      reply.header("cache-control", "private, no-store");
      const roles = (await deps.rolesOf?.(me.id)) ?? [];
      return { account: accountJson(me), roles: roles.filter(isRole) };
    },
  );

  api.patch(
    "/api/accounts/me",
    {
      schema: {
        tags: ["accounts"],
        summary: "Edit your profile",
        body: updateProfileBodySchema,
        response: { 200: z.object({ account: accountSchema }), ...errors(400, 401, 429) },
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
        response: {
          200: z.object({ profile: profileSchema }),
          ...errors(400, 401, 404, 409, 429),
        },
      },
      handler: async (request) => {
        const me = requireAccount(request);
        const profile = await accounts.setFollowing(me.id, request.params.handle, follow);
        return { profile: profileJson(profile) };
      },
    });
  }
}
