import type { RecordingsService } from "../recordings/recordings-service.ts";

/**
 * Byte sizes of whole-recording downloads (`/recordings/:id/download.m4a`), for feed
 * enclosures. The download is cut on the fly (RecordingCut), so its size is only known by
 * producing it: it is counted once, one recording at a time, and kept (a finished recording
 * does not change). Bounded; the least recently used go first.
 */
export class RecordingSizes {
  private readonly sizes = new Map<string, Promise<number>>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly recordings: RecordingsService,
    private readonly maxEntries = 2_000,
  ) {}

  /** The size, counted the first time (after the counts already queued). */
  size(spaceId: string): Promise<number> {
    const hit = this.sizes.get(spaceId);
    if (hit) {
      this.sizes.delete(spaceId);
      this.sizes.set(spaceId, hit);
      return hit;
    }
    const counting = this.queue.then(() => this.count(spaceId));
    this.queue = counting.catch(() => undefined);
    this.sizes.set(spaceId, counting);
    counting.catch(() => this.sizes.delete(spaceId));
    while (this.sizes.size > this.maxEntries) {
      const oldest = this.sizes.keys().next().value;
      if (oldest === undefined) break;
      this.sizes.delete(oldest);
    }
    return counting;
  }

  private async count(spaceId: string): Promise<number> {
    let bytes = 0;
    for await (const piece of this.recordings.download(spaceId)) bytes += piece.byteLength;
    return bytes;
  }
}
