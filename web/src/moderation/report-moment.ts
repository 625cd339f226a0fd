/**
 * The moment of a Space a notice points at, in seconds from the Space's start: what the
 * listener hears now. Live, that is the wall clock since the start minus how far behind the
 * speakers the player is; in the replay, the replay's position.
 */
export function liveMomentSeconds(
  startedAt: string | null,
  nowMs: number,
  latencySeconds: number | null,
): number | null {
  if (!startedAt) return null;
  const start = Date.parse(startedAt);
  if (Number.isNaN(start)) return null;
  const heard = (nowMs - start) / 1000 - (latencySeconds ?? 0);
  return Math.max(0, Math.floor(heard));
}

/** A recording's position as a notice carries it: whole seconds, never negative. */
export function replayMomentSeconds(position: number): number {
  return Number.isFinite(position) && position > 0 ? Math.floor(position) : 0;
}

/** Reads the moment the viewer is at when they press Report (null: no moment to offer). */
export type MomentReader = () => { seconds: number; moment: "live" | "replay" } | null;

/**
 * The link that shows a notice's status later: the receipt's token makes it readable
 * without an account (keep it secret: whoever holds it reads the decision).
 */
export function receiptPath(receipt: { id: string; token: string }): string {
  return `/reports/${encodeURIComponent(receipt.id)}?token=${encodeURIComponent(receipt.token)}`;
}
