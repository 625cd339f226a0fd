import { apiRequest, type RequestOptions } from "./client";
import type {
  AccountSummary,
  CreateSpaceInput,
  ListableState,
  MyStanding,
  ReactionEmoji,
  SpaceDocument,
} from "./types";

const enc = encodeURIComponent;

export interface SpaceAnswer {
  space: SpaceDocument;
}

export interface MeAnswer {
  me: MyStanding;
}

export interface ListSpacesQuery {
  state: ListableState;
  host?: string;
  limit?: number;
}

function listPath(query: ListSpacesQuery): string {
  const params = new URLSearchParams({ state: query.state });
  if (query.host) params.set("host", query.host);
  if (query.limit) params.set("limit", String(query.limit));
  return `/api/spaces?${params.toString()}`;
}

const space = (id: string) => `/api/spaces/${enc(id)}`;
const participant = (id: string, handle: string) => `${space(id)}/participants/${enc(handle)}`;

export const spacesApi = {
  list: (query: ListSpacesQuery, options?: RequestOptions) =>
    apiRequest<{ spaces: SpaceDocument[] }>("GET", listPath(query), undefined, options),
  /**
   * The Space document. Revalidated on every read (a cheap 304 with the ETag): the answer is
   * cacheable with stale-while-revalidate, which would otherwise hand polling clients a
   * copy one poll old.
   */
  get: (id: string, options?: RequestOptions) =>
    apiRequest<SpaceAnswer>("GET", space(id), undefined, { cache: "no-cache", ...options }),
  /**
   * The Space document at (or after) `version`, the one the live media says is current: a
   * URL of its own, so browsers and edges may cache it as they like.
   */
  getVersion: (id: string, version: string) =>
    apiRequest<SpaceAnswer>("GET", `${space(id)}?v=${encodeURIComponent(version)}`),
  me: (id: string, options?: RequestOptions) =>
    apiRequest<MeAnswer>("GET", `${space(id)}/me`, undefined, options),
  create: (input: CreateSpaceInput) => apiRequest<SpaceAnswer>("POST", "/api/spaces", input),

  start: (id: string) => apiRequest<SpaceAnswer>("POST", `${space(id)}/start`),
  end: (id: string) => apiRequest<SpaceAnswer>("POST", `${space(id)}/end`),
  cancel: (id: string) => apiRequest<SpaceAnswer>("POST", `${space(id)}/cancel`),

  requests: (id: string, options?: RequestOptions) =>
    apiRequest<{ requests: AccountSummary[] }>("GET", `${space(id)}/requests`, undefined, options),
  requestToSpeak: (id: string) => apiRequest<MeAnswer>("POST", `${space(id)}/requests`),
  cancelRequest: (id: string) => apiRequest<MeAnswer>("DELETE", `${space(id)}/requests/me`),
  acceptRequest: (id: string, handle: string) =>
    apiRequest<SpaceAnswer>("POST", `${space(id)}/requests/${enc(handle)}/accept`),
  declineRequest: (id: string, handle: string) =>
    apiRequest<SpaceAnswer>("POST", `${space(id)}/requests/${enc(handle)}/decline`),

  invite: (id: string, handle: string, role: "speaker" | "cohost") =>
    apiRequest<SpaceAnswer>("POST", `${space(id)}/invitations`, { handle, role }),
  acceptInvitation: (id: string) =>
    apiRequest<MeAnswer>("POST", `${space(id)}/invitations/me/accept`),
  declineInvitation: (id: string) =>
    apiRequest<MeAnswer>("POST", `${space(id)}/invitations/me/decline`),

  moveToListener: (id: string, handle: string) =>
    apiRequest<SpaceAnswer>("POST", `${participant(id, handle)}/listener`),
  mute: (id: string, handle: string) =>
    apiRequest<SpaceAnswer>("POST", `${participant(id, handle)}/mute`),
  unmute: (id: string, handle: string) =>
    apiRequest<SpaceAnswer>("POST", `${participant(id, handle)}/unmute`),
  remove: (id: string, handle: string) =>
    apiRequest<SpaceAnswer>("POST", `${participant(id, handle)}/remove`),

  /** `ticket`: the listener ticket, for someone not logged in (a session needs none). */
  react: (id: string, emoji: ReactionEmoji, ticket?: string | null) =>
    apiRequest<{ ok: true }>(
      "POST",
      `${space(id)}/reactions`,
      ticket ? { emoji, ticket } : { emoji },
    ),
};
