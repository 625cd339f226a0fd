import { RateLimiterMemory } from "rate-limiter-flexible";
import type { Bus } from "../../bus/bus.ts";
import { MemoryBus } from "../../bus/memory-bus.ts";
import type { LimitSpec, RateLimitStores, SharedState } from "../ports.ts";
import { newEntryId, type SharedStateSettings } from "../settings.ts";
import { MemoryAdmissionLines } from "./memory-admission-lines.ts";
import { MemoryFleetSignals } from "./memory-fleet-signals.ts";
import { MemoryPlacement } from "./memory-placement.ts";
import { MemoryPresenceCounts } from "./memory-presence-counts.ts";
import { MemorySpentNonces } from "./memory-spent-nonces.ts";

/** Limits in this process: one limiter per name, whoever asks for it. */
export class MemoryRateLimitStores implements RateLimitStores {
  private readonly limiters = new Map<string, RateLimiterMemory>();

  create(spec: LimitSpec): RateLimiterMemory {
    let limiter = this.limiters.get(spec.name);
    if (!limiter) {
      limiter = new RateLimiterMemory({
        keyPrefix: spec.name,
        points: spec.points,
        duration: spec.windowSeconds,
      });
      this.limiters.set(spec.name, limiter);
    }
    return limiter;
  }
}

/** The shared state of a fleet of one process: `npm start`, no Redis. */
export class MemorySharedState implements SharedState {
  readonly kind = "memory";
  readonly admission: MemoryAdmissionLines;
  readonly presence: MemoryPresenceCounts;
  readonly limits = new MemoryRateLimitStores();
  readonly signals = new MemoryFleetSignals();
  readonly nonces: MemorySpentNonces;
  readonly placement: MemoryPlacement;
  private readonly buses = new Map<string, MemoryBus<object>>();

  constructor(
    settings: SharedStateSettings,
    private readonly onHandlerError: (error: unknown) => void = () => {},
  ) {
    this.admission = new MemoryAdmissionLines(settings.gate, {
      newId: settings.newId ?? newEntryId,
      random: settings.random ?? Math.random,
    });
    this.presence = new MemoryPresenceCounts(settings.counter);
    this.nonces = new MemorySpentNonces(100_000, settings.now);
    this.placement = new MemoryPlacement(settings.now);
  }

  bus<Events extends object>(name: string): Bus<Events> {
    let bus = this.buses.get(name);
    if (!bus) {
      bus = new MemoryBus<object>(this.onHandlerError);
      this.buses.set(name, bus);
    }
    return bus as unknown as Bus<Events>;
  }

  health(): { shared: boolean } {
    return { shared: true };
  }

  async close(): Promise<void> {}
}
