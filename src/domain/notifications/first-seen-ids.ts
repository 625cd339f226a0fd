/**
 * Ids seen before, for showing a thing once: a notification delivery the queue retried (or a
 * second node's copy of it) arrives again with the same id. Bounded: past `max` ids the oldest
 * are forgotten; a retry comes within minutes, not `max` notifications later. Used by the
 * server's toasts (per node) and by the web app's (per tab).
 */
export class FirstSeenIds {
  private readonly ids = new Set<string>();

  constructor(private readonly max: number) {}

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
