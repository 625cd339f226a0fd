import {
  AdmissionGate,
  type GateDecision,
  type GateSettings,
} from "../../domain/admission/admission-gate.ts";
import type { AdmissionLines, LineArrival } from "../ports.ts";

/**
 * Admission lines in this process: one pure AdmissionGate per Space. The embedded default,
 * and what a Redis-backed node falls back to (at its share of the rate) while Redis is down.
 */
export class MemoryAdmissionLines implements AdmissionLines {
  private readonly gates = new Map<string, AdmissionGate>();

  constructor(
    private readonly settings: GateSettings,
    private readonly options: { newId: () => string; random: () => number },
  ) {}

  /** Answers at once, not with a promise (see the port). */
  arrive(spaceId: string, arrival: LineArrival): GateDecision {
    return this.arriveNow(spaceId, arrival);
  }

  /** The same, synchronously (the fallback path must not wait on anything). */
  arriveNow(spaceId: string, arrival: LineArrival): GateDecision {
    let gate = this.gates.get(spaceId);
    if (!gate) {
      gate = new AdmissionGate(this.settings, {
        phase: arrival.phase,
        nowMs: arrival.nowMs,
        newId: this.options.newId,
        random: this.options.random,
      });
      this.gates.set(spaceId, gate);
    } else if (arrival.phase === "queue") {
      gate.open(arrival.nowMs);
    }
    return gate.arrive(arrival);
  }

  async forget(spaceId: string): Promise<void> {
    this.gates.delete(spaceId);
  }
}
