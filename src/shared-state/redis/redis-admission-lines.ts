import type { Redis } from "ioredis";
import type { GateDecision, GateSettings } from "../../domain/admission/admission-gate.ts";
import { MemoryAdmissionLines } from "../memory/memory-admission-lines.ts";
import type { AdmissionLines, LineArrival } from "../ports.ts";
import { admissionScript } from "./admission-script.ts";
import type { FleetShare } from "./fleet-share.ts";

type ScriptReply = [string, string?, number?, number?, number?, string?];

type ScriptedRedis = Redis & { amphiAdmit(...args: (string | number)[]): Promise<unknown> };

/** Registers the script once per client (EVALSHA afterwards, EVAL if Redis forgot it). */
export function defineAdmissionScript(redis: Redis): void {
  redis.defineCommand("amphiAdmit", { numberOfKeys: 10, lua: admissionScript });
}

/** How long a Space's line outlives its last arrival in Redis. */
const lineTtlMs = 6 * 3_600_000;

/**
 * One admission line per Space for the whole fleet, decided by one Redis script per request.
 * While Redis does not answer, each node decides alone with a local gate at its share of the
 * admit rate and ceiling (so the fleet together stays within them), and a place in that
 * local line is not known to the others: its holder starts again when Redis is back.
 */
export class RedisAdmissionLines implements AdmissionLines {
  private fallback: MemoryAdmissionLines;
  private fallbackShare: number;

  constructor(
    private readonly redis: Redis,
    private readonly settings: GateSettings,
    private readonly options: {
      newId: () => string;
      random: () => number;
      share: FleetShare;
      onFallback: (error: unknown) => void;
    },
  ) {
    this.fallbackShare = options.share.apiShare();
    this.fallback = new MemoryAdmissionLines(shareOf(settings, this.fallbackShare), options);
  }

  async arrive(spaceId: string, arrival: LineArrival): Promise<GateDecision> {
    try {
      const reply = (await (this.redis as ScriptedRedis).amphiAdmit(
        ...keysOf(spaceId),
        arrival.phase,
        arrival.entryId ?? "",
        arrival.nowMs,
        arrival.activeListeners,
        arrival.untilOpenMs ?? "",
        this.options.newId(),
        this.options.random(),
        this.options.random(),
        this.settings.admitRatePerSecond,
        this.settings.burst,
        this.settings.maxListeners,
        this.settings.abandonAfterMs,
        this.settings.holdReleasedMs,
        this.settings.minRetrySeconds,
        this.settings.maxRetrySeconds,
        this.settings.maxQueueLength,
        lineTtlMs,
        this.settings.confirmAboveArrivalsPerSecond,
        this.settings.confirmGraceMs,
      )) as ScriptReply;
      return decisionOf(reply);
    } catch (error) {
      this.options.onFallback(error);
      return this.local().arriveNow(spaceId, arrival);
    }
  }

  async forget(spaceId: string): Promise<void> {
    await this.fallback.forget(spaceId);
    await this.redis.del(...keysOf(spaceId)).catch(() => {});
  }

  /** The local gate, rebuilt when the fleet's size changed since it was made. */
  private local(): MemoryAdmissionLines {
    const share = this.options.share.apiShare();
    if (share !== this.fallbackShare) {
      this.fallbackShare = share;
      this.fallback = new MemoryAdmissionLines(shareOf(this.settings, share), this.options);
    }
    return this.fallback;
  }
}

function keysOf(spaceId: string): string[] {
  // One hash tag: all keys of a line live in one slot (Redis Cluster can run the script).
  const base = `amphi:gate:{${spaceId}}`;
  const names = [
    "meta",
    "line",
    "entries",
    "held",
    "skipped",
    "rel",
    "arr",
    "seen",
    "counted",
    "fresh",
  ];
  return names.map((k) => `${base}:${k}`);
}

function decisionOf(reply: ScriptReply): GateDecision {
  if (reply[0] === "admit") return { kind: "admit" };
  const [, entryId, position, wait, retryAfter, phase] = reply;
  return {
    kind: "queue",
    entryId: entryId ? entryId : null,
    position: Number(position),
    estimatedWaitSeconds: Number(wait) < 0 ? null : Number(wait),
    retryAfterSeconds: Number(retryAfter),
    phase: phase === "pre-queue" ? "pre-queue" : "queue",
  };
}

/** A node's share of the fleet's gate: its part of the rate, burst and ceiling. */
export function shareOf(settings: GateSettings, share: number): GateSettings {
  const part = Math.min(1, Math.max(share, 0.0001));
  return {
    ...settings,
    admitRatePerSecond: settings.admitRatePerSecond * part,
    burst: Math.max(1, Math.floor(settings.burst * part)),
    maxListeners: Math.max(1, Math.floor(settings.maxListeners * part)),
    confirmAboveArrivalsPerSecond: Math.max(1, settings.confirmAboveArrivalsPerSecond * part),
  };
}
