import { AmphiError } from "../errors/error-registry.ts";
import { type FeedEpisode, renderHostFeed } from "./host-feed.ts";
import type { RecordingSizes } from "./recording-sizes.ts";
import type { ShareSubjectSources } from "./share-subjects.ts";

export interface HostFeedOptions {
  /** Recorded Spaces listed, newest first. */
  limit?: number;
  /** How long a feed request waits for download sizes not counted yet (then says 0). */
  sizeBudgetMs?: number;
}

/**
 * Loads a host's recorded Spaces for their feed (`GET /@handle/feed.xml`): the newest ended
 * Spaces whose recording is still kept, with the replay download as the enclosure.
 */
export class HostFeeds {
  private readonly limit: number;
  private readonly sizeBudgetMs: number;

  constructor(
    private readonly sources: ShareSubjectSources,
    private readonly sizes: RecordingSizes,
    options: HostFeedOptions = {},
    private readonly now: () => Date = () => new Date(),
  ) {
    this.limit = options.limit ?? 50;
    this.sizeBudgetMs = options.sizeBudgetMs ?? 2_000;
  }

  /** The feed's XML, or null when no account has this handle. */
  async feed(handle: string, origin: string): Promise<string | null> {
    const { accounts, spaces, recordings } = this.sources;
    const host = await accounts.profile(handle, null).catch((error: unknown) => {
      if (error instanceof AmphiError && error.code === "AMPHI_ACCOUNT_NOT_FOUND") return null;
      throw error;
    });
    if (!host) return null;
    const ended = await spaces.list({ state: "ended", host: host.handle, limit: this.limit });
    const found = await Promise.all(
      ended
        .filter((s) => s.recording)
        .map(async (space) => {
          const recording = await recordings.recording(space.id).catch((error: unknown) => {
            if (error instanceof AmphiError) return null;
            throw error;
          });
          return recording ? { space, info: recording.info } : null;
        }),
    );
    const episodes = found.filter((e) => e !== null);
    const lengths = new Map<string, number>();
    const counted = Promise.all(
      episodes.map(({ space }) =>
        this.sizes
          .size(space.id)
          .then((n) => lengths.set(space.id, n))
          .catch(() => undefined),
      ),
    );
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      counted,
      new Promise((resolve) => {
        timer = setTimeout(resolve, this.sizeBudgetMs);
      }),
    ]);
    clearTimeout(timer);
    const items: FeedEpisode[] = episodes.map(({ space, info }) => ({
      spaceId: space.id,
      title: space.title,
      description: space.description,
      startedAt: new Date(space.startedAt ?? info.startedAt),
      durationSeconds: info.durationSeconds,
      length: lengths.get(space.id) ?? 0,
    }));
    return renderHostFeed({
      origin,
      host: { handle: host.handle, displayName: host.displayName, bio: host.bio },
      episodes: items,
      now: this.now(),
    });
  }
}
