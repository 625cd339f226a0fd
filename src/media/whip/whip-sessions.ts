/**
 * WhipIngest: the WebRTC publisher sessions of speakers (WHIP, RFC 9725), one per
 * (Space, speaker). A session is a werift peer connection that receives one Opus track; every
 * RTP packet goes to the `onRtp` sink (the SFU, the mixer), and the speaker's media state to
 * `onSpeakerState`. The session lifecycle (limits, replacement, timeouts, closes) is
 * PeerSessions'; this file adds receiving RTP and the speaker's liveness. No HTTP here: the
 * HTTP layer authenticates, authorizes and maps WhipError codes to statuses.
 */
import type { MediaStreamTrack, RtpPacket } from "werift";
import {
  type PeerCloseReason,
  type PeerSession,
  type PeerSessionCreated,
  type PeerSessionRequest,
  type PeerSessionSettings,
  PeerSessions,
} from "./peer-sessions.ts";
import { checkPublisherOffer } from "./sdp-offer.ts";
import { SpeakerLiveness, type SpeakerMediaState } from "./speaker-liveness.ts";

/** One received RTP packet; `payload` is a copy the sink may keep. */
export interface WhipRtpPacket {
  seq: number;
  timestamp: number;
  ssrc: number;
  marker: boolean;
  payloadType: number;
  payload: Uint8Array;
  /** When it arrived, on the ingest's clock (`now`, performance.now() by default), in ms. */
  receivedAt: number;
}

/**
 * connecting: answered, ICE/DTLS not up yet; connected: up and audio flowing; disconnected: was
 * connected, but the transport is down or no audio for the inactivity timeout (kept until
 * DELETE); failed: never connected in time, or ICE/DTLS failed (replaced by a new POST); closed.
 */
export type WhipSessionState = "connecting" | "connected" | "disconnected" | "failed" | "closed";

export type WhipCloseReason = PeerCloseReason;

export interface WhipSessionInfo {
  sessionId: string;
  spaceId: string;
  speakerId: string;
  state: WhipSessionState;
  packetsReceived: number;
  /** On the ingest's clock; undefined before the first packet. */
  lastRtpAt: number | undefined;
}

export type WhipSessionCreated = PeerSessionCreated;

export interface WhipIngestOptions extends PeerSessionSettings {
  /** Every RTP packet of every session; never called for a session after it was deleted. */
  onRtp: (spaceId: string, speakerId: string, packet: WhipRtpPacket) => void;
  /** "connected" when ICE/DTLS is up (again, or audio resumed); "disconnected" when lost. */
  onSpeakerState?: (spaceId: string, speakerId: string, state: SpeakerMediaState) => void;
  /** A session ended (failed sessions stay listed until replaced, deleted or closed). */
  onSessionEnded?: (session: WhipSessionInfo, reason: WhipCloseReason) => void;
  /** No RTP for this long means "disconnected". Default 5000 ms. */
  inactivityTimeoutMs?: number;
}

interface PublisherMedia {
  readonly liveness: SpeakerLiveness;
  readonly opusPayloadType: number;
  packets: number;
  lastRtpAt: number | undefined;
}

type PublisherSession = PeerSession<PublisherMedia>;

export class WhipIngest {
  readonly #options: WhipIngestOptions;
  readonly #now: () => number;
  readonly #inactivityMs: number;
  readonly #sessions: PeerSessions<PublisherMedia>;

  constructor(options: WhipIngestOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => performance.now());
    this.#inactivityMs = options.inactivityTimeoutMs ?? 5000;
    this.#sessions = new PeerSessions(options, {
      serves: "speakers",
      direction: "recvonly",
      tickMs: Math.max(20, Math.min(1000, Math.floor(this.#inactivityMs / 4))),
      transportChanged: (session, state) => this.#onTransport(session, state),
      tick: (session, now) => this.#report(session, session.media.liveness.tick(now)),
      ending: (session) => this.#report(session, session.media.liveness.end()),
      ended: (session, reason) => options.onSessionEnded?.(this.#info(session), reason),
    });
  }

  /**
   * Answers a publisher's offer. Throws WhipError: AMPHI_WHIP_BAD_OFFER (400),
   * _UNSUPPORTED_TRACKS (406), _NOT_OPUS (415), _SESSION_EXISTS (409, details.sessionId is the
   * existing session; a failed one, or any with `replace`, is replaced), _UNAVAILABLE (503).
   */
  createSession(request: PeerSessionRequest): Promise<WhipSessionCreated> {
    return this.#sessions.create(request, (offerSdp) => {
      const offer = checkPublisherOffer(offerSdp);
      return {
        sections: 1,
        media: {
          liveness: new SpeakerLiveness(this.#inactivityMs),
          opusPayloadType: offer.opusPayloadType,
          packets: 0,
          lastRtpAt: undefined,
        },
        wire: (session, pc) => {
          const onTrack = pc.onTrack.subscribe((track) => this.#attachTrack(session, track));
          this.#sessions.untilEnd(session, onTrack.unSubscribe);
        },
        answered: () => ({}),
      };
    });
  }

  /**
   * Ends a session at its publisher's request (DELETE on the session URL). Throws
   * AMPHI_WHIP_SESSION_NOT_FOUND when there is no such session or it is someone else's.
   * No packet of the session reaches `onRtp` once this is called.
   */
  deleteSession(sessionId: string, speakerId: string): Promise<void> {
    return this.#sessions.delete(sessionId, speakerId);
  }

  /** Server-side end of a speaker's session (left the stage, removed). False if there was none. */
  closeSpeaker(spaceId: string, speakerId: string): Promise<boolean> {
    return this.#sessions.closeSpeaker(spaceId, speakerId);
  }

  /** Ends every session of a Space (it ended). Returns how many there were. */
  closeSpace(spaceId: string): Promise<number> {
    return this.#sessions.closeSpace(spaceId);
  }

  /** Ends every session and refuses new ones. */
  close(): Promise<void> {
    return this.#sessions.close();
  }

  session(sessionId: string): WhipSessionInfo | undefined {
    const session = this.#sessions.get(sessionId);
    return session && this.#info(session);
  }

  sessionOf(spaceId: string, speakerId: string): WhipSessionInfo | undefined {
    const session = this.#sessions.of(spaceId, speakerId);
    return session && this.#info(session);
  }

  sessions(spaceId?: string): WhipSessionInfo[] {
    return this.#sessions.list(spaceId).map((session) => this.#info(session));
  }

  #info(session: PublisherSession): WhipSessionInfo {
    const { media } = session;
    const state: WhipSessionState =
      session.state === "connected" && media.liveness.state === "disconnected"
        ? "disconnected"
        : session.state;
    return {
      sessionId: session.id,
      spaceId: session.spaceId,
      speakerId: session.speakerId,
      state,
      packetsReceived: media.packets,
      lastRtpAt: media.lastRtpAt,
    };
  }

  #attachTrack(session: PublisherSession, track: MediaStreamTrack): void {
    if (track.kind !== "audio") return;
    const subscription = track.onReceiveRtp.subscribe((rtp) => this.#onRtp(session, track, rtp));
    this.#sessions.untilEnd(session, subscription.unSubscribe);
  }

  #onRtp(session: PublisherSession, track: MediaStreamTrack, rtp: RtpPacket): void {
    if (session.state !== "connected" && session.state !== "connecting") return;
    const { header } = rtp;
    const { media } = session;
    const opus = track.codec?.payloadType ?? media.opusPayloadType;
    if (header.payloadType !== opus) return;
    const now = this.#now();
    media.packets++;
    media.lastRtpAt = now;
    this.#report(session, media.liveness.rtp(now));
    const packet: WhipRtpPacket = {
      seq: header.sequenceNumber,
      timestamp: header.timestamp,
      ssrc: header.ssrc,
      marker: header.marker,
      payloadType: header.payloadType,
      payload: new Uint8Array(rtp.payload),
      receivedAt: now,
    };
    this.#sessions.safely(() => this.#options.onRtp(session.spaceId, session.speakerId, packet));
  }

  #onTransport(session: PublisherSession, state: string): void {
    const up = state === "connected";
    if (!up && state !== "disconnected") return;
    this.#report(session, session.media.liveness.transport(up, this.#now()));
  }

  #report(session: PublisherSession, state: SpeakerMediaState | undefined): void {
    if (state === undefined) return;
    this.#sessions.safely(() =>
      this.#options.onSpeakerState?.(session.spaceId, session.speakerId, state),
    );
  }
}
