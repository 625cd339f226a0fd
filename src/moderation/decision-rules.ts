import type { ModerationAction, ReportTargetType } from "../contracts/moderation-contracts.ts";

/** What a decision is about, as it is when the moderator decides. */
export interface SubjectFacts {
  targetType: ReportTargetType;
  /** The Space's state (a Space target, or the Space a clip was cut from). */
  spaceState: string | null;
  /** The Space's host (Space targets). */
  hostId: string | null;
  /** The clip's maker (clip targets). */
  clipCreatorId: string | null;
  /** The reported account (account targets). */
  accountId: string | null;
}

/** Actions that restrict someone (Art. 17); dismiss and warn restrict nobody. */
export function isRestrictive(action: ModerationAction): boolean {
  return action !== "dismiss" && action !== "warn";
}

/** Whom the action affects by default: the host, the clip's maker, or the account. */
export function ownerOf(facts: SubjectFacts): string | null {
  if (facts.targetType === "space") return facts.hostId;
  if (facts.targetType === "clip") return facts.clipCreatorId;
  return facts.accountId;
}

export type Applicability =
  | { ok: true; affectedAccountId: string | null }
  | { ok: false; reason: "not_a_space" | "space_not_live" | "no_account" | "speaker_not_found" };

/**
 * Whether `action` can be taken on this subject, and whom it affects. `speakerId` is the
 * account `remove_speaker` takes off the stage (resolved by the caller, null when unknown).
 */
export function applicability(
  action: ModerationAction,
  facts: SubjectFacts,
  speakerId: string | null = null,
): Applicability {
  const owner = ownerOf(facts);
  switch (action) {
    case "dismiss":
      return { ok: true, affectedAccountId: null };
    case "remove_speaker":
      if (facts.targetType !== "space") return { ok: false, reason: "not_a_space" };
      if (facts.spaceState !== "live") return { ok: false, reason: "space_not_live" };
      if (!speakerId) return { ok: false, reason: "speaker_not_found" };
      return { ok: true, affectedAccountId: speakerId };
    case "end_space":
      if (facts.targetType !== "space") return { ok: false, reason: "not_a_space" };
      if (facts.spaceState !== "live") return { ok: false, reason: "space_not_live" };
      return { ok: true, affectedAccountId: owner };
    case "warn":
    case "limit_reach":
    case "suspend":
      if (!owner) return { ok: false, reason: "no_account" };
      return { ok: true, affectedAccountId: owner };
  }
}

/** How long a restriction lasts: `durationDays` for reach limits and suspensions, else null. */
export function endOf(
  action: ModerationAction,
  startsAt: Date,
  durationDays: number | undefined,
): Date | null {
  if (durationDays === undefined) return null;
  if (action !== "limit_reach" && action !== "suspend") return null;
  return new Date(startsAt.getTime() + durationDays * 86_400_000);
}

/**
 * Whether one more decision may be taken on a notice already decided: one notice may call for
 * several actions (limit a Space's reach and take a speaker off its stage), each with its own
 * statement, but a dismissal stands alone and an action is not taken twice on one person.
 */
export function mayDecideAgain(
  taken: readonly { action: ModerationAction; affectedAccountId: string | null }[],
  next: { action: ModerationAction; affectedAccountId: string | null },
): boolean {
  if (next.action === "dismiss") return taken.length === 0;
  if (taken.some((t) => t.action === "dismiss")) return false;
  return !taken.some(
    (t) => t.action === next.action && t.affectedAccountId === next.affectedAccountId,
  );
}
