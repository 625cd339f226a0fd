import type { RestrictionsRepository } from "../store/repositories/restrictions-repository.ts";

/**
 * The reach limits in force ("the amplification lever"), in memory for the paths that ask on
 * every read: discovery lists, search, go-live notifications, embed pages and oEmbed. Read
 * from the database at start, after every local decision, on every Space change event (which
 * a decision on another node also sends) and at least every `refreshMs`.
 */
export class ReachLimits {
  private spaces = new Set<string>();
  private accounts = new Set<string>();
  private clips = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private loading: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly restrictions: RestrictionsRepository,
    private readonly onError: (error: unknown) => void = () => {},
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Reads the limits again; concurrent calls share one read (and one more after it). */
  refresh(): Promise<void> {
    if (this.loading) {
      this.again = true;
      return this.loading;
    }
    this.loading = (async () => {
      try {
        do {
          this.again = false;
          const active = await this.restrictions.active(this.now(), "limit_reach");
          const next = {
            space: new Set<string>(),
            account: new Set<string>(),
            clip: new Set<string>(),
          };
          for (const r of active) next[r.subjectType].add(r.subjectId);
          this.spaces = next.space;
          this.accounts = next.account;
          this.clips = next.clip;
        } while (this.again);
      } catch (error) {
        this.onError(error);
      } finally {
        this.loading = null;
      }
    })();
    return this.loading;
  }

  start(refreshMs = 15_000): void {
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), refreshMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** A limited account: not in search or popular lists, its Spaces and clips not either. */
  accountLimited(accountId: string): boolean {
    return this.accounts.has(accountId);
  }

  /** A Space limited itself or through its host. */
  spaceLimited(spaceId: string, hostId: string): boolean {
    return this.spaces.has(spaceId) || this.accounts.has(hostId);
  }

  /** A clip limited itself (its maker, Space and host aside). */
  clipIdLimited(clipId: string): boolean {
    return this.clips.has(clipId);
  }

  /** A clip limited itself, through its maker, its Space or the Space's host. */
  clipLimited(clip: { id: string; createdBy: string; spaceId: string; hostId: string }): boolean {
    return (
      this.clips.has(clip.id) ||
      this.accounts.has(clip.createdBy) ||
      this.spaceLimited(clip.spaceId, clip.hostId)
    );
  }
}
