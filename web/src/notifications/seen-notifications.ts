/**
 * Notification ids this tab has already toasted: a delivery the server retried (or a second
 * node's copy of it) arrives again with the same id, and is shown and counted once. Bounded:
 * past `max` ids the oldest are forgotten (a retry comes within minutes, not thousands of
 * notifications later).
 */
export class SeenNotifications {
  private readonly ids = new Set<string>();

  constructor(private readonly max = 500) {}

  /** True the first time an id is seen, false on every repeat. */
  first(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.max) {
      const oldest = this.ids.values().next();
      if (!oldest.done) this.ids.delete(oldest.value);
    }
    return true;
  }
}
