/**
 * Inbox entries this node has toasted, so that a delivery the queue retries (it is announced
 * to every node again) toasts nobody twice. Bounded: past `max` ids the oldest are forgotten; a
 * retry comes within minutes, and only people with a socket on this node are noted. The web
 * app drops repeated ids too (a socket that moved to another node between the two).
 */
export class ToastedEntries {
  private readonly ids = new Set<string>();

  constructor(private readonly max = 200_000) {}

  /** True the first time an entry is toasted here, false on every repeat. */
  first(entryId: string): boolean {
    if (this.ids.has(entryId)) return false;
    this.ids.add(entryId);
    if (this.ids.size > this.max) {
      const oldest = this.ids.values().next();
      if (!oldest.done) this.ids.delete(oldest.value);
    }
    return true;
  }
}
