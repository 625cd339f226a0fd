/**
 * When an abandoned live Space ends itself: after `idleMs` in a row with nobody on stage
 * connected and no listener. Each look at a Space says whether it is busy; the clock answers
 * true once it has been idle long enough, then not again for `retryMs` (the end is being
 * made elsewhere; if it was lost, it is asked again). Pure: the caller brings the time.
 */
export class IdleClock {
  private readonly idleSince = new Map<string, number>();
  private readonly askedAt = new Map<string, number>();

  constructor(
    private readonly idleMs: number,
    private readonly retryMs = 30_000,
  ) {}

  /** One look at a Space. True: it has been idle for `idleMs`; end it now. */
  observe(spaceId: string, busy: boolean, nowMs: number): boolean {
    if (busy) {
      this.idleSince.delete(spaceId);
      this.askedAt.delete(spaceId);
      return false;
    }
    const since = this.idleSince.get(spaceId);
    if (since === undefined) {
      this.idleSince.set(spaceId, nowMs);
      return false;
    }
    if (nowMs - since < this.idleMs) return false;
    const asked = this.askedAt.get(spaceId);
    if (asked !== undefined && nowMs - asked < this.retryMs) return false;
    this.askedAt.set(spaceId, nowMs);
    return true;
  }

  /** Forgets the Spaces not in `spaceIds` (they ended or left this node). */
  keepOnly(spaceIds: ReadonlySet<string>): void {
    for (const map of [this.idleSince, this.askedAt]) {
      for (const id of map.keys()) if (!spaceIds.has(id)) map.delete(id);
    }
  }

  /** Since when the Space has been idle, or null when it is not (or not looked at). */
  since(spaceId: string): number | null {
    return this.idleSince.get(spaceId) ?? null;
  }
}
