import type { Config } from "../config/config.ts";
import type {
  HeartbeatAnswer,
  QueueAnswer,
  TicketGrant,
} from "../contracts/listening-contracts.ts";
import type { GateSettings } from "../domain/admission/admission-gate.ts";
import type { AudienceFigures } from "../domain/presence/listener-counter.ts";
import { AmphiError } from "../errors/error-registry.ts";
import { type AdmissionLines, isPromise, type PresenceCounts } from "../shared-state/ports.ts";
import type { HlsUrlSigner } from "./hls-url-signer.ts";
import type { AdmissionSpace, SpaceDirectory } from "./space-directory.ts";
import type { TicketClaims, TicketSigner } from "./ticket-signer.ts";

export interface TicketRequest {
  spaceId: string;
  accountId: string | null;
  ip: string;
  queueToken?: string | undefined;
  altcha?: string | undefined;
}

/** A ticket now, or a place in line: the two answers of the ticket route, tagged. */
export type TicketAnswer = ({ kind: "ticket" } & TicketGrant) | ({ kind: "queue" } & QueueAnswer);

/** What stands before the gate: network limits and, under attack, proof of work. */
export interface ArrivalGuard {
  admit(request: {
    ip: string;
    altcha?: string | undefined;
    spaceId?: string | undefined;
    /** The request presents a valid place in this Space's line (it passed the guard before). */
    queued?: boolean | undefined;
  }): Promise<{ ok: true } | { ok: false; error: AmphiError }>;
  /** A failure on the join path after the guard let the request through. */
  recordFailure(): void;
}

export interface AdmissionSettings {
  gate: GateSettings;
  preQueueMinutes: number;
  heartbeatSeconds: number;
  counter: { windowMs: number; bucketMs: number; exactLimit: number; refreshMs: number };
}

/** The admission settings a configuration implies. */
export function admissionSettings(config: Config): AdmissionSettings {
  // A queued client is told to come back within 1..30 s; it keeps its place (and a seat
  // released to it) for comfortably longer than that.
  const maxRetrySeconds = 30;
  return {
    gate: {
      admitRatePerSecond: config.admitRatePerSecond,
      burst: Math.max(1, Math.ceil(config.admitRatePerSecond)),
      maxListeners: config.maxListenersPerSpace,
      abandonAfterMs: maxRetrySeconds * 2_000 + 10_000,
      holdReleasedMs: maxRetrySeconds * 1_500 + 10_000,
      minRetrySeconds: 1,
      maxRetrySeconds,
      maxQueueLength: 5_000_000,
      // A crowd arriving at more than a tenth of the admit rate (at least 10/s) queues
      // anyway; each newcomer then comes back once before a ticket, so bots that never
      // honour Retry-After win none (docs/decisions.md, "Newcomers confirm in a flood").
      confirmAboveArrivalsPerSecond: Math.max(10, config.admitRatePerSecond / 10),
      // Newcomers are told to come back after ~1 s; 4 s allows for a slow network.
      confirmGraceMs: 4_000,
    },
    preQueueMinutes: config.preQueueMinutes,
    heartbeatSeconds: config.heartbeatSeconds,
    counter: {
      // Two and a half heartbeats: one lost heartbeat does not drop a listener.
      windowMs: config.heartbeatSeconds * 2_500,
      bucketMs: config.heartbeatSeconds * 500,
      exactLimit: 10_000,
      refreshMs: 1_000,
    },
  };
}

/**
 * Who gets no ticket and no playlist URL: anyone not logged in when the host asks listeners
 * to log in, and whoever the hosts removed. The URL is the only way to the audio (edges and
 * the origin refuse unsigned ones), so this is what protects it.
 */
function refuseUnwelcome(space: AdmissionSpace, accountId: string | null): void {
  if (space.requireLogin && !accountId) {
    throw new AmphiError("AMPHI_UNAUTHENTICATED", {
      message: "The host asks listeners of this Space to log in.",
    });
  }
  if (accountId && space.blocked?.has(accountId)) {
    throw new AmphiError("AMPHI_BLOCKED_BY_HOST");
  }
  if (accountId && space.removed.has(accountId)) {
    throw new AmphiError("AMPHI_REMOVED_FROM_SPACE");
  }
}

/**
 * Joining a Space: the gate decides (admit now, or a place in line), a ticket is signed, and
 * heartbeats keep the listener counted. No database on the join path: the Space comes from
 * the in-memory directory, the line and the counts from the shared state (in process, or
 * Redis for a fleet, where any node answers for the same line).
 */
export class AdmissionService {
  /** Last known listener count of each Space this node answers for (shown in documents). */
  private readonly counts = new Map<string, { n: number; at: number }>();
  /** The counts last pushed to live sockets. */
  private readonly pushed = new Map<string, number>();

  constructor(
    private readonly directory: SpaceDirectory,
    private readonly signer: TicketSigner,
    /** Signs the LL-HLS URLs handed to admitted listeners (one prefix per Space per window). */
    private readonly hlsUrls: HlsUrlSigner,
    private readonly settings: AdmissionSettings,
    private readonly shared: { lines: AdmissionLines; presence: PresenceCounts },
    private readonly options: {
      guard?: ArrivalGuard;
      /** Stores the audience figures when a Space ends. */
      saveAudience: (spaceId: string, figures: AudienceFigures) => Promise<void>;
      onError: (error: unknown, spaceId: string) => void;
      /** A ticket went to someone logged in (notifications keep who listened; never waits). */
      onListener?: (spaceId: string, accountId: string) => void;
      now?: () => number;
    },
  ) {}

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  async requestTicket(request: TicketRequest): Promise<TicketAnswer> {
    const nowMs = this.now();
    const queued = request.queueToken
      ? await this.signer.verifyQueueToken(request.queueToken, nowMs)
      : null;
    const entryId = queued?.spaceId === request.spaceId ? queued.entryId : undefined;
    const { guard } = this.options;
    if (guard) {
      const verdict = await guard.admit({
        ip: request.ip,
        altcha: request.altcha,
        spaceId: request.spaceId,
        queued: entryId !== undefined,
      });
      if (!verdict.ok) throw verdict.error;
    }
    try {
      return await this.decide(request, entryId, nowMs);
    } catch (error) {
      if (!(error instanceof AmphiError) || error.status >= 500) guard?.recordFailure();
      throw error;
    }
  }

  private async decide(
    request: TicketRequest,
    entryId: string | undefined,
    nowMs: number,
  ): Promise<TicketAnswer> {
    // In process, the directory, the presence counts and the line answer with values, not
    // promises: awaiting only promises keeps a join free of microtask round trips there.
    const found = this.directory.lookup(request.spaceId);
    const space = isPromise(found) ? await found : found;
    if (!space) throw new AmphiError("AMPHI_SPACE_NOT_FOUND");
    if (space.state === "ended" || space.state === "cancelled") {
      throw new AmphiError("AMPHI_SPACE_ENDED", {
        message:
          space.state === "ended"
            ? "The Space has ended; its replay is on its page."
            : "The host cancelled this Space.",
      });
    }
    refuseUnwelcome(space, request.accountId);
    const opensAt = this.preQueueOpensAt(space);
    if (space.state === "scheduled" && opensAt !== null && nowMs < opensAt) {
      throw new AmphiError("AMPHI_SPACE_NOT_LIVE", {
        message: `The waiting room opens at ${new Date(opensAt).toISOString()}.`,
        details: { opensAt: new Date(opensAt).toISOString() },
      });
    }
    const counted = this.shared.presence.current(space.id, nowMs);
    const activeListeners = isPromise(counted) ? await counted : counted;
    this.counts.set(space.id, { n: activeListeners, at: nowMs });
    const arrived = this.shared.lines.arrive(space.id, {
      phase: space.state === "live" ? "queue" : "pre-queue",
      entryId,
      nowMs,
      activeListeners,
      untilOpenMs: space.scheduledFor ? space.scheduledFor.getTime() - nowMs : undefined,
    });
    const decision = isPromise(arrived) ? await arrived : arrived;
    if (decision.kind === "admit") {
      const { token, claims } = this.signer.issueTicket(space.id, request.accountId, nowMs);
      this.shared.presence.issued(space.id, claims.ticketId, nowMs);
      if (request.accountId) this.options.onListener?.(space.id, request.accountId);
      this.counts.set(space.id, { n: activeListeners + 1, at: nowMs });
      return {
        kind: "ticket",
        ticket: token,
        ticketId: claims.ticketId,
        playlistUrl: this.hlsUrls.playlistUrl(space.id, nowMs),
        expiresAt: claims.expiresAt.toISOString(),
        heartbeatSeconds: this.settings.heartbeatSeconds,
      };
    }
    // The same place keeps the same token; a new place gets a new one.
    const token =
      decision.entryId === null
        ? null
        : decision.entryId === entryId && request.queueToken
          ? request.queueToken
          : this.signer.issueQueueToken({ spaceId: space.id, entryId: decision.entryId }, nowMs);
    return {
      kind: "queue",
      queue: {
        token,
        position: decision.position,
        estimatedWaitSeconds: decision.estimatedWaitSeconds,
        phase: decision.phase,
        opensAt: space.scheduledFor?.toISOString() ?? null,
      },
      retryAfter: decision.retryAfterSeconds,
    };
  }

  /** The claims of a valid, unexpired ticket of this Space; AMPHI_TICKET_INVALID otherwise. */
  async verifyTicket(spaceId: string, ticket: string): Promise<TicketClaims> {
    const claims = await this.signer.verifyTicket(ticket, this.now());
    if (!claims || claims.spaceId !== spaceId) throw new AmphiError("AMPHI_TICKET_INVALID");
    return claims;
  }

  async heartbeat(spaceId: string, ticket: string): Promise<HeartbeatAnswer> {
    const nowMs = this.now();
    const claims = await this.signer.verifyTicket(ticket, nowMs);
    if (!claims || claims.spaceId !== spaceId) throw new AmphiError("AMPHI_TICKET_INVALID");
    const found = this.directory.lookup(spaceId);
    const space = isPromise(found) ? await found : found;
    if (!space) throw new AmphiError("AMPHI_SPACE_NOT_FOUND");
    if (space.state !== "live") throw new AmphiError("AMPHI_SPACE_ENDED");
    // Removed since joining, or the host now asks for a log-in: no URL of the next window.
    refuseUnwelcome(space, claims.accountId);
    this.shared.presence.seen(spaceId, claims.ticketId, nowMs);
    const counted = this.shared.presence.current(spaceId, nowMs);
    const listeners = isPromise(counted) ? await counted : counted;
    this.counts.set(spaceId, { n: listeners, at: nowMs });
    const renewed = this.signer.renewTicket(claims, nowMs);
    return {
      listeners,
      ticket: renewed.token,
      expiresAt: renewed.claims.expiresAt.toISOString(),
      heartbeatSeconds: this.settings.heartbeatSeconds,
      playlistUrl: this.hlsUrls.playlistUrl(spaceId, nowMs),
    };
  }

  /**
   * Listeners of a live Space, as last read; a reading older than a second is refreshed in
   * the background for the next caller (documents are cached for seconds anyway).
   */
  listeners(spaceId: string): number {
    const known = this.counts.get(spaceId);
    const nowMs = this.now();
    if (!known || nowMs - known.at >= 1_000) {
      this.counts.set(spaceId, { n: known?.n ?? 0, at: nowMs });
      const counted = this.shared.presence.current(spaceId, nowMs);
      if (isPromise(counted)) {
        counted.then(
          (n) => this.counts.set(spaceId, { n, at: nowMs }),
          () => {},
        );
      } else {
        this.counts.set(spaceId, { n: counted, at: nowMs });
      }
    }
    return known?.n ?? 0;
  }

  /** Live Spaces whose counts this node shows. */
  activeSpaceIds(): string[] {
    return this.directory.liveIds();
  }

  /** Reads the fleet's count of every live Space; returns the ids whose count changed. */
  async refreshCounts(): Promise<string[]> {
    const nowMs = this.now();
    const changed: string[] = [];
    const live = new Set(this.directory.liveIds());
    for (const id of this.pushed.keys()) if (!live.has(id)) this.pushed.delete(id);
    for (const id of this.counts.keys()) if (!live.has(id)) this.counts.delete(id);
    for (const id of live) {
      const n = await this.shared.presence.current(id, nowMs);
      this.counts.set(id, { n, at: nowMs });
      if (this.pushed.get(id) === n) continue;
      this.pushed.set(id, n);
      changed.push(id);
    }
    return changed;
  }

  /** A Space's audience so far: its peak concurrent and distinct listeners. */
  async audience(spaceId: string): Promise<{ peakListeners: number; uniqueListeners: number }> {
    const figures = await this.shared.presence.figures(spaceId, this.now());
    return { peakListeners: figures.peak, uniqueListeners: figures.unique };
  }

  /**
   * The directory saw a Space change: the end forgets its line and counts, and stores the
   * audience figures again (the end stored them already; the larger figure wins), in case the
   * end did not go through SpacesService.changeState on a node that could read them.
   */
  spaceChanged(previous: AdmissionSpace | undefined, next: AdmissionSpace): void {
    if ((next.state === "ended" || next.state === "cancelled") && previous?.state === "live") {
      void this.finish(next.id);
    }
  }

  private async finish(spaceId: string): Promise<void> {
    this.counts.delete(spaceId);
    try {
      const figures = await this.shared.presence.figures(spaceId, this.now());
      await Promise.all([this.shared.lines.forget(spaceId), this.shared.presence.forget(spaceId)]);
      await this.options.saveAudience(spaceId, figures);
    } catch (error) {
      this.options.onError(error, spaceId);
    }
  }

  private preQueueOpensAt(space: AdmissionSpace): number | null {
    if (!space.scheduledFor) return null;
    return space.scheduledFor.getTime() - this.settings.preQueueMinutes * 60_000;
  }
}
