/**
 * Downloads of a recording under way on this node. A deletion marks the recording deleted
 * first (nobody new is served), then waits here for the downloads already streaming it to
 * finish, up to a limit, before its files go: a download that started is not cut off in the
 * middle of a 200 answer, and a stalled one cannot hold the files for ever.
 */
export class ReadersInFlight {
  private readonly readers = new Map<string, { count: number; waiters: (() => void)[] }>();

  /** A reader of `key` starts; call the answer when it is done (once). */
  enter(key: string): () => void {
    const entry = this.readers.get(key) ?? { count: 0, waiters: [] };
    entry.count++;
    this.readers.set(key, entry);
    let left = false;
    return () => {
      if (left) return;
      left = true;
      entry.count--;
      if (entry.count > 0) return;
      this.readers.delete(key);
      for (const wake of entry.waiters) wake();
    };
  }

  count(key: string): number {
    return this.readers.get(key)?.count ?? 0;
  }

  /** Resolves when nobody reads `key` any more, or after `maxWaitMs`, whichever is first. */
  drained(key: string, maxWaitMs: number): Promise<void> {
    const entry = this.readers.get(key);
    if (!entry) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, maxWaitMs);
      entry.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
