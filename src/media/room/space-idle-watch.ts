import type { Logger } from "pino";
import { IdleClock } from "../../domain/spaces/idle-clock.ts";

export interface SpaceIdleWatchDeps {
  /** The live Spaces whose rooms run on this node (the owner of their live state). */
  spaceIds: () => string[];
  /** Whether someone on stage (the host included) has a microphone connection now. */
  speakerConnected: (spaceId: string) => boolean;
  /** Listeners of the Space now, fleet-wide. */
  listeners: (spaceId: string) => number | Promise<number>;
  /** The Space has been idle for the whole period: end it (as its host would). */
  idle: (spaceId: string, idleSinceMs: number) => void;
  /** SPACE_IDLE_END_MINUTES in ms. */
  idleMs: number;
  log: Logger;
  now?: () => number;
}

/**
 * Ends abandoned live Spaces: every few seconds, on the node that runs their rooms (so one node
 * per Space decides, in a fleet the media node holding its lease), each Space with no speaker
 * connected and no listener is noted; one that stays so for the whole period is handed to
 * `idle`. A listener count that cannot be read counts as someone there.
 */
export class SpaceIdleWatch {
  private readonly clock: IdleClock;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | null = null;
  private looking = false;

  constructor(private readonly deps: SpaceIdleWatchDeps) {
    this.clock = new IdleClock(deps.idleMs, Math.min(30_000, Math.max(1_000, deps.idleMs)));
    this.now = deps.now ?? (() => Date.now());
  }

  start(): void {
    if (this.timer || this.deps.idleMs <= 0) return;
    const tickMs = Math.max(250, Math.min(5_000, Math.floor(this.deps.idleMs / 4)));
    this.timer = setInterval(() => void this.look(), tickMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One look at every Space running here. */
  async look(): Promise<void> {
    if (this.looking) return;
    this.looking = true;
    try {
      const ids = this.deps.spaceIds();
      this.clock.keepOnly(new Set(ids));
      await Promise.all(ids.map((id) => this.lookAt(id)));
    } finally {
      this.looking = false;
    }
  }

  private async lookAt(spaceId: string): Promise<void> {
    let busy = this.deps.speakerConnected(spaceId);
    if (!busy) {
      try {
        busy = (await this.deps.listeners(spaceId)) > 0;
      } catch (error) {
        this.deps.log.debug({ err: error, spaceId }, "idle watch: listener count unavailable");
        busy = true;
      }
    }
    const since = this.clock.since(spaceId);
    if (this.clock.observe(spaceId, busy, this.now())) {
      this.deps.log.info({ spaceId }, "idle watch: nobody on stage or listening; ending the Space");
      this.deps.idle(spaceId, since ?? this.now());
    }
  }
}
