/** LL-HLS playlists (RFC 8216bis) as pure state and text: no I/O, no timers, no clock. */
export {
  advancePartLimit,
  type BlockingDecision,
  blockingReloadTimeout,
  type DeliveryDirectives,
  type DirectivesResult,
  decideBlockingReload,
  parseDeliveryDirectives,
} from "./blocking-reload.ts";
export { LivePlaylist } from "./live-playlist.ts";
export { OPUS_CODEC, renderMultivariantPlaylist, type VariantStream } from "./multivariant.ts";
export {
  MEDIA_PLAYLIST_VERSION,
  PART_LISTING_TARGET_DURATIONS,
  type RenderOptions,
  renderMediaPlaylist,
} from "./render-media.ts";
export type {
  AddPartResult,
  LivePlaylistOptions,
  NewPart,
  NextPart,
  PlaylistPart,
  PlaylistSegment,
  PlaylistSnapshot,
} from "./types.ts";
export {
  INIT_URI,
  MEDIA_PLAYLIST_URI,
  type MediaResource,
  parseMediaUri,
  partUri,
  segmentUri,
} from "./uris.ts";
