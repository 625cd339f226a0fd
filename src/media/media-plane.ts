import type { Logger } from "pino";
import type { Bus } from "../bus/bus.ts";
import type { Config } from "../config/config.ts";
import type { Metrics } from "../http/metrics.ts";
import type { RecordingStore } from "../recordings/store/recording-store.ts";
import type { MediaNodeRef, SharedState, StreamPosition } from "../shared-state/ports.ts";
import type { SpaceEvents } from "../spaces/events.ts";
import type { SpacesService } from "../spaces/spaces-service.ts";
import type { Repositories } from "../store/repositories/index.ts";
import { HlsOrigin } from "./origin/hls-origin.ts";
import { PlacementAgent } from "./placement/placement-agent.ts";
import { MediaRooms } from "./room/media-rooms.ts";
import { SpaceIdleWatch } from "./room/space-idle-watch.ts";
import { SpeakerSfu } from "./sfu/speaker-sfu.ts";
import { parseCandidateAllow } from "./whip/offer-candidates.ts";
import { WhipIngest } from "./whip/whip-sessions.ts";

export interface MediaPlaneDeps {
  config: Config;
  repos: Repositories;
  /** Where recorded Spaces' parts are kept (the database in a fleet, DATA_DIR alone). */
  recordings: RecordingStore;
  spaces: SpacesService;
  shared: SharedState;
  bus: Bus<SpaceEvents>;
  log: Logger;
  /** Where the recording counters go (write failures, pauses, dropped parts). */
  metrics?: Metrics;
  /**
   * This node as the fleet knows it. When given, Spaces are placed by lease (ROLE=media):
   * this node runs only the live Spaces it holds. Absent (ROLE=all): it runs every one.
   */
  placeAs?: () => MediaNodeRef;
}

/**
 * How long a media node's lease on a Space lasts, how often it is renewed, and how often
 * the other media nodes look for Spaces nobody serves. A dead owner's Space is free at most
 * `leaseTtlMs` after its death and taken within one rescan (plus a claim's jitter, and the
 * room's start), so listeners' gap stays under 5 s (docs/decisions.md, "Failover").
 */
export const leaseTtlMs = 1_500;
export const leaseRenewMs = 400;
export const rescanMs = 300;

/**
 * The media plane of one node: speakers' WebRTC (WHIP ingest, the speaker SFU), one room per
 * live Space (jitter buffers, mix, Opus, LL-HLS packaging, recording) and the origin
 * listeners' edges read from. On a media node of a fleet, a placement agent decides which
 * live Spaces run here.
 */
export class MediaPlane {
  readonly origin: HlsOrigin;
  readonly rooms: MediaRooms;
  readonly ingest: WhipIngest;
  readonly sfu: SpeakerSfu;
  readonly placement: PlacementAgent | null;
  /** Ends the live Spaces running here that nobody is on stage for or listening to. */
  readonly idleWatch: SpaceIdleWatch;

  constructor(deps: MediaPlaneDeps) {
    const { config, repos, recordings, spaces, bus, log, shared, placeAs, metrics } = deps;
    this.origin = new HlsOrigin({
      partTarget: config.hlsPartSeconds,
      segmentTarget: config.hlsSegmentSeconds,
      partHoldBack: config.hlsPartHoldBackParts * config.hlsPartSeconds,
    });
    // The WebRTC side: speakers publish over WHIP; each hears the others through the SFU.
    const network = { hostAddresses: config.webrtcHostAddresses.split(",").map((a) => a.trim()) };
    // Offers' candidates: only the client's own address (or allowed ones) is ever checked.
    const candidates = {
      allow: parseCandidateAllow(config.webrtcCandidateAllow),
      max: config.webrtcMaxOfferCandidates,
    };
    this.sfu = new SpeakerSfu({ network, candidates });
    this.ingest = new WhipIngest({
      network,
      candidates,
      onRtp: (spaceId, speakerId, packet) => {
        // Muted speakers and people no longer on stage are heard by nobody.
        if (!this.rooms.isAudible(spaceId, speakerId)) return;
        this.sfu.forward(spaceId, speakerId, packet);
        this.rooms.pushRtp(spaceId, speakerId, packet);
      },
      onSpeakerState: (spaceId, speakerId, state) =>
        this.sfu.speakerState(spaceId, speakerId, state),
      onError: (error) => log.warn({ err: error }, "webrtc: session error"),
    });
    this.placement = placeAs
      ? new PlacementAgent({
          placement: shared.placement,
          node: placeAs,
          ttlMs: leaseTtlMs,
          renewMs: leaseRenewMs,
          rescanMs,
          load: () => this.rooms.spaceIds().length,
          lost: (spaceId) => void this.rooms.drop(spaceId),
          rescan: () => this.rooms.rescan(),
          log: log.child({ component: "placement" }),
        })
      : null;
    const placement = this.placement;
    this.rooms = new MediaRooms({
      snapshot: (id) => spaces.snapshot(id),
      liveSpaceIds: async () =>
        (await repos.spaces.list({ state: "live", limit: 10_000 })).map((s) => s.id),
      origin: this.origin,
      bus,
      recordings,
      bitrate: config.mediaBitrate,
      recordingBacklogParts: Math.ceil(config.recordingBufferSeconds / config.hlsPartSeconds),
      ...(metrics
        ? {
            recordingEvents: {
              writeFailed: () => metrics.recordingWriteFailures.inc(),
              paused: () => metrics.recordingPauses.inc(),
              dropped: (parts: number) => metrics.recordingPartsDropped.inc(parts),
            },
          }
        : {}),
      listeners: (id) => shared.presence.current(id, Date.now()),
      log: log.child({ component: "media" }),
      closeIngest: (spaceId, speakerId) => {
        const closing = speakerId
          ? [
              this.ingest.closeSpeaker(spaceId, speakerId),
              this.sfu.closeSpeaker(spaceId, speakerId),
            ]
          : [this.ingest.closeSpace(spaceId), this.sfu.closeSpace(spaceId)];
        void Promise.all(closing).catch((error) =>
          log.warn({ err: error }, "webrtc: close failed"),
        );
      },
      ...(placement
        ? {
            claim: (spaceId: string) => placement.claim(spaceId),
            released: (spaceId: string) => placement.release(spaceId),
            lastPosition: (spaceId: string) => placement.lastPosition(spaceId),
            published: (spaceId: string, position: StreamPosition) =>
              placement.published(spaceId, position),
            fenced: (spaceId: string) => placement.fenced(spaceId),
          }
        : {}),
    });
    metrics?.countPausedRecordings(() => this.rooms.pausedRecordings());
    // The rooms run where the Space's live state is owned: this node decides, the control
    // plane ends it (bus `spaceIdle`) as its host would, so notifications go out as usual.
    this.idleWatch = new SpaceIdleWatch({
      spaceIds: () => this.rooms.spaceIds(),
      speakerConnected: (spaceId) =>
        this.ingest
          .sessions(spaceId)
          .some((s) => s.state === "connecting" || s.state === "connected"),
      listeners: (spaceId) => shared.presence.current(spaceId, Date.now()),
      idle: (spaceId, idleSinceMs) =>
        bus.publish("spaceIdle", { spaceId, idleSince: new Date(idleSinceMs).toISOString() }),
      idleMs: config.spaceIdleEndMinutes * 60_000,
      log: log.child({ component: "idle-watch" }),
    });
  }

  /** Starts the rooms of the live Spaces (placed here) and the lease renewals. */
  async start(): Promise<void> {
    await this.rooms.start();
    this.placement?.start();
    this.idleWatch.start();
  }

  /** Stops every room (their leases go, so another node takes them at once) and WebRTC. */
  async stop(): Promise<void> {
    this.placement?.stop();
    this.idleWatch.stop();
    await Promise.all([this.ingest.close(), this.sfu.close()]);
    await this.rooms.close();
    this.origin.closeAll();
  }
}
