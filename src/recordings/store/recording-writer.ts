import type { Logger } from "pino";
import { FencedOut, type PartToKeep, type RecordingStore } from "./recording-store.ts";

/** What happens to a recording as it is written (for the host's view and the metrics). */
export interface RecordingWriterEvents {
  /** One write (begin or keep) failed; it is retried. */
  writeFailed?: (error: unknown) => void;
  /** Writes fail: the recording is paused since then (live audio goes on). */
  paused?: (since: Date) => void;
  /** Writes succeed again: the recording goes on (the backlog catches up first). */
  resumed?: (pausedMs: number) => void;
  /** Parts left out of the recording (the outage outlasted what memory holds). */
  dropped?: (parts: number) => void;
}

export interface RecordingWriterOptions {
  store: RecordingStore;
  spaceId: string;
  /** The owner epoch this node writes as (its placement lease's; fencing). */
  epoch: number;
  /** The stream's init segment, kept when the recording begins. */
  init: Uint8Array;
  /** The caller already began the recording for this epoch. */
  begun?: boolean;
  log: Logger;
  /** A newer owner writes the recording now: this node must stop serving the Space. */
  onFenced: () => void;
  /** How long a part may wait to be kept before listeners get it anyway. */
  patienceMs?: number;
  /** Parts held in memory while the store does not answer (10 minutes at 0.5 s). */
  maxPending?: number;
  /** Waits between retries, doubling up to the last. */
  retryMs?: readonly [number, number];
  events?: RecordingWriterEvents;
}

interface Pending {
  part: PartToKeep;
  kept: () => void;
}

/**
 * Keeps a live Space's parts in its recording, in order, and decides when each may go to
 * listeners. Normally a part is published once it is kept (what listeners heard is in the
 * recording). When the store fails (a full disk, PostgreSQL restarting) the live audio does
 * not wait: parts are published at once and held in memory, retried in order until the
 * store answers again, so the recording catches up with nothing lost, unless the outage
 * outlasts `maxPending` parts: then the oldest waiting parts are dropped (logged, counted)
 * and the part after them marks the gap (a discontinuity in the replay). While writes fail
 * the recording is "paused" (events.paused); the first write that succeeds resumes it.
 */
export class RecordingWriter {
  private readonly pending: Pending[] = [];
  private draining = false;
  private failingSince: number | null = null;
  private fenced = false;
  /** Given up (the room stopped while the store still failed): parts are no longer kept. */
  private abandoned = false;
  private begun = false;
  private dropped = 0;
  private idle: Promise<void> = Promise.resolve();
  private markIdle: () => void = () => {};

  constructor(private readonly options: RecordingWriterOptions) {
    this.begun = options.begun === true;
  }

  /** Whether the store failed on the last try (parts are waiting in memory). */
  get failing(): boolean {
    return this.failingSince !== null;
  }

  /** Since when writes fail (the recording is paused), or null. */
  get pausedSince(): Date | null {
    return this.failingSince === null ? null : new Date(this.failingSince);
  }

  /** Parts waiting to be kept. */
  get backlog(): number {
    return this.pending.length;
  }

  /**
   * Queues a part and resolves when listeners may have it: once it is kept, at once while
   * the store is failing, or after `patienceMs` at most.
   */
  write(part: PartToKeep): Promise<void> {
    if (this.fenced || this.abandoned) return Promise.resolve();
    const { maxPending = 1_200, patienceMs = 1_000 } = this.options;
    let kept!: () => void;
    const done = new Promise<void>((resolve) => {
      kept = resolve;
    });
    this.pending.push({ part, kept });
    let dropped = 0;
    while (this.pending.length > maxPending) {
      // The head may be in flight: drop the oldest part after it.
      const at = this.draining && this.pending.length > 1 ? 1 : 0;
      this.pending.splice(at, 1)[0]?.kept();
      const next = this.pending[at];
      if (next) next.part = { ...next.part, discontinuity: true };
      dropped++;
    }
    if (dropped > 0) this.drop(dropped);
    this.drain();
    if (this.failing) return Promise.resolve();
    let timer: NodeJS.Timeout | undefined;
    const patience = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, patienceMs);
    });
    return Promise.race([done, patience]).finally(() => clearTimeout(timer));
  }

  /**
   * Resolves once every queued part is kept (or the writer was fenced out), or after
   * `timeoutMs`: then the parts still waiting are given up (a disk that stays full must not
   * hold a Space's end) and false is returned.
   */
  async flush(timeoutMs = Number.POSITIVE_INFINITY): Promise<boolean> {
    if (this.pending.length === 0 && !this.draining) return true;
    if (!Number.isFinite(timeoutMs)) {
      await this.idle;
      return true;
    }
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const flushed = await Promise.race([this.idle.then(() => true as const), timedOut]);
    clearTimeout(timer);
    if (flushed) return true;
    this.abandoned = true;
    const left = this.pending.splice(0);
    for (const p of left) p.kept();
    if (left.length > 0) this.drop(left.length);
    return false;
  }

  private drop(parts: number): void {
    const before = this.dropped;
    this.dropped += parts;
    this.options.events?.dropped?.(parts);
    if (before === 0 || Math.floor(before / 100) !== Math.floor(this.dropped / 100)) {
      this.options.log.error(
        { spaceId: this.options.spaceId, dropped: this.dropped },
        "recording: store down too long, parts dropped from the recording",
      );
    }
  }

  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    this.idle = new Promise((resolve) => {
      this.markIdle = resolve;
    });
    void this.run().finally(() => {
      this.draining = false;
      this.markIdle();
    });
  }

  private async run(): Promise<void> {
    const { store, spaceId, epoch, log, retryMs = [250, 4_000] } = this.options;
    let wait = retryMs[0];
    for (
      let next = this.pending[0];
      next && !this.fenced && !this.abandoned;
      next = this.pending[0]
    ) {
      try {
        if (!this.begun) {
          await store.begin(spaceId, this.options.init, epoch);
          this.begun = true;
        }
        await store.keep(spaceId, epoch, next.part);
      } catch (error) {
        if (error instanceof FencedOut) {
          this.fenced = true;
          log.warn({ spaceId, epoch }, "recording: a newer owner writes it; stopping here");
          for (const p of this.pending.splice(0)) p.kept();
          this.options.onFenced();
          return;
        }
        this.options.events?.writeFailed?.(error);
        if (this.failingSince === null) {
          this.failingSince = Date.now();
          log.error(
            { err: error, spaceId },
            "recording: cannot keep parts; recording paused, retrying, live audio goes on",
          );
          this.options.events?.paused?.(new Date(this.failingSince));
        }
        await new Promise((resolve) => setTimeout(resolve, wait));
        wait = Math.min(wait * 2, retryMs[1]);
        continue;
      }
      if (this.failingSince !== null) {
        const pausedMs = Date.now() - this.failingSince;
        log.info(
          { spaceId, outageMs: pausedMs, backlog: this.pending.length },
          "recording: the store answers again; recording resumed, catching up",
        );
        this.failingSince = null;
        this.options.events?.resumed?.(pausedMs);
      }
      wait = retryMs[0];
      // The part may have been dropped while in flight (it is kept all the same).
      if (this.pending[0] === next) this.pending.shift();
      next.kept();
    }
  }
}
