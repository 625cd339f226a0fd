/**
 * Stable resource names under /hls/:spaceId/, relative to the media playlist (RFC 8216bis
 * §4.1 allows relative URIs). Names are canonical (no leading zeros), so the HTTP layer can
 * map a request back to exactly one resource with `parseMediaUri`.
 */

/** The Media Initialization Section named by EXT-X-MAP (RFC 8216bis §4.4.4.5). */
export const INIT_URI = "init.mp4";

/** The media playlist's own name, as the multivariant playlist refers to it. */
export const MEDIA_PLAYLIST_URI = "live.m3u8";

/** A whole Media Segment: the fragments of all its parts, in order. */
export function segmentUri(msn: number): string {
  return `seg-${checkIndex(msn, "media sequence number")}.m4s`;
}

/** A Partial Segment: part `index` (from 0) of the segment with Media Sequence Number `msn`. */
export function partUri(msn: number, index: number): string {
  return `part-${checkIndex(msn, "media sequence number")}-${checkIndex(index, "part index")}.m4s`;
}

export type MediaResource =
  | { readonly kind: "init" }
  | { readonly kind: "segment"; readonly msn: number }
  | { readonly kind: "part"; readonly msn: number; readonly index: number };

const NUMBER = "(0|[1-9][0-9]{0,15})";
const SEGMENT = new RegExp(`^seg-${NUMBER}\\.m4s$`);
const PART = new RegExp(`^part-${NUMBER}-${NUMBER}\\.m4s$`);

/** Which resource a file name names, or undefined when it is none of ours. */
export function parseMediaUri(name: string): MediaResource | undefined {
  if (name === INIT_URI) return { kind: "init" };
  const segment = SEGMENT.exec(name);
  const part = PART.exec(name);
  const numbers = (segment ?? part ?? []).slice(1).map(Number);
  if (!numbers.every(Number.isSafeInteger)) return undefined;
  const [msn, index] = numbers;
  if (segment && msn !== undefined) return { kind: "segment", msn };
  if (part && msn !== undefined && index !== undefined) return { kind: "part", msn, index };
  return undefined;
}

function checkIndex(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`a ${what} is a non-negative integer, got ${value}`);
  }
  return value;
}
