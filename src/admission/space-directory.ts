import type { SpaceState } from "../domain/spaces/space-lifecycle.ts";

/** What admission needs to know about a Space: kept in memory, never read per join. */
export interface AdmissionSpace {
  id: string;
  state: SpaceState;
  scheduledFor: Date | null;
  requireLogin: boolean;
  /** Accounts the hosts removed from the Space: they get no ticket. */
  removed: ReadonlySet<string>;
  /** Accounts the host blocked from their Spaces: they get no ticket and no renewal. */
  blocked?: ReadonlySet<string>;
}

export interface SpaceDirectorySource {
  /** One Space from the database (through the snapshot cache). */
  load(spaceId: string): Promise<AdmissionSpace | null>;
  /** Every live or scheduled Space, read once at start-up. */
  loadOpen(): Promise<AdmissionSpace[]>;
}

/**
 * The Spaces people may join, in memory: preloaded at start (live and scheduled ones), kept
 * current by change events, and loaded once on a miss. The join path reads only this, so it
 * keeps working while the database is slow or down. A failed refresh keeps the last known
 * state; unknown ids are remembered as missing for a while, so random ids cannot make every
 * request a query.
 */
export class SpaceDirectory {
  private readonly spaces = new Map<string, AdmissionSpace>();
  private readonly missing = new Map<string, number>();
  private readonly loading = new Map<string, Promise<AdmissionSpace | null>>();

  constructor(
    private readonly source: SpaceDirectorySource,
    private readonly onChange: (previous: AdmissionSpace | undefined, next: AdmissionSpace) => void,
    private readonly options: { missingTtlMs: number; maxMissing: number; now: () => number } = {
      missingTtlMs: 10_000,
      maxMissing: 100_000,
      now: Date.now,
    },
  ) {}

  async preload(): Promise<number> {
    const open = await this.source.loadOpen();
    for (const space of open) this.remember(space);
    return open.length;
  }

  /**
   * The Space from memory (at once: no promise on the join path), or from the database once
   * when it is not known yet (a promise).
   */
  lookup(spaceId: string): AdmissionSpace | null | Promise<AdmissionSpace | null> {
    const known = this.spaces.get(spaceId);
    if (known) return known;
    const missingSince = this.missing.get(spaceId);
    if (missingSince !== undefined && this.options.now() - missingSince < this.options.missingTtlMs)
      return null;
    return this.load(spaceId);
  }

  /** Ids of the live Spaces known now (their counts are pushed and shown). */
  liveIds(): string[] {
    return [...this.spaces.values()].filter((s) => s.state === "live").map((s) => s.id);
  }

  /** A change event: reload in the background; on failure the old state stays. */
  async refresh(spaceId: string): Promise<void> {
    this.missing.delete(spaceId);
    await this.load(spaceId, true).catch(() => undefined);
  }

  private load(spaceId: string, force = false): Promise<AdmissionSpace | null> {
    const inFlight = this.loading.get(spaceId);
    if (inFlight && !force) return inFlight;
    const loading = this.source.load(spaceId).then(
      (space) => {
        if (this.loading.get(spaceId) === loading) this.loading.delete(spaceId);
        if (space) this.remember(space);
        else this.markMissing(spaceId);
        return space;
      },
      (error) => {
        if (this.loading.get(spaceId) === loading) this.loading.delete(spaceId);
        // The database is unreachable: what we knew is still the best answer.
        const known = this.spaces.get(spaceId);
        if (known) return known;
        throw error;
      },
    );
    this.loading.set(spaceId, loading);
    return loading;
  }

  private remember(space: AdmissionSpace): void {
    const previous = this.spaces.get(space.id);
    this.spaces.set(space.id, space);
    this.missing.delete(space.id);
    if (
      !previous ||
      previous.state !== space.state ||
      previous.requireLogin !== space.requireLogin ||
      previous.removed.size !== space.removed.size ||
      previous.blocked?.size !== space.blocked?.size ||
      previous.scheduledFor?.getTime() !== space.scheduledFor?.getTime()
    ) {
      this.onChange(previous, space);
    }
  }

  private markMissing(spaceId: string): void {
    if (this.missing.size >= this.options.maxMissing) {
      const oldest = this.missing.keys().next();
      if (!oldest.done) this.missing.delete(oldest.value);
    }
    this.missing.set(spaceId, this.options.now());
  }
}
