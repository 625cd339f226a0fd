/** Renders a multivariant playlist (RFC 8216bis §4.4.6) listing the media playlists. */
import { quoted, tag } from "./format.ts";

export interface VariantStream {
  /** The media playlist, relative to the multivariant playlist. */
  readonly uri: string;
  /** BANDWIDTH: peak segment bit rate in bits per second, container included (§4.4.6.2). */
  readonly bandwidth: number;
  /** AVERAGE-BANDWIDTH: average segment bit rate (§4.4.6.2), when known. */
  readonly averageBandwidth?: number;
  /** CODECS (§4.4.6.2, RFC 6381): every format in the stream; Opus by default. */
  readonly codecs?: readonly string[];
}

/** The CODECS entry for Opus: what browsers' MSE accept in audio/mp4 (`codecs="opus"`). */
export const OPUS_CODEC = "opus";

/**
 * `#EXTM3U`, EXT-X-INDEPENDENT-SEGMENTS (§4.4.2.1: every Opus segment decodes on its own),
 * then one EXT-X-STREAM-INF + URI per variant. No EXT-X-VERSION: nothing here needs more
 * than version 1 (§8, §6.2.1).
 */
export function renderMultivariantPlaylist(variants: readonly VariantStream[]): string {
  if (variants.length === 0) throw new RangeError("a multivariant playlist lists a variant");
  const lines = ["#EXTM3U", "#EXT-X-INDEPENDENT-SEGMENTS"];
  for (const variant of variants) {
    const averageBandwidth = variant.averageBandwidth;
    for (const rate of [variant.bandwidth, averageBandwidth ?? 1]) {
      if (!Number.isSafeInteger(rate) || rate <= 0) {
        throw new RangeError(`a bandwidth is a positive integer, got ${rate}`);
      }
    }
    if (/[\r\n]/.test(variant.uri) || variant.uri.startsWith("#") || variant.uri === "") {
      throw new RangeError(`not a URI line: ${variant.uri}`);
    }
    lines.push(
      tag("EXT-X-STREAM-INF", {
        BANDWIDTH: String(variant.bandwidth),
        "AVERAGE-BANDWIDTH": averageBandwidth === undefined ? undefined : String(averageBandwidth),
        CODECS: quoted((variant.codecs ?? [OPUS_CODEC]).join(",")),
      }),
      variant.uri,
    );
  }
  return `${lines.join("\n")}\n`;
}
