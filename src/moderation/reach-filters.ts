import { DiscoveryQueries, type HostClipRow } from "../discovery/discovery-queries.ts";
import { type AccountHit, SearchQueries } from "../discovery/search-queries.ts";
import type { SpaceDocuments } from "../discovery/space-documents.ts";
import type { Db } from "../store/database.ts";
import type { ReachLimits } from "./reach-limits.ts";

/**
 * Discovery without what a moderator limited: every list of Spaces (home, live now, upcoming,
 * Explore, search, a host's page) reads its documents through `documents`, popular hosts and
 * clips through `queries`, account search through `search`.
 */
export function reachFilteredDocuments(inner: SpaceDocuments, reach: ReachLimits): SpaceDocuments {
  return {
    documents: async (ids) =>
      (await inner.documents(ids)).filter((d) => !reach.spaceLimited(d.id, d.host.id)),
  };
}

export class ReachFilteredQueries extends DiscoveryQueries {
  constructor(
    db: Db,
    private readonly reach: ReachLimits,
  ) {
    super(db);
  }

  override async recentHosts(since: Date, limit: number): Promise<string[]> {
    return (await super.recentHosts(since, limit)).filter((id) => !this.reach.accountLimited(id));
  }

  override async clipsOfHost(
    hostId: string,
    endedAfter: Date,
    limit: number,
  ): Promise<HostClipRow[]> {
    return (await super.clipsOfHost(hostId, endedAfter, limit)).filter(
      (c) =>
        !this.reach.clipLimited({ id: c.id, createdBy: c.createdBy, spaceId: c.spaceId, hostId }),
    );
  }
}

export class ReachFilteredSearch extends SearchQueries {
  constructor(
    db: Db,
    private readonly reach: ReachLimits,
  ) {
    super(db);
  }

  override async accounts(
    terms: readonly string[],
    exactHandle: string,
    limit: number,
    offset: number,
  ): Promise<AccountHit[]> {
    return (await super.accounts(terms, exactHandle, limit, offset)).filter(
      (a) => !this.reach.accountLimited(a.id),
    );
  }
}
