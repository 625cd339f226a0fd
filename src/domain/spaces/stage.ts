import type { ErrorCode } from "../../errors/error-registry.ts";
import {
  allowedIn,
  mayAct,
  permissionTable,
  type SpaceAction,
  type Standing,
} from "./permissions.ts";
import { isOnStage, outranks, type Role, stageLimits } from "./roles.ts";
import type { SpaceState } from "./space-lifecycle.ts";

/** Where someone stands with the host's attention: asked to speak, or invited up. */
export type Pending = "none" | "requested" | "invitedSpeaker" | "invitedCohost";

export interface Participant {
  accountId: string;
  role: Role;
  pending: Pending;
  muted: boolean;
  removed: boolean;
}

/** Who may ask to speak: everyone, only people the host follows, or nobody (invites only). */
export type SpeakerRequestPolicy = "everyone" | "followed" | "invited";

export interface StageContext {
  state: SpaceState;
  policy: SpeakerRequestPolicy;
  /** Everyone known to the Space, by account id (listeners appear once they join or act). */
  participants: ReadonlyMap<string, Participant>;
  /** For the "followed" policy: whether the host follows the actor. */
  hostFollowsActor?: boolean;
}

export type StageActionName = Exclude<SpaceAction, "start" | "end" | "cancel" | "react">;

export type StageDecision =
  | { ok: true; changes: Participant[] }
  | { ok: false; code: ErrorCode; message?: string };

export function listener(accountId: string): Participant {
  return { accountId, role: "listener", pending: "none", muted: false, removed: false };
}

export function standingOf(ctx: StageContext, accountId: string | null): Standing {
  if (accountId === null) return "anonymous";
  const p = ctx.participants.get(accountId);
  if (!p) return "listener";
  return p.removed ? "removed" : p.role;
}

export function stageCounts(participants: Iterable<Participant>): Record<Role, number> {
  const counts: Record<Role, number> = { host: 0, cohost: 0, speaker: 0, listener: 0 };
  for (const p of participants) if (!p.removed) counts[p.role]++;
  return counts;
}

/**
 * Whether one more person fits in `role`. Only the per-role limits are checked: with one host,
 * at most 2 co-hosts and at most 10 speakers, the stage can never pass `stageLimits.total` (13),
 * so a separate total check could never refuse anything (the property test in stage.test.ts
 * checks the total all the same). A speaker becoming co-host needs a co-host seat only.
 */
function hasRoomFor(ctx: StageContext, role: "speaker" | "cohost"): boolean {
  const counts = stageCounts(ctx.participants.values());
  return role === "cohost"
    ? counts.cohost < stageLimits.cohosts
    : counts.speaker < stageLimits.speakers;
}

const refuse = (code: ErrorCode, message?: string): StageDecision =>
  message ? { ok: false, code, message } : { ok: false, code };

/**
 * Decides one stage action: who may take it (the permission table), in which state, on whom,
 * and what changes. Pure: the caller loads the context and stores the changes.
 */
export function decideStageAction(
  ctx: StageContext,
  actorId: string | null,
  action: StageActionName,
  targetId?: string,
): StageDecision {
  const standing = standingOf(ctx, actorId);
  const allowed = mayAct(action, standing);
  if (allowed !== true) return refuse(allowed);
  if (!allowedIn(action, ctx.state)) {
    return refuse(ctx.state === "live" ? "AMPHI_STAGE_CONFLICT" : "AMPHI_SPACE_NOT_LIVE");
  }
  const actor = ctx.participants.get(actorId as string) ?? listener(actorId as string);

  if (permissionTable[action].target === "other") {
    if (targetId === undefined || targetId === actorId) {
      return refuse("AMPHI_STAGE_CONFLICT", "Name someone else as the target.");
    }
    // Listeners the stage has not met yet (no request, no history) are plain listeners.
    const target = ctx.participants.get(targetId) ?? listener(targetId);
    if (target.removed) return refuse("AMPHI_PARTICIPANT_NOT_FOUND");
    if (!outranks(actor.role, target.role)) {
      return refuse("AMPHI_FORBIDDEN", "You may only act on people below you on stage.");
    }
    return decideOnTarget(ctx, action, actor, target);
  }
  return decideOnSelf(ctx, action, actor);
}

/**
 * Invitations and requests share one `pending` slot, so an invitation replaces what is there
 * only by these rules:
 * - The same invitation again changes nothing (idempotent, even on a full stage: it stands).
 * - An invitation supersedes a request to speak. The person asked to come up, and accepting the
 *   invitation brings them up; refusing instead would only turn a race (the request arriving
 *   while the host clicks "invite") into an error.
 * - A co-host invitation is always from the host (only the host may send one). A co-host may
 *   not downgrade it to a speaker invitation; the host may.
 */
function decideOnTarget(
  ctx: StageContext,
  action: StageActionName,
  actor: Participant,
  target: Participant,
): StageDecision {
  const change = (patch: Partial<Participant>): StageDecision => ({
    ok: true,
    changes: [{ ...target, ...patch }],
  });
  switch (action) {
    case "acceptRequest":
      if (target.pending !== "requested") return refuse("AMPHI_STAGE_CONFLICT", "No request.");
      if (!hasRoomFor(ctx, "speaker")) return refuse("AMPHI_STAGE_FULL");
      return change({ role: "speaker", pending: "none", muted: true });
    case "declineRequest":
      if (target.pending !== "requested") return refuse("AMPHI_STAGE_CONFLICT", "No request.");
      return change({ pending: "none" });
    case "inviteSpeaker":
      if (target.role !== "listener") return refuse("AMPHI_STAGE_CONFLICT", "Already on stage.");
      if (target.pending === "invitedSpeaker") return { ok: true, changes: [] };
      if (target.pending === "invitedCohost" && actor.role !== "host") {
        return refuse(
          "AMPHI_STAGE_CONFLICT",
          "The host has invited them as a co-host; only the host may change that invitation.",
        );
      }
      if (!hasRoomFor(ctx, "speaker")) return refuse("AMPHI_STAGE_FULL");
      return change({ pending: "invitedSpeaker" });
    case "inviteCohost":
      if (target.role === "cohost") return refuse("AMPHI_STAGE_CONFLICT", "Already a co-host.");
      if (target.pending === "invitedCohost") return { ok: true, changes: [] };
      if (!hasRoomFor(ctx, "cohost")) return refuse("AMPHI_STAGE_FULL");
      return change({ pending: "invitedCohost" });
    case "moveToListener":
      if (target.role === "listener") return refuse("AMPHI_STAGE_CONFLICT", "Not on stage.");
      return change({ role: "listener", pending: "none", muted: false });
    case "mute":
      if (!isOnStage(target.role)) return refuse("AMPHI_STAGE_CONFLICT", "Not on stage.");
      return change({ muted: true });
    case "remove":
      return change({ role: "listener", pending: "none", muted: false, removed: true });
    default:
      return refuse("AMPHI_STAGE_CONFLICT");
  }
}

function decideOnSelf(
  ctx: StageContext,
  action: StageActionName,
  actor: Participant,
): StageDecision {
  const change = (patch: Partial<Participant>): StageDecision => ({
    ok: true,
    changes: [{ ...actor, ...patch }],
  });
  switch (action) {
    case "requestToSpeak":
      if (actor.pending === "requested") return { ok: true, changes: [] };
      if (actor.pending !== "none") return refuse("AMPHI_STAGE_CONFLICT", "You are invited.");
      if (ctx.policy === "invited" || (ctx.policy === "followed" && !ctx.hostFollowsActor)) {
        return refuse("AMPHI_REQUESTS_CLOSED");
      }
      return change({ pending: "requested" });
    case "cancelRequest":
      // Withdraws a request only: an invitation is answered with declineInvitation.
      if (actor.pending !== "requested") return { ok: true, changes: [] };
      return change({ pending: "none" });
    case "acceptInvitation": {
      const role = actor.pending === "invitedCohost" ? "cohost" : "speaker";
      if (actor.pending !== "invitedSpeaker" && actor.pending !== "invitedCohost") {
        return refuse("AMPHI_STAGE_CONFLICT", "You have no invitation.");
      }
      if (!hasRoomFor(ctx, role)) return refuse("AMPHI_STAGE_FULL");
      return change({ role, pending: "none", muted: isOnStage(actor.role) ? actor.muted : true });
    }
    case "declineInvitation":
      if (actor.pending !== "invitedSpeaker" && actor.pending !== "invitedCohost") {
        return refuse("AMPHI_STAGE_CONFLICT", "You have no invitation.");
      }
      return change({ pending: "none" });
    case "leaveStage":
      return change({ role: "listener", pending: "none", muted: false });
    case "muteSelf":
      return change({ muted: true });
    case "unmuteSelf":
      return change({ muted: false });
    default:
      return refuse("AMPHI_STAGE_CONFLICT");
  }
}
