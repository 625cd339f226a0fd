import type { Logger } from "pino";
import type {
  MediaLease,
  MediaNodeRef,
  MediaPlacement,
  StreamPosition,
} from "../../shared-state/ports.ts";

/**
 * How much later than this node another node may find the shared state back: its client's
 * next reconnection attempt (at most a second apart, src/shared-state/redis/redis-connection.ts),
 * the connection itself, and a busy event loop.
 */
const reconnectAllowanceMs = 3_000;

export interface PlacementAgentOptions {
  placement: MediaPlacement;
  /** This node as the fleet reaches it (known once it listens). */
  node: () => MediaNodeRef;
  /** Lease length; renewed every `renewMs`. A dead node's Spaces are free `ttlMs` after. */
  ttlMs: number;
  renewMs: number;
  /** How often to look for live Spaces nobody serves. */
  rescanMs: number;
  /** How many rooms run here now: a busier node waits longer before claiming (spreads load). */
  load: () => number;
  /** Our lease lapsed and another node may hold the Space: stop serving it here. */
  lost: (spaceId: string) => void;
  /** Looks for live Spaces nobody serves (a new go-live missed, or a dead node's). */
  rescan: () => Promise<void>;
  log: Logger;
  random?: () => number;
}

/**
 * A media node's side of placement: claims a live Space with a lease in the shared state,
 * renews its leases, and lets a Space go the moment a renewal says another node holds it
 * (fencing: a node that comes back after a pause never serves beside the new owner). While
 * the shared state does not answer, the node keeps what it serves: nobody else can take it
 * either.
 */
export class PlacementAgent {
  private readonly leases = new Map<string, MediaLease>();
  private readonly timers: NodeJS.Timeout[] = [];
  private ticking = false;
  /** When the shared state last failed to answer (ms), or never. */
  private sharedStateFailedAt = Number.NEGATIVE_INFINITY;
  private scanning = false;
  /** Positions to mark per Space: the latest only, one write in flight at a time. */
  private readonly marks = new Map<string, { next: StreamPosition | null; busy: boolean }>();

  constructor(private readonly options: PlacementAgentOptions) {}

  /**
   * Renewals and rescans run on separate timers: a slow database (rescans read the live
   * Spaces from it) must never delay a renewal, or a busy node would lose Spaces it serves.
   */
  start(): void {
    this.timers.push(
      setInterval(() => void this.tick(), this.options.renewMs),
      setInterval(() => void this.scan(), this.options.rescanMs),
    );
    for (const timer of this.timers) timer.unref();
  }

  /** Takes the Space if it is free: the lease's epoch if this node owns it now, else null. */
  async claim(spaceId: string): Promise<number | null> {
    const held = this.leases.get(spaceId);
    if (held) return held.epoch;
    // Just after the shared state came back (perhaps empty, after a Redis restart), owners
    // renew first: a Space that looks free may only have lost its lease with Redis's memory.
    // The owner may notice Redis is back later than this node does (each client retries its
    // connection on its own, at most every second), so the wait covers that too.
    const ownersFirstMs = this.options.ttlMs + this.options.renewMs + reconnectAllowanceMs;
    if (Date.now() - this.sharedStateFailedAt < ownersFirstMs) return null;
    const { placement, node, ttlMs, load, random = Math.random } = this.options;
    // Less busy nodes ask first: 0-150 ms of jitter plus 100 ms per room already here.
    await new Promise((resolve) => setTimeout(resolve, random() * 150 + 100 * load()));
    try {
      const lease = await placement.acquire(spaceId, node(), ttlMs);
      if (!lease) return null;
      this.leases.set(spaceId, lease);
      this.options.log.info({ spaceId, epoch: lease.epoch }, "placement: this node owns the Space");
      return lease.epoch;
    } catch (error) {
      this.sharedStateFailedAt = Date.now();
      this.options.log.warn({ err: error, spaceId }, "placement: cannot claim (shared state down)");
      return null;
    }
  }

  /** Where the Space's stream stood under its last owner (null if unknown). */
  async lastPosition(spaceId: string): Promise<StreamPosition | null> {
    try {
      return await this.options.placement.position(spaceId);
    } catch {
      return null;
    }
  }

  /**
   * A part of the Space went out: its position is marked for a node that may take over.
   * A refused mark means the lease is someone else's now: the Space stops here at once.
   */
  published(spaceId: string, position: StreamPosition): void {
    const slot = this.marks.get(spaceId) ?? { next: null, busy: false };
    this.marks.set(spaceId, slot);
    slot.next = position;
    if (!slot.busy) void this.markNext(spaceId, slot);
  }

  private async markNext(
    spaceId: string,
    slot: { next: StreamPosition | null; busy: boolean },
  ): Promise<void> {
    slot.busy = true;
    try {
      for (let position = slot.next; position; position = slot.next) {
        slot.next = null;
        const lease = this.leases.get(spaceId);
        if (!lease) break;
        let kept = true;
        try {
          kept = await this.options.placement.mark(lease, position);
        } catch {
          // Shared state down: nobody can take the Space either; the next part tries again.
        }
        if (!kept && this.leases.get(spaceId) === lease) this.lose(lease);
      }
    } finally {
      slot.busy = false;
      if (!this.leases.has(spaceId)) this.marks.delete(spaceId);
    }
  }

  private lose(lease: MediaLease): void {
    this.leases.delete(lease.spaceId);
    this.options.log.warn(
      { spaceId: lease.spaceId, epoch: lease.epoch },
      "placement: lease lost; another node serves the Space",
    );
    this.options.lost(lease.spaceId);
  }

  /** The Space's recording was taken by a newer owner: stop serving it here. */
  fenced(spaceId: string): void {
    const lease = this.leases.get(spaceId);
    if (lease) this.lose(lease);
  }

  /** The Space stopped here: its lease goes so another node need not wait for it to lapse. */
  release(spaceId: string): void {
    const lease = this.leases.get(spaceId);
    if (!lease) return;
    this.leases.delete(spaceId);
    this.options.placement.release(lease).catch(() => {});
  }

  /** Each Space owned here with its epoch (the fencing token). */
  owned(): MediaLease[] {
    return [...this.leases.values()];
  }

  stop(): void {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
  }

  /** Renews every lease held here; lets go of any another node holds now. */
  async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      await Promise.all(
        [...this.leases.values()].map(async (lease) => {
          let kept: boolean;
          try {
            kept = await this.options.placement.renew(lease, this.options.ttlMs);
          } catch {
            this.sharedStateFailedAt = Date.now();
            return; // Shared state down: keep serving.
          }
          if (!kept && this.leases.get(lease.spaceId) === lease) this.lose(lease);
        }),
      );
    } finally {
      this.ticking = false;
    }
  }

  /** Looks for live Spaces nobody serves (a dead node's, or a go-live this node missed). */
  async scan(): Promise<void> {
    if (this.scanning) return;
    this.scanning = true;
    try {
      await this.options.rescan();
    } catch (error) {
      this.options.log.warn({ err: error }, "placement: rescan failed");
    } finally {
      this.scanning = false;
    }
  }
}
