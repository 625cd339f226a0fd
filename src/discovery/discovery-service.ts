import type {
  DiscoveredSpaces,
  Explore,
  HomeFeed,
  HostClips,
  HostSpaces,
  PastSpace,
  PopularAccount,
  SearchQuery,
  SearchResults,
} from "../contracts/discovery-contracts.ts";
import type { SpaceDocument } from "../contracts/space-contracts.ts";
import { compareLive, compareUpcoming, upcomingGraceMs } from "../domain/discovery/ranking.ts";
import { searchTerms } from "../domain/discovery/search-terms.ts";
import { AmphiError } from "../errors/error-registry.ts";
import { clipInfo } from "../recordings/recordings-service.ts";
import type { AccountsRepository } from "../store/repositories/accounts-repository.ts";
import type { DiscoveryQueries } from "./discovery-queries.ts";
import type { SearchQueries } from "./search-queries.ts";
import type { SpaceDocuments } from "./space-documents.ts";
import { TtlCache } from "./ttl-cache.ts";

export interface DiscoverySettings {
  /** How long one person's followed lists are kept (their membership may be this stale). */
  personalTtlMs: number;
  /**
   * How long past that they are still answered at once while one refresh runs in the
   * background: a read never waits behind the database (a go-live fan-out keeps embedded
   * PGlite's one connection busy), and a new go-live shows on the read after the refresh.
   * A person's own follow or unfollow drops their lists (`followsChanged`, on every node), so
   * their next read is computed fresh: they see their own change at once.
   */
  personalStaleMs: number;
  /** How long the lists everyone shares (popular, explore) are fresh. */
  publicTtlMs: number;
  /** How long past that they are still answered while one refresh runs. */
  publicStaleMs: number;
  /** People whose lists are kept at once (per node). */
  maxPersonalEntries: number;
  /** Spaces per list. */
  followedLimit: number;
  popularLimit: number;
  recordingRetentionDays: number;
}

export const defaultDiscoverySettings: DiscoverySettings = {
  personalTtlMs: 3_000,
  personalStaleMs: 60_000,
  publicTtlMs: 5_000,
  publicStaleMs: 60_000,
  maxPersonalEntries: 50_000,
  followedLimit: 30,
  popularLimit: 12,
  recordingRetentionDays: 30,
};

/** Candidates read for the popular lists; the ranking keeps the best `popularLimit`. */
const popularCandidates = 500;
const dayMs = 86_400_000;
const followerCountTtlMs = 60_000;

interface PopularLists {
  live: string[];
  upcoming: string[];
}

/**
 * Discovery: "Live now" and "Upcoming" (followed hosts first, then popular), search, a
 * host's Spaces and clips, the Explore page.
 *
 * Fan-out on read: a follower's live list is one indexed join of their follows with the live
 * Spaces, run when they look, so a go-live writes nothing per follower. Each person's lists of
 * ids are kept for `personalTtlMs`; the popular lists once for everyone. Documents come from
 * the shared Space snapshots at every read, so a Space that ended drops out at once and titles
 * and stages are current; only a new go-live can take up to `personalTtlMs` to appear.
 */
export class DiscoveryService {
  private readonly personal: TtlCache<{ live: string[]; upcoming: string[] }>;
  private readonly shared: TtlCache<PopularLists>;
  private readonly explorePage: TtlCache<Explore>;
  /**
   * Followers per host, for ranking: counting a host with millions of followers takes a
   * while (and holds PGlite's one connection), so counts are kept a minute.
   */
  private readonly followerCounts = new Map<string, { n: number; at: number }>();

  constructor(
    private readonly deps: {
      queries: DiscoveryQueries;
      search: SearchQueries;
      accounts: AccountsRepository;
      documents: SpaceDocuments;
      /** Live listener counts (in memory, src/admission). */
      listeners: (spaceId: string) => number;
      /**
       * Reminders per scheduled Space, when something counts them (migration 0006,
       * `space_reminders`); without it upcoming Spaces rank by followers and start time.
       */
      reminders?: (spaceIds: readonly string[]) => Promise<Map<string, number>>;
      onError?: (error: unknown) => void;
    },
    private readonly settings: DiscoverySettings = defaultDiscoverySettings,
    private readonly now: () => number = Date.now,
  ) {
    this.personal = new TtlCache({
      ttlMs: settings.personalTtlMs,
      staleMs: settings.personalStaleMs,
      maxEntries: settings.maxPersonalEntries,
      now,
      ...(deps.onError ? { onError: deps.onError } : {}),
    });
    const publicCache = {
      ttlMs: settings.publicTtlMs,
      staleMs: settings.publicStaleMs,
      maxEntries: 4,
      now,
      ...(deps.onError ? { onError: deps.onError } : {}),
    };
    this.shared = new TtlCache(publicCache);
    this.explorePage = new TtlCache({ ...publicCache, ttlMs: 6 * settings.publicTtlMs });
  }

  /** Someone followed or unfollowed: their own lists are recomputed on their next read. */
  followsChanged(accountId: string): void {
    this.personal.expire(accountId);
  }

  /**
   * "Live now" for `accountId` (null: nobody logged in, popular only). The read the go-live
   * benchmark measures: one indexed join per person per `personalTtlMs`, documents from memory.
   */
  async liveNowFor(accountId: string | null): Promise<DiscoveredSpaces> {
    const [followed, popular] = await Promise.all([
      accountId ? this.followed(accountId) : null,
      this.popular(),
    ]);
    return this.split(followed?.live ?? [], popular.live, "live");
  }

  /** "Upcoming" for `accountId`: followed hosts' scheduled Spaces, then popular ones. */
  async upcomingFor(accountId: string | null): Promise<DiscoveredSpaces> {
    const [followed, popular] = await Promise.all([
      accountId ? this.followed(accountId) : null,
      this.popular(),
    ]);
    return this.split(followed?.upcoming ?? [], popular.upcoming, "scheduled");
  }

  async home(accountId: string | null): Promise<HomeFeed> {
    const [live, upcoming] = await Promise.all([
      this.liveNowFor(accountId),
      this.upcomingFor(accountId),
    ]);
    return { live, upcoming };
  }

  /** A change event: popular lists refresh within a second (at most once a second). */
  spaceChanged(): void {
    this.shared.expireWithin(1_000);
    this.explorePage.expireWithin(1_000);
  }

  async search(query: SearchQuery): Promise<SearchResults> {
    const terms = searchTerms(query.q);
    const offset = query.cursor ? Number(query.cursor) : 0;
    const wantSpaces = query.type !== "accounts";
    const wantAccounts = query.type !== "spaces";
    // One more than asked: whether there is a next page.
    const [spaceIds, hits] = await Promise.all([
      wantSpaces ? this.deps.search.spaces(terms, query.limit + 1, offset) : [],
      wantAccounts
        ? this.deps.search.accounts(terms, query.q.toLowerCase(), query.limit + 1, offset)
        : [],
    ]);
    const more = spaceIds.length > query.limit || hits.length > query.limit;
    const shownHits = hits.slice(0, query.limit);
    const [spaces, counts] = await Promise.all([
      this.deps.documents.documents(spaceIds.slice(0, query.limit)),
      this.followersOf(shownHits.map((h) => h.id)),
    ]);
    // Paging walks one list: with type=all the cursor moves both by the same step.
    const next = offset + query.limit;
    return {
      spaces,
      accounts: shownHits.map((h) => ({ ...h, followers: counts.get(h.id) ?? 0 })),
      nextCursor: more && next < 1000 ? String(next) : null,
    };
  }

  /** A host's live, upcoming and past Spaces, with replays where the recording is kept. */
  async hostSpaces(handle: string, limit: number): Promise<HostSpaces> {
    const host = await this.host(handle);
    const [live, upcoming, ended] = await Promise.all([
      this.deps.queries.hosted(host.id, "live", limit),
      this.deps.queries.hosted(host.id, "scheduled", limit),
      this.deps.queries.endedBy(host.id, limit),
    ]);
    const [liveDocs, upcomingDocs, pastDocs] = await Promise.all([
      this.deps.documents.documents(live),
      this.deps.documents.documents(upcoming),
      this.deps.documents.documents(ended),
    ]);
    return {
      live: liveDocs.filter((s) => s.state === "live"),
      upcoming: upcomingDocs.filter((s) => s.state === "scheduled"),
      past: pastDocs.filter((s) => s.state === "ended").map((s) => this.past(s)),
    };
  }

  /** Clips cut from the host's Spaces whose recordings are still kept, newest first. */
  async hostClips(handle: string, limit: number): Promise<HostClips> {
    const host = await this.host(handle);
    const rows = await this.deps.queries.clipsOfHost(host.id, this.retentionCutoff(), limit);
    return { clips: rows.map((r) => clipInfo(r, { title: r.spaceTitle, hostId: host.id })) };
  }

  /** The Explore page: popular live and upcoming, recent replays, popular hosts. */
  explore(): Promise<Explore> {
    return this.explorePage.get("explore", async () => {
      const since = new Date(this.now() - 30 * dayMs);
      const [popular, endedIds, hostIds] = await Promise.all([
        this.popular(),
        this.deps.queries.recentlyEnded(this.retentionCutoff(), this.settings.popularLimit),
        this.deps.queries.recentHosts(since, 200),
      ]);
      const [live, upcoming, ended, accounts] = await Promise.all([
        this.deps.documents.documents(popular.live.slice(0, this.settings.popularLimit)),
        this.deps.documents.documents(popular.upcoming.slice(0, this.settings.popularLimit)),
        this.deps.documents.documents(endedIds),
        this.popularAccounts(hostIds, this.settings.popularLimit),
      ]);
      return {
        live: live.filter((s) => s.state === "live"),
        upcoming: upcoming.filter((s) => s.state === "scheduled"),
        replays: ended.filter((s) => s.state === "ended").map((s) => this.past(s)),
        accounts,
      };
    });
  }

  private followed(accountId: string): Promise<{ live: string[]; upcoming: string[] }> {
    return this.personal.get(accountId, async () => {
      const since = new Date(this.now() - upcomingGraceMs);
      const [live, upcoming] = await Promise.all([
        this.deps.queries.liveFollowed(accountId, this.settings.followedLimit),
        this.deps.queries.upcomingFollowed(accountId, since, this.settings.followedLimit),
      ]);
      return { live, upcoming };
    });
  }

  /** The popular lists, ranked once for everyone. */
  private popular(): Promise<PopularLists> {
    return this.shared.get("popular", async () => {
      const now = this.now();
      const [live, upcoming] = await Promise.all([
        this.deps.queries.live(popularCandidates),
        this.deps.queries.upcoming(
          new Date(now - upcomingGraceMs),
          new Date(now - dayMs),
          popularCandidates,
        ),
      ]);
      const rankedLive = live
        .map((s) => ({
          id: s.id,
          listeners: this.deps.listeners(s.id),
          startedAt: s.startedAt?.getTime() ?? null,
        }))
        .sort(compareLive);
      const ids = upcoming.map((s) => s.id);
      const [followers, reminders] = await Promise.all([
        this.followersOf([...new Set(upcoming.map((s) => s.hostId))]),
        this.deps.reminders?.(ids) ?? Promise.resolve(new Map<string, number>()),
      ]);
      const rankedUpcoming = upcoming
        .map((s) => ({
          id: s.id,
          followers: followers.get(s.hostId) ?? 0,
          reminders: reminders.get(s.id) ?? 0,
          startsAt: s.scheduledFor?.getTime() ?? null,
        }))
        .sort(compareUpcoming(now));
      // Enough to fill the list after removing the viewer's followed ones.
      const keep = this.settings.popularLimit + this.settings.followedLimit;
      return {
        live: rankedLive.slice(0, keep).map((s) => s.id),
        upcoming: rankedUpcoming.slice(0, keep).map((s) => s.id),
      };
    });
  }

  /** Followed first; popular without the followed ones; only Spaces still in `state`. */
  private async split(
    followedIds: readonly string[],
    popularIds: readonly string[],
    state: SpaceDocument["state"],
  ): Promise<DiscoveredSpaces> {
    const mine = new Set(followedIds);
    const others = popularIds.filter((id) => !mine.has(id));
    const [following, popular] = await Promise.all([
      this.deps.documents.documents(followedIds),
      this.deps.documents.documents(others.slice(0, this.settings.popularLimit + 5)),
    ]);
    const current = (s: SpaceDocument) => s.state === state;
    return {
      following: following.filter(current),
      popular: popular.filter(current).slice(0, this.settings.popularLimit),
    };
  }

  private async popularAccounts(ids: readonly string[], limit: number): Promise<PopularAccount[]> {
    const counts = await this.followersOf(ids);
    const top = [...ids]
      .sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0))
      .slice(0, limit);
    const accounts = new Map((await this.deps.accounts.findManyByIds(top)).map((a) => [a.id, a]));
    return top.flatMap((id) => {
      const a = accounts.get(id);
      return a
        ? [
            {
              id: a.id,
              handle: a.handle,
              displayName: a.displayName,
              followers: counts.get(id) ?? 0,
            },
          ]
        : [];
    });
  }

  /** Followers of each account, counted at most once a minute per account. */
  private async followersOf(ids: readonly string[]): Promise<Map<string, number>> {
    const now = this.now();
    const stale = ids.filter((id) => {
      const hit = this.followerCounts.get(id);
      return !hit || now - hit.at >= followerCountTtlMs;
    });
    if (stale.length > 0) {
      const fresh = await this.deps.queries.followerCounts(stale);
      if (this.followerCounts.size > 10_000) this.followerCounts.clear();
      for (const id of stale) this.followerCounts.set(id, { n: fresh.get(id) ?? 0, at: now });
    }
    return new Map(ids.map((id) => [id, this.followerCounts.get(id)?.n ?? 0]));
  }

  private past(space: SpaceDocument): PastSpace {
    const endedAt = space.endedAt ? Date.parse(space.endedAt) : null;
    const expiresAt =
      endedAt === null ? null : endedAt + this.settings.recordingRetentionDays * dayMs;
    const kept = space.recording && expiresAt !== null && expiresAt > this.now();
    return {
      space,
      replay:
        kept && expiresAt !== null
          ? {
              pageUrl: `/spaces/${space.id}`,
              playlistUrl: `/recordings/${space.id}/vod.m3u8`,
              expiresAt: new Date(expiresAt).toISOString(),
            }
          : null,
    };
  }

  private retentionCutoff(): Date {
    return new Date(this.now() - this.settings.recordingRetentionDays * dayMs);
  }

  private async host(handle: string) {
    const host = await this.deps.accounts.findByHandle(handle);
    if (!host) throw new AmphiError("AMPHI_ACCOUNT_NOT_FOUND");
    return host;
  }
}
