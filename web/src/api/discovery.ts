import { apiRequest, type RequestOptions } from "./client";
import type {
  DiscoveredSpaces,
  Explore,
  HomeFeed,
  HostClips,
  HostSpaces,
  SearchResults,
  SearchType,
} from "./types";

const enc = encodeURIComponent;

export interface SearchRequest {
  q: string;
  type?: SearchType;
  limit?: number;
  cursor?: string | null;
}

export const discoveryApi = {
  /** Live now and upcoming: followed hosts first, then popular Spaces. */
  home: (options?: RequestOptions) =>
    apiRequest<HomeFeed>("GET", "/api/discovery/home", undefined, options),
  live: (options?: RequestOptions) =>
    apiRequest<DiscoveredSpaces>("GET", "/api/discovery/live", undefined, options),
  explore: (options?: RequestOptions) =>
    apiRequest<Explore>("GET", "/api/discovery/explore", undefined, options),
  search: (request: SearchRequest, options?: RequestOptions) => {
    const params = new URLSearchParams({ q: request.q });
    if (request.type) params.set("type", request.type);
    if (request.limit) params.set("limit", String(request.limit));
    if (request.cursor) params.set("cursor", request.cursor);
    return apiRequest<SearchResults>("GET", `/api/search?${params.toString()}`, undefined, options);
  },
  hostSpaces: (handle: string, options?: RequestOptions) =>
    apiRequest<HostSpaces>("GET", `/api/accounts/${enc(handle)}/spaces`, undefined, options),
  hostClips: (handle: string, options?: RequestOptions) =>
    apiRequest<HostClips>("GET", `/api/accounts/${enc(handle)}/clips`, undefined, options),
};
