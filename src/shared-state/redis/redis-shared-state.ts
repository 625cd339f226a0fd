import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import type { Bus } from "../../bus/bus.ts";
import type { SharedState } from "../ports.ts";
import { newEntryId, type SharedStateSettings } from "../settings.ts";
import { FleetShare, type NodeRole } from "./fleet-share.ts";
import { defineAdmissionScript, RedisAdmissionLines } from "./redis-admission-lines.ts";
import { RedisBus } from "./redis-bus.ts";
import { connectRedis, whenReady } from "./redis-connection.ts";
import { RedisFleetSignals } from "./redis-fleet-signals.ts";
import { RedisPlacement } from "./redis-placement.ts";
import { RedisPresenceCounts } from "./redis-presence-counts.ts";
import { RedisRateLimitStores } from "./redis-rate-limit-stores.ts";
import { RedisSpentNonces } from "./redis-spent-nonces.ts";

export interface RedisSharedStateOptions {
  url: string;
  node: { name: string; role: NodeRole };
  settings: SharedStateSettings;
  /** A call fell back to its local answer (Redis down or slow); rate-limit your logging. */
  onDegraded?: (error: unknown) => void;
  onHandlerError?: (error: unknown) => void;
  /** How long start-up waits for Redis before serving degraded. */
  connectTimeoutMs?: number;
}

/** The shared state of a fleet, in Redis 7 (or Valkey). */
export class RedisSharedState implements SharedState {
  readonly kind = "redis";
  readonly admission: RedisAdmissionLines;
  readonly presence: RedisPresenceCounts;
  readonly limits: RedisRateLimitStores;
  readonly signals: RedisFleetSignals;
  readonly nonces: RedisSpentNonces;
  readonly placement: RedisPlacement;
  readonly share: FleetShare;
  private readonly buses = new Map<string, Bus<object>>();
  /** Unique per process start: a restarted node must not drop its predecessor's messages. */
  private readonly nodeId: string;

  private constructor(
    private readonly client: Redis,
    private readonly subscriber: Redis,
    private readonly options: RedisSharedStateOptions,
  ) {
    const degraded = options.onDegraded ?? (() => {});
    const { settings } = options;
    this.nodeId = `${options.node.name}/${randomBytes(4).toString("hex")}`;
    this.share = new FleetShare(client, options.node);
    defineAdmissionScript(client);
    this.admission = new RedisAdmissionLines(client, settings.gate, {
      newId: settings.newId ?? newEntryId,
      random: settings.random ?? Math.random,
      share: this.share,
      onFallback: degraded,
    });
    this.presence = new RedisPresenceCounts(client, settings.counter, degraded);
    this.limits = new RedisRateLimitStores(client, this.share);
    this.signals = new RedisFleetSignals(client, degraded);
    this.nonces = new RedisSpentNonces(client, degraded);
    this.placement = new RedisPlacement(client);
  }

  /** Connects (waiting up to `connectTimeoutMs` for Redis; degraded if it is not there). */
  static async connect(options: RedisSharedStateOptions): Promise<RedisSharedState> {
    const onError = options.onDegraded;
    const client = connectRedis({ url: options.url, ...(onError ? { onError } : {}) });
    // Subscribed connections cannot send other commands: pub/sub needs its own.
    const subscriber = connectRedis({ url: options.url });
    const timeout = options.connectTimeoutMs ?? 3_000;
    await Promise.all([whenReady(client, timeout), whenReady(subscriber, timeout)]);
    const state = new RedisSharedState(client, subscriber, options);
    await state.share.beat();
    state.share.start();
    return state;
  }

  bus<Events extends object>(name: string): Bus<Events> {
    let bus = this.buses.get(name);
    if (!bus) {
      bus = new RedisBus<object>(this.client, this.subscriber, {
        name,
        nodeId: this.nodeId,
        onHandlerError: this.options.onHandlerError ?? (() => {}),
      });
      this.buses.set(name, bus);
    }
    return bus as unknown as Bus<Events>;
  }

  health(): { shared: boolean } {
    return { shared: this.client.status === "ready" };
  }

  async close(): Promise<void> {
    this.share.stop();
    await this.share.leave();
    this.client.disconnect();
    this.subscriber.disconnect();
  }
}
