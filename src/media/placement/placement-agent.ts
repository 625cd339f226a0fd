import type { Logger } from "pino";
import type { MediaLease, MediaNodeRef, MediaPlacement } from "../../shared-state/ports.ts";

export interface PlacementAgentOptions {
  placement: MediaPlacement;
  /** This node as the fleet reaches it (known once it listens). */
  node: () => MediaNodeRef;
  /** Lease length; renewed every `renewMs`. A dead node's Spaces are free `ttlMs` after. */
  ttlMs: number;
  renewMs: number;
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
  private timer: NodeJS.Timeout | null = null;
  private ticking = false;

  constructor(private readonly options: PlacementAgentOptions) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.options.renewMs);
    this.timer.unref();
  }

  /** Takes the Space if it is free; true if this node owns it now. */
  async claim(spaceId: string): Promise<boolean> {
    if (this.leases.has(spaceId)) return true;
    const { placement, node, ttlMs, load, random = Math.random } = this.options;
    // Less busy nodes ask first: 0-150 ms of jitter plus 100 ms per room already here.
    await new Promise((resolve) => setTimeout(resolve, random() * 150 + 100 * load()));
    try {
      const lease = await placement.acquire(spaceId, node(), ttlMs);
      if (!lease) return false;
      this.leases.set(spaceId, lease);
      this.options.log.info({ spaceId, epoch: lease.epoch }, "placement: this node owns the Space");
      return true;
    } catch (error) {
      this.options.log.warn({ err: error, spaceId }, "placement: cannot claim (shared state down)");
      return false;
    }
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
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      for (const lease of [...this.leases.values()]) {
        let kept: boolean;
        try {
          kept = await this.options.placement.renew(lease, this.options.ttlMs);
        } catch {
          continue; // Shared state down: keep serving.
        }
        if (kept) continue;
        this.leases.delete(lease.spaceId);
        this.options.log.warn(
          { spaceId: lease.spaceId, epoch: lease.epoch },
          "placement: lease lost; another node serves the Space",
        );
        this.options.lost(lease.spaceId);
      }
      await this.options.rescan();
    } catch (error) {
      this.options.log.warn({ err: error }, "placement: tick failed");
    } finally {
      this.ticking = false;
    }
  }
}
