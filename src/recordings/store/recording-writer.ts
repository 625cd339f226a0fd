import type { Logger } from "pino";
import { FencedOut, type PartToKeep, type RecordingStore } from "./recording-store.ts";

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
 * outlasts `maxPending` parts (then the oldest are dropped, and logged).
 */
export class RecordingWriter {
  private readonly pending: Pending[] = [];
  private draining = false;
  private failingSince: number | null = null;
  private fenced = false;
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

  /** Parts waiting to be kept. */
  get backlog(): number {
    return this.pending.length;
  }

  /**
   * Queues a part and resolves when listeners may have it: once it is kept, at once while
   * the store is failing, or after `patienceMs` at most.
   */
  write(part: PartToKeep): Promise<void> {
    if (this.fenced) return Promise.resolve();
    const { maxPending = 1_200, patienceMs = 1_000 } = this.options;
    let kept!: () => void;
    const done = new Promise<void>((resolve) => {
      kept = resolve;
    });
    this.pending.push({ part, kept });
    while (this.pending.length > maxPending) {
      this.pending.shift()?.kept();
      this.dropped++;
      if (this.dropped === 1 || this.dropped % 100 === 0) {
        this.options.log.error(
          { spaceId: this.options.spaceId, dropped: this.dropped },
          "recording: store down too long, parts dropped from the recording",
        );
      }
    }
    this.drain();
    if (this.failing) return Promise.resolve();
    let timer: NodeJS.Timeout | undefined;
    const patience = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, patienceMs);
    });
    return Promise.race([done, patience]).finally(() => clearTimeout(timer));
  }

  /** Resolves once every queued part is kept (or the writer was fenced out). */
  flush(): Promise<void> {
    return this.pending.length === 0 && !this.draining ? Promise.resolve() : this.idle;
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
    for (let next = this.pending[0]; next && !this.fenced; next = this.pending[0]) {
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
        if (this.failingSince === null) {
          this.failingSince = Date.now();
          log.error(
            { err: error, spaceId },
            "recording: cannot keep parts; retrying, live audio goes on",
          );
        }
        await new Promise((resolve) => setTimeout(resolve, wait));
        wait = Math.min(wait * 2, retryMs[1]);
        continue;
      }
      if (this.failingSince !== null) {
        log.info(
          { spaceId, outageMs: Date.now() - this.failingSince, backlog: this.pending.length },
          "recording: the store answers again; catching up",
        );
        this.failingSince = null;
      }
      wait = retryMs[0];
      this.pending.shift();
      next.kept();
    }
  }
}
