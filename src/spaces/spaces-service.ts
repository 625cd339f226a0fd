import type { Bus } from "../bus/bus.ts";
import type { MyStanding, NewSpaceInput } from "../contracts/space-contracts.ts";
import { allowedIn, mayAct, type Standing } from "../domain/spaces/permissions.ts";
import { isReactionEmoji, type ReactionAggregator } from "../domain/spaces/reactions.ts";
import { isFinished, type LifecycleAction, nextState } from "../domain/spaces/space-lifecycle.ts";
import {
  decideStageAction,
  listener,
  type StageActionName,
  type StageContext,
  standingOf,
} from "../domain/spaces/stage.ts";
import { AmphiError } from "../errors/error-registry.ts";
import type { Limiter } from "../limits/limiter.ts";
import type { Db } from "../store/database.ts";
import { type Repositories, repositories } from "../store/repositories/index.ts";
import type { SpaceRecord } from "../store/repositories/spaces-repository.ts";
import type { SpaceEvents } from "./events.ts";
import type { SpaceActivity, SpaceActivityObserver } from "./space-activity.ts";
import {
  type AccountSummary,
  type SpaceDocument,
  summary,
  toSpaceDocument,
} from "./space-document.ts";
import { newSpaceId } from "./space-id.ts";
import type { SpaceSnapshot, SpaceSnapshots } from "./space-snapshots.ts";

/** Live listener counts (src/admission: distinct tickets heartbeating). */
export interface ListenerCounts {
  count(spaceId: string): number;
  /**
   * The audience figures of a Space so far (peak concurrent, distinct listeners), stored with
   * its end so that the ended document everyone is pushed already carries them.
   */
  figures?(spaceId: string): Promise<{ peakListeners: number; uniqueListeners: number } | null>;
}

/** Per-person rate limits of the Space's busiest actions. */
export interface SpaceLimits {
  reactions: Limiter;
  /** Reactions with a listener ticket: per ticket and per address. */
  listenerReactions: { take(ticketId: string, ip: string): Promise<void> };
  stageActions: Limiter;
  /** Spaces created per account. */
  spaceCreations: Limiter;
  /** Live Spaces one account may host at once. */
  maxLiveSpaces: number;
}

/**
 * Who reacts: someone logged in, or a listener holding a valid ticket of the Space (checked
 * by the caller; `accountId` is the ticket's, when it was issued to someone logged in).
 */
export type Reactor =
  | { kind: "account"; id: string; handle: string }
  | { kind: "listener"; ticketId: string; accountId: string | null; ip: string };

/** Spaces: creation, discovery, lifecycle, the stage and reactions. */
export class SpacesService {
  private readonly repos: Repositories;
  private readonly observers = new Set<SpaceActivityObserver>();

  constructor(
    private readonly db: Db,
    private readonly snapshots: SpaceSnapshots,
    private readonly bus: Bus<SpaceEvents>,
    private readonly listeners: ListenerCounts,
    private readonly reactions: ReactionAggregator,
    private readonly limits: SpaceLimits,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.repos = repositories(db);
  }

  /** Hears every change made on this node, once, after it is stored. Returns the unsubscribe. */
  observe(observer: SpaceActivityObserver): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  private tell(activity: SpaceActivity): void {
    for (const observer of this.observers) {
      try {
        observer(activity);
      } catch {
        // An observer's failure is its own (observers handle and log their errors).
      }
    }
  }

  async create(hostId: string, input: NewSpaceInput): Promise<SpaceDocument> {
    const at = this.now();
    const scheduledFor = input.scheduledFor ? new Date(input.scheduledFor) : null;
    if (scheduledFor && !input.startNow && scheduledFor.getTime() < at.getTime() - 60_000) {
      throw new AmphiError("AMPHI_VALIDATION_FAILED", {
        message: "The scheduled time is in the past.",
        details: [{ path: ["body", "scheduledFor"], message: "must be in the future" }],
      });
    }
    await this.limits.spaceCreations.take(hostId);
    const id = newSpaceId();
    await this.db.transaction().execute(async (trx) => {
      const r = repositories(trx);
      if (input.startNow) await this.checkLiveLimit(r, hostId);
      await r.spaces.create({
        id,
        hostId,
        title: input.title,
        description: input.description ?? "",
        state: "scheduled",
        scheduledFor,
        recording: input.recording ?? true,
        speakerPolicy: input.speakerRequests ?? "everyone",
        requireLogin: input.requireLogin ?? false,
      });
      await r.participants.save(id, [{ ...listener(hostId), role: "host", muted: true }], at);
      if (input.startNow) await r.spaces.setState(id, "live", at, "started_at");
    });
    // Others act on new Spaces too (a live one gets its media room).
    this.changed(id, []);
    this.tell({
      type: "created",
      spaceId: id,
      hostId,
      scheduledFor,
      state: input.startNow ? "live" : "scheduled",
    });
    if (input.startNow) {
      this.tell({
        type: "stateChanged",
        spaceId: id,
        actorId: hostId,
        from: "scheduled",
        to: "live",
      });
    }
    return this.document(id);
  }

  /** The public document, from memory when it was read recently. */
  async document(spaceId: string): Promise<SpaceDocument> {
    return this.toDocument(await this.snapshot(spaceId));
  }

  toDocument(snapshot: SpaceSnapshot): SpaceDocument {
    const id = snapshot.space.id;
    return toSpaceDocument(snapshot, {
      listeners: this.listeners.count(id),
      reactionsLastSecond: this.reactions.lastSecond(id, this.now().getTime()),
    });
  }

  async snapshot(spaceId: string): Promise<SpaceSnapshot> {
    const snapshot = await this.snapshots.get(spaceId);
    if (!snapshot) throw new AmphiError("AMPHI_SPACE_NOT_FOUND");
    return snapshot;
  }

  async list(query: {
    state: "live" | "scheduled" | "ended";
    host?: string | undefined;
    limit: number;
  }): Promise<SpaceDocument[]> {
    let hostId: string | undefined;
    if (query.host) {
      const host = await this.repos.accounts.findByHandle(query.host);
      if (!host) return [];
      hostId = host.id;
    }
    const spaces = await this.repos.spaces.list({ state: query.state, hostId, limit: query.limit });
    const snapshots = await Promise.all(spaces.map((s) => this.snapshots.get(s.id)));
    return snapshots.filter((s) => s !== null).map((s) => this.toDocument(s));
  }

  async changeState(
    spaceId: string,
    actorId: string,
    action: LifecycleAction,
  ): Promise<SpaceDocument> {
    // Read before the transaction (the shared state may be a network away), stored within it.
    const audience = action === "end" ? await this.audienceFigures(spaceId) : null;
    const { from, to } = await this.db.transaction().execute(async (trx) => {
      const r = repositories(trx);
      const space = await this.locked(r, spaceId);
      const participant = await r.participants.find(spaceId, actorId);
      const standing: Standing = participant?.removed
        ? "removed"
        : (participant?.role ?? "listener");
      const allowed = mayAct(action, standing);
      if (allowed !== true) throw new AmphiError(allowed);
      const to = nextState(space.state, action);
      if (!to) {
        throw new AmphiError("AMPHI_INVALID_TRANSITION", {
          message: `A ${space.state} Space cannot ${action}.`,
          details: { state: space.state, action },
        });
      }
      if (to === "live") await this.checkLiveLimit(r, space.hostId);
      const at = this.now();
      const column = action === "start" ? "started_at" : action === "end" ? "ended_at" : null;
      await r.spaces.setState(spaceId, to, at, column);
      if (to === "ended" && audience) await r.spaces.saveAudience(spaceId, audience);
      // Requests and invitations cannot be answered once the Space is over.
      if (isFinished(to)) await r.participants.clearPending(spaceId, at);
      return { from: space.state, to };
    });
    if (action !== "start") this.reactions.forget(spaceId);
    this.changed(spaceId, []);
    this.tell({ type: "stateChanged", spaceId, actorId, from, to });
    return this.document(spaceId);
  }

  /**
   * Ends an abandoned live Space as its host would (the recording is finalised, the replay
   * announced, everyone told). Null when it is no longer live: another node ended it first,
   * or its host did.
   */
  async endIdle(spaceId: string): Promise<SpaceDocument | null> {
    const { space } = await this.snapshot(spaceId);
    if (space.state !== "live") return null;
    try {
      return await this.changeState(spaceId, space.hostId, "end");
    } catch (error) {
      if (error instanceof AmphiError && error.code === "AMPHI_INVALID_TRANSITION") return null;
      throw error;
    }
  }

  /** Refuses a go-live past the host's number of live Spaces at once (locks the host's row). */
  private async checkLiveLimit(r: Repositories, hostId: string): Promise<void> {
    const limit = this.limits.maxLiveSpaces;
    if ((await r.spaces.lockAndCountLive(hostId)) >= limit) {
      throw new AmphiError("AMPHI_LIVE_SPACE_LIMIT", {
        message: `You already host ${limit} live Space${limit === 1 ? "" : "s"}; end one first.`,
        details: { limit },
      });
    }
  }

  /** The audience so far, or null when it cannot be read (the end goes on without it). */
  private async audienceFigures(
    spaceId: string,
  ): Promise<{ peakListeners: number; uniqueListeners: number } | null> {
    try {
      return (await this.listeners.figures?.(spaceId)) ?? null;
    } catch {
      return null; // the admission service stores them a moment later (spaceChanged)
    }
  }

  /** Runs one stage action in a transaction that locks the Space, then tells everyone. */
  async stageAction(
    spaceId: string,
    actorId: string,
    action: StageActionName,
    targetHandle?: string,
  ): Promise<SpaceDocument> {
    await this.limits.stageActions.take(actorId);
    let targetId: string | undefined;
    const changedIds = await this.db.transaction().execute(async (trx) => {
      const r = repositories(trx);
      const space = await this.locked(r, spaceId);
      if (targetHandle !== undefined) {
        const target = await r.accounts.findByHandle(targetHandle);
        if (!target) throw new AmphiError("AMPHI_ACCOUNT_NOT_FOUND");
        targetId = target.id;
      }
      // Someone the host blocked takes no part in the host's Spaces.
      if (actorId !== space.hostId && (await r.blocks.isBlocked(space.hostId, actorId))) {
        throw new AmphiError("AMPHI_BLOCKED_BY_HOST");
      }
      const ctx = await this.context(r, space, actorId);
      const decision = decideStageAction(ctx, actorId, action, targetId);
      if (!decision.ok) {
        throw new AmphiError(decision.code, decision.message ? { message: decision.message } : {});
      }
      await r.participants.save(spaceId, decision.changes, this.now());
      return decision.changes.map((p) => p.accountId);
    });
    // Nothing changed (e.g. asking twice): nobody needs to hear about it.
    if (changedIds.length > 0) this.changed(spaceId, changedIds);
    this.tell({
      type: "stageAction",
      spaceId,
      actorId,
      action,
      targetId: targetId ?? null,
      changed: changedIds,
      at: this.now(),
    });
    return this.document(spaceId);
  }

  /**
   * Lets someone removed from a Space back in (a moderation decision reversed on appeal): they
   * are a listener again and may ask to speak. Whether they were removed.
   */
  async readmit(spaceId: string, accountId: string): Promise<boolean> {
    const readmitted = await this.db.transaction().execute(async (trx) => {
      const r = repositories(trx);
      await this.locked(r, spaceId);
      const p = await r.participants.find(spaceId, accountId);
      if (!p?.removed) return false;
      await r.participants.save(spaceId, [listener(accountId)], this.now());
      return true;
    });
    if (readmitted) this.changed(spaceId, [accountId]);
    return readmitted;
  }

  async standing(spaceId: string, viewerId: string | null): Promise<MyStanding> {
    return this.standingIn(await this.snapshot(spaceId), viewerId);
  }

  /** The viewer's standing in a snapshot; asks the database only under the "followed" policy. */
  async standingIn(snapshot: SpaceSnapshot, viewerId: string | null): Promise<MyStanding> {
    const { space } = snapshot;
    const base = contextOf(snapshot);
    const standing = standingOf(base, viewerId);
    const me = viewerId ? snapshot.participants.get(viewerId) : undefined;
    const pending = me?.pending ?? "none";
    let canRequestToSpeak = false;
    const blocked = viewerId !== null && (snapshot.blocked?.has(viewerId) ?? false);
    if (viewerId !== null && standing === "listener" && pending === "none" && !blocked) {
      const hostFollowsActor =
        space.speakerPolicy === "followed" &&
        (await this.repos.follows.isFollowing(space.hostId, viewerId));
      canRequestToSpeak = decideStageAction(
        { ...base, hostFollowsActor },
        viewerId,
        "requestToSpeak",
      ).ok;
    }
    return { standing, pending, muted: me?.muted ?? false, canRequestToSpeak };
  }

  async requests(spaceId: string, viewerId: string): Promise<AccountSummary[]> {
    const snapshot = await this.snapshot(spaceId);
    const role = snapshot.participants.get(viewerId);
    if (!role || role.removed || (role.role !== "host" && role.role !== "cohost")) {
      throw new AmphiError("AMPHI_FORBIDDEN");
    }
    return requestsOf(snapshot);
  }

  /** One reaction: counted in the next batch, with the handle of someone logged in. */
  async react(spaceId: string, reactor: Reactor, emoji: string): Promise<void> {
    if (!isReactionEmoji(emoji)) throw new AmphiError("AMPHI_VALIDATION_FAILED");
    const snapshot = await this.snapshot(spaceId);
    const accountId = reactor.kind === "account" ? reactor.id : reactor.accountId;
    // A ticket holder nobody knows is a listener; a ticket issued to someone logged in still
    // speaks for them (a person removed from the Space stays refused).
    const standing: Standing =
      accountId === null ? "listener" : standingOf(contextOf(snapshot), accountId);
    if (accountId !== null && snapshot.blocked?.has(accountId)) {
      throw new AmphiError("AMPHI_BLOCKED_BY_HOST");
    }
    const allowed = mayAct("react", standing);
    if (allowed !== true) throw new AmphiError(allowed);
    if (!allowedIn("react", snapshot.space.state)) throw new AmphiError("AMPHI_SPACE_NOT_LIVE");
    if (reactor.kind === "account") await this.limits.reactions.take(reactor.id);
    else await this.limits.listenerReactions.take(reactor.ticketId, reactor.ip);
    const handle = reactor.kind === "account" ? reactor.handle : null;
    this.reactions.add(spaceId, emoji, handle, this.now().getTime());
  }

  /** Sends the reactions gathered since the last call; the live layer calls it on a timer. */
  flushReactions(): void {
    for (const batch of this.reactions.drain()) this.bus.publish("reactions", batch);
  }

  private async locked(r: Repositories, spaceId: string): Promise<SpaceRecord> {
    const space = await r.spaces.lockById(spaceId);
    if (!space) throw new AmphiError("AMPHI_SPACE_NOT_FOUND");
    return space;
  }

  private async context(
    r: Repositories,
    space: SpaceRecord,
    actorId: string,
  ): Promise<StageContext> {
    const participants = new Map(
      (await r.participants.listForSpace(space.id)).map((p) => [p.accountId, p]),
    );
    const hostFollowsActor =
      space.speakerPolicy === "followed"
        ? await r.follows.isFollowing(space.hostId, actorId)
        : false;
    return { state: space.state, policy: space.speakerPolicy, participants, hostFollowsActor };
  }

  private changed(spaceId: string, accountIds: string[]): void {
    this.snapshots.invalidate(spaceId);
    this.bus.publish("spaceChanged", { spaceId, accountIds });
  }
}

export function requestsOf(snapshot: SpaceSnapshot): AccountSummary[] {
  const out: AccountSummary[] = [];
  for (const p of snapshot.participants.values()) {
    if (!p.removed && p.pending === "requested")
      out.push(summary(snapshot.accounts.get(p.accountId), p.accountId));
  }
  return out;
}

function contextOf(snapshot: SpaceSnapshot): StageContext {
  return {
    state: snapshot.space.state,
    policy: snapshot.space.speakerPolicy,
    participants: snapshot.participants,
  };
}
