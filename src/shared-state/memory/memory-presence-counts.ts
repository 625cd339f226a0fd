import {
  type AudienceFigures,
  ListenerCounter,
  type ListenerCounterSettings,
} from "../../domain/presence/listener-counter.ts";
import type { PresenceCounts } from "../ports.ts";

/** Listener counts in this process: one pure ListenerCounter per Space. */
export class MemoryPresenceCounts implements PresenceCounts {
  private readonly counters = new Map<string, ListenerCounter>();

  constructor(private readonly settings: ListenerCounterSettings) {}

  issued(spaceId: string, ticketId: string, nowMs: number): void {
    this.counter(spaceId).issued(ticketId, nowMs);
  }

  seen(spaceId: string, ticketId: string, nowMs: number): void {
    this.counter(spaceId).seen(ticketId, nowMs);
  }

  /** Answers at once, not with a promise (see the port). */
  current(spaceId: string, nowMs: number): number {
    return this.currentNow(spaceId, nowMs);
  }

  currentNow(spaceId: string, nowMs: number): number {
    return this.counters.get(spaceId)?.current(nowMs) ?? 0;
  }

  async figures(spaceId: string, nowMs: number): Promise<AudienceFigures> {
    return this.figuresNow(spaceId, nowMs);
  }

  figuresNow(spaceId: string, nowMs: number): AudienceFigures {
    return this.counters.get(spaceId)?.figures(nowMs) ?? { current: 0, peak: 0, unique: 0 };
  }

  async forget(spaceId: string): Promise<void> {
    this.counters.delete(spaceId);
  }

  private counter(spaceId: string): ListenerCounter {
    let counter = this.counters.get(spaceId);
    if (!counter) {
      counter = new ListenerCounter(this.settings);
      this.counters.set(spaceId, counter);
    }
    return counter;
  }
}
