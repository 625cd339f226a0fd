/**
 * Blocking Playlist Reload (RFC 8216bis §6.2.5.2): whether a playlist request carrying the
 * `_HLS_msn` / `_HLS_part` delivery directives can be answered now, must wait for a later
 * version of the playlist, or is a bad request. The HTTP layer re-asks on every update and
 * owns the clock: past `blockingReloadTimeout` seconds it answers 503 (§6.2.5.2 SHOULD).
 */
import type { PlaylistSnapshot } from "./types.ts";

export interface DeliveryDirectives {
  readonly msn?: number;
  readonly part?: number;
}

export type DirectivesResult =
  | { readonly ok: true; readonly directives: DeliveryDirectives }
  | { readonly ok: false; readonly reason: string };

export type BlockingDecision =
  | { readonly action: "respond" }
  | { readonly action: "wait" }
  | { readonly action: "reject"; readonly status: 400; readonly reason: string };

/** A decimal-integer (§4.2) that JavaScript holds exactly. */
function decimalInteger(value: unknown): number | undefined {
  if (typeof value !== "string" || !/^[0-9]{1,16}$/.test(value)) return undefined;
  const number = Number(value);
  return Number.isSafeInteger(number) ? number : undefined;
}

/**
 * Reads the directives from a parsed query string. `_HLS_skip` is ignored: without
 * CAN-SKIP-UNTIL the server MUST ignore it (§6.2.5.1). `_HLS_part` without `_HLS_msn` is a
 * bad request (§6.2.5.2 MUST).
 */
export function parseDeliveryDirectives(
  query: Readonly<Record<string, unknown>>,
): DirectivesResult {
  const rawMsn = query._HLS_msn;
  const rawPart = query._HLS_part;
  const msn = decimalInteger(rawMsn);
  const part = decimalInteger(rawPart);
  if (rawMsn !== undefined && msn === undefined) {
    return { ok: false, reason: "_HLS_msn must be one decimal integer" };
  }
  if (rawPart !== undefined && part === undefined) {
    return { ok: false, reason: "_HLS_part must be one decimal integer" };
  }
  if (part !== undefined && msn === undefined) {
    return { ok: false, reason: "_HLS_part needs _HLS_msn" };
  }
  return {
    ok: true,
    directives: { ...(msn === undefined ? {} : { msn }), ...(part === undefined ? {} : { part }) },
  };
}

/**
 * The Advance Part Limit (§6.2.5.2): 3 / PART-TARGET parts below a one-second part target,
 * 3 otherwise — about three seconds of parts.
 */
export function advancePartLimit(partTarget: number): number {
  return partTarget < 1 ? 3 / partTarget : 3;
}

/** How long a blocked request may wait before the server SHOULD answer 503 (§6.2.5.2). */
export function blockingReloadTimeout(playlist: PlaylistSnapshot): number {
  return 3 * playlist.targetDuration;
}

export function decideBlockingReload(
  playlist: PlaylistSnapshot,
  directives: DeliveryDirectives,
): BlockingDecision {
  const { msn, part } = directives;
  if (msn === undefined) return { action: "respond" };
  // §6.2.5.2: the directives are ignored once the playlist has EXT-X-ENDLIST.
  if (playlist.ended) return { action: "respond" };
  const { open, segments } = playlist;
  const lastSegment = segments.at(-1);
  const lastMsn = open.parts.length > 0 ? open.msn : open.msn - 1;
  if (msn > lastMsn + 2) {
    return reject(`_HLS_msn ${msn} is more than two segments past ${lastMsn} (§6.2.5.2)`);
  }
  if (part === undefined) {
    // Wait for a whole Media Segment M or later (§6.2.5.2).
    return msn < open.msn ? { action: "respond" } : { action: "wait" };
  }
  const last =
    open.parts.length > 0 || !lastSegment
      ? { msn: open.msn, index: open.parts.length - 1 }
      : { msn: lastSegment.msn, index: lastSegment.parts.length - 1 };
  const ahead = msn === last.msn ? part - last.index : msn > last.msn ? part + 1 : 0;
  if (ahead > advancePartLimit(playlist.partTarget)) {
    return reject(`_HLS_part ${part} is past the Advance Part Limit (§6.2.5.2)`);
  }
  let wanted = { msn, part };
  // A part index past the last part of a complete segment means part 0 of the next one.
  for (const segment of segments) {
    if (segment.msn === wanted.msn && wanted.part >= segment.parts.length) {
      wanted = { msn: segment.msn + 1, part: 0 };
    }
  }
  if (wanted.msn < open.msn) return { action: "respond" };
  if (wanted.msn === open.msn && wanted.part < open.parts.length) return { action: "respond" };
  return { action: "wait" };
}

function reject(reason: string): BlockingDecision {
  return { action: "reject", status: 400, reason };
}
