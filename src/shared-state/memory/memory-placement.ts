import type { MediaLease, MediaNodeRef, MediaPlacement, StreamPosition } from "../ports.ts";

/** Placement in one process: the leases live in a map, with the same lapse rules as Redis. */
export class MemoryPlacement implements MediaPlacement {
  private readonly leases = new Map<string, MediaLease>();
  private readonly epochs = new Map<string, number>();
  private readonly positions = new Map<string, StreamPosition>();

  constructor(private readonly now: () => number = Date.now) {}

  async acquire(spaceId: string, node: MediaNodeRef, ttlMs: number): Promise<MediaLease | null> {
    if (this.live(spaceId)) return null;
    // Never below the clock (as in Redis): epochs keep growing across restarts.
    const epoch = Math.max((this.epochs.get(spaceId) ?? 0) + 1, Math.floor(this.now()));
    this.epochs.set(spaceId, epoch);
    const lease = {
      spaceId,
      name: node.name,
      url: node.url,
      epoch,
      expiresAtMs: this.now() + ttlMs,
    };
    this.leases.set(spaceId, lease);
    return { ...lease };
  }

  async renew(lease: MediaLease, ttlMs: number): Promise<boolean> {
    const held = this.live(lease.spaceId);
    if (!held) {
      // Lapsed, and no newer epoch handed out: still ours (as in Redis).
      if ((this.epochs.get(lease.spaceId) ?? 0) > lease.epoch) return false;
      this.epochs.set(lease.spaceId, lease.epoch);
      this.leases.set(lease.spaceId, { ...lease, expiresAtMs: this.now() + ttlMs });
      lease.expiresAtMs = this.now() + ttlMs;
      return true;
    }
    if (held.epoch !== lease.epoch || held.name !== lease.name) return false;
    held.expiresAtMs = this.now() + ttlMs;
    lease.expiresAtMs = held.expiresAtMs;
    return true;
  }

  async release(lease: MediaLease): Promise<void> {
    const held = this.leases.get(lease.spaceId);
    if (held && held.epoch === lease.epoch && held.name === lease.name) {
      this.leases.delete(lease.spaceId);
    }
  }

  async owner(spaceId: string): Promise<MediaLease | null> {
    const held = this.live(spaceId);
    return held ? { ...held } : null;
  }

  async mark(lease: MediaLease, position: StreamPosition): Promise<boolean> {
    const held = this.live(lease.spaceId);
    if (held && (held.epoch !== lease.epoch || held.name !== lease.name)) return false;
    if (!held && (this.epochs.get(lease.spaceId) ?? 0) > lease.epoch) return false;
    this.positions.set(lease.spaceId, { ...position });
    return true;
  }

  async position(spaceId: string): Promise<StreamPosition | null> {
    const known = this.positions.get(spaceId);
    return known ? { ...known } : null;
  }

  private live(spaceId: string): MediaLease | null {
    const held = this.leases.get(spaceId);
    if (!held) return null;
    if (held.expiresAtMs <= this.now()) {
      this.leases.delete(spaceId);
      return null;
    }
    return held;
  }
}
