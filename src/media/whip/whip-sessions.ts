/**
 * WhipIngest: the WebRTC publisher sessions of speakers (WHIP, RFC 9725), one per
 * (Space, speaker). A session is a werift peer connection that receives one Opus track; every
 * RTP packet goes to the `onRtp` sink (the SFU, the mixer), and the speaker's media state to
 * `onSpeakerState`. No HTTP here: the HTTP layer authenticates, authorizes and maps WhipError
 * codes to statuses.
 */
import type { MediaStreamTrack, RtpPacket } from "werift";
import {
  answerOffer,
  closePeer,
  newEtag,
  newSessionId,
  peerConfig,
  RTCPeerConnection,
  type WebRtcNetworkOptions,
} from "./peer.ts";
import { checkPublisherOffer } from "./sdp-offer.ts";
import { SpeakerLiveness, type SpeakerMediaState } from "./speaker-liveness.ts";
import { WhipError } from "./whip-errors.ts";

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

export type WhipCloseReason =
  | "deleted"
  | "closed-by-server"
  | "connect-timeout"
  | "transport-failed"
  | "replaced"
  | "setup-failed"
  | "shutdown";

export interface WhipSessionInfo {
  sessionId: string;
  spaceId: string;
  speakerId: string;
  state: WhipSessionState;
  packetsReceived: number;
  /** On the ingest's clock; undefined before the first packet. */
  lastRtpAt: number | undefined;
}

export interface WhipSessionCreated {
  sessionId: string;
  /** The SDP answer, with all of the server's ICE candidates. */
  answerSdp: string;
  /** A strong entity-tag for the ETag header of the 201. */
  etag: string;
}

export interface WhipIngestOptions {
  /** Every RTP packet of every session; never called for a session after it was deleted. */
  onRtp: (spaceId: string, speakerId: string, packet: WhipRtpPacket) => void;
  /** "connected" when ICE/DTLS is up (again, or audio resumed); "disconnected" when lost. */
  onSpeakerState?: (spaceId: string, speakerId: string, state: SpeakerMediaState) => void;
  /** A session ended (failed sessions stay listed until replaced, deleted or closed). */
  onSessionEnded?: (session: WhipSessionInfo, reason: WhipCloseReason) => void;
  /** An error thrown by a callback; they never reach werift. Default: ignored. */
  onError?: (error: unknown) => void;
  network?: WebRtcNetworkOptions;
  /** No RTP for this long means "disconnected". Default 5000 ms. */
  inactivityTimeoutMs?: number;
  /** ICE+DTLS must be up this long after the answer, or the session fails. Default 15000 ms. */
  connectTimeoutMs?: number;
  /** Longest wait for the server's own ICE gathering before answering. Default 5000 ms. */
  gatheringTimeoutMs?: number;
  /** Most sessions at once (failed ones included); more get AMPHI_WHIP_UNAVAILABLE. */
  maxSessions?: number;
  /** Clock in ms. Default performance.now(). */
  now?: () => number;
}

interface PublisherSession {
  readonly id: string;
  readonly key: string;
  readonly spaceId: string;
  readonly speakerId: string;
  readonly etag: string;
  readonly liveness: SpeakerLiveness;
  state: "connecting" | "connected" | "failed" | "closed";
  pc: RTCPeerConnection | undefined;
  opusPayloadType: number;
  connectDeadline: number;
  packets: number;
  lastRtpAt: number | undefined;
  readonly unsubscribers: Array<() => void>;
}

export function sessionKey(spaceId: string, speakerId: string): string {
  return `${spaceId}\u0000${speakerId}`;
}

export class WhipIngest {
  readonly #options: WhipIngestOptions;
  readonly #now: () => number;
  readonly #inactivityMs: number;
  readonly #byId = new Map<string, PublisherSession>();
  readonly #byKey = new Map<string, PublisherSession>();
  readonly #closing = new Set<Promise<void>>();
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: WhipIngestOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => performance.now());
    this.#inactivityMs = options.inactivityTimeoutMs ?? 5000;
  }

  /**
   * Answers a publisher's offer. Throws WhipError: AMPHI_WHIP_BAD_OFFER (400),
   * _UNSUPPORTED_TRACKS (406), _NOT_OPUS (415), _SESSION_EXISTS (409, details.sessionId is the
   * existing session; only a failed one is replaced), _UNAVAILABLE (503).
   */
  async createSession(request: {
    spaceId: string;
    speakerId: string;
    offerSdp: string;
  }): Promise<WhipSessionCreated> {
    const { spaceId, speakerId, offerSdp } = request;
    if (this.#closed)
      throw new WhipError("AMPHI_WHIP_UNAVAILABLE", "The media server is stopping.");
    const offer = checkPublisherOffer(offerSdp);
    const key = sessionKey(spaceId, speakerId);
    const existing = this.#byKey.get(key);
    if (existing) {
      if (existing.state !== "failed" && existing.state !== "closed") {
        throw new WhipError("AMPHI_WHIP_SESSION_EXISTS", undefined, { sessionId: existing.id });
      }
      void this.#finish(existing, "replaced");
    }
    if (this.#byId.size >= (this.#options.maxSessions ?? Number.POSITIVE_INFINITY)) {
      throw new WhipError(
        "AMPHI_WHIP_UNAVAILABLE",
        "This media server has no room for more speakers.",
      );
    }
    const session: PublisherSession = {
      id: newSessionId(),
      key,
      spaceId,
      speakerId,
      etag: newEtag(),
      liveness: new SpeakerLiveness(this.#inactivityMs),
      state: "connecting",
      pc: undefined,
      opusPayloadType: offer.opusPayloadType,
      connectDeadline: Number.POSITIVE_INFINITY,
      packets: 0,
      lastRtpAt: undefined,
      unsubscribers: [],
    };
    // Registered before the first await, so a concurrent second offer gets the 409.
    this.#byId.set(session.id, session);
    this.#byKey.set(key, session);
    try {
      const pc = new RTCPeerConnection(peerConfig(this.#options.network));
      session.pc = pc;
      const onTrack = pc.onTrack.subscribe((track) => this.#attachTrack(session, track));
      const onState = pc.connectionStateChange.subscribe((state) =>
        this.#onConnectionState(session, state),
      );
      session.unsubscribers.push(onTrack.unSubscribe, onState.unSubscribe);
      const answerSdp = await answerOffer(pc, offerSdp, {
        direction: "recvonly",
        sections: 1,
        gatheringTimeoutMs: this.#options.gatheringTimeoutMs ?? 5000,
      });
      if (session.state !== "connecting" && session.state !== "connected") {
        throw new WhipError("AMPHI_WHIP_UNAVAILABLE", "The session was ended while it was set up.");
      }
      session.connectDeadline = this.#now() + (this.#options.connectTimeoutMs ?? 15000);
      this.#startTimer();
      return { sessionId: session.id, answerSdp, etag: session.etag };
    } catch (error) {
      const endedMeanwhile = this.#byId.get(session.id) !== session || session.state === "failed";
      if (this.#byId.get(session.id) === session) void this.#finish(session, "setup-failed");
      if (error instanceof WhipError) throw error;
      if (endedMeanwhile) {
        throw new WhipError("AMPHI_WHIP_UNAVAILABLE", "The session was ended while it was set up.");
      }
      const message = error instanceof Error ? error.message : String(error);
      throw new WhipError("AMPHI_WHIP_BAD_OFFER", `The offer could not be answered: ${message}`);
    }
  }

  /**
   * Ends a session at its publisher's request (DELETE on the session URL). Throws
   * AMPHI_WHIP_SESSION_NOT_FOUND when there is no such session or it is someone else's.
   * No packet of the session reaches `onRtp` once this is called.
   */
  async deleteSession(sessionId: string, speakerId: string): Promise<void> {
    const session = this.#byId.get(sessionId);
    if (!session || session.speakerId !== speakerId) {
      throw new WhipError("AMPHI_WHIP_SESSION_NOT_FOUND");
    }
    await this.#finish(session, "deleted");
  }

  /** Server-side end of a speaker's session (left the stage, removed). False if there was none. */
  async closeSpeaker(spaceId: string, speakerId: string): Promise<boolean> {
    const session = this.#byKey.get(sessionKey(spaceId, speakerId));
    if (!session) return false;
    await this.#finish(session, "closed-by-server");
    return true;
  }

  /** Ends every session of a Space (it ended). Returns how many there were. */
  async closeSpace(spaceId: string): Promise<number> {
    const sessions = [...this.#byId.values()].filter((session) => session.spaceId === spaceId);
    await Promise.all(sessions.map((session) => this.#finish(session, "closed-by-server")));
    return sessions.length;
  }

  /** Ends every session and refuses new ones. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const session of [...this.#byId.values()]) void this.#finish(session, "shutdown");
    this.#stopTimer();
    while (this.#closing.size > 0) await Promise.all([...this.#closing]);
  }

  session(sessionId: string): WhipSessionInfo | undefined {
    const session = this.#byId.get(sessionId);
    return session && this.#info(session);
  }

  sessionOf(spaceId: string, speakerId: string): WhipSessionInfo | undefined {
    const session = this.#byKey.get(sessionKey(spaceId, speakerId));
    return session && this.#info(session);
  }

  sessions(spaceId?: string): WhipSessionInfo[] {
    return [...this.#byId.values()]
      .filter((session) => spaceId === undefined || session.spaceId === spaceId)
      .map((session) => this.#info(session));
  }

  #info(session: PublisherSession): WhipSessionInfo {
    const state: WhipSessionState =
      session.state === "connected" && session.liveness.state === "disconnected"
        ? "disconnected"
        : session.state;
    return {
      sessionId: session.id,
      spaceId: session.spaceId,
      speakerId: session.speakerId,
      state,
      packetsReceived: session.packets,
      lastRtpAt: session.lastRtpAt,
    };
  }

  #attachTrack(session: PublisherSession, track: MediaStreamTrack): void {
    if (track.kind !== "audio") return;
    const subscription = track.onReceiveRtp.subscribe((rtp) => this.#onRtp(session, track, rtp));
    session.unsubscribers.push(subscription.unSubscribe);
  }

  #onRtp(session: PublisherSession, track: MediaStreamTrack, rtp: RtpPacket): void {
    if (session.state !== "connected" && session.state !== "connecting") return;
    const { header } = rtp;
    const opus = track.codec?.payloadType ?? session.opusPayloadType;
    if (header.payloadType !== opus) return;
    const now = this.#now();
    session.packets++;
    session.lastRtpAt = now;
    this.#report(session, session.liveness.rtp(now));
    const packet: WhipRtpPacket = {
      seq: header.sequenceNumber,
      timestamp: header.timestamp,
      ssrc: header.ssrc,
      marker: header.marker,
      payloadType: header.payloadType,
      payload: new Uint8Array(rtp.payload),
      receivedAt: now,
    };
    try {
      this.#options.onRtp(session.spaceId, session.speakerId, packet);
    } catch (error) {
      this.#options.onError?.(error);
    }
  }

  #onConnectionState(session: PublisherSession, state: string): void {
    if (session.state === "failed" || session.state === "closed") return;
    const now = this.#now();
    if (state === "connected") {
      session.state = "connected";
      this.#report(session, session.liveness.transport(true, now));
    } else if (state === "disconnected") {
      this.#report(session, session.liveness.transport(false, now));
    } else if (state === "failed" || state === "closed") {
      void this.#finish(session, "transport-failed");
    }
  }

  #report(session: PublisherSession, state: SpeakerMediaState | undefined): void {
    if (state === undefined) return;
    try {
      this.#options.onSpeakerState?.(session.spaceId, session.speakerId, state);
    } catch (error) {
      this.#options.onError?.(error);
    }
  }

  /**
   * Ends a session: no more packets from here on, "disconnected" reported if it was connected,
   * the peer told (close_notify) and closed. Failures (timeout, transport) keep the record as
   * "failed" until it is replaced, deleted or closed; a session whose setup failed is forgotten
   * without a report (nobody learned of it).
   */
  #finish(session: PublisherSession, reason: WhipCloseReason): Promise<void> {
    const failure = reason === "connect-timeout" || reason === "transport-failed";
    const wasEnded = session.state === "failed" || session.state === "closed";
    session.state = failure ? "failed" : "closed";
    if (session.state === "closed") {
      if (this.#byId.get(session.id) === session) this.#byId.delete(session.id);
      if (this.#byKey.get(session.key) === session) this.#byKey.delete(session.key);
      if (this.#byId.size === 0) this.#stopTimer();
    }
    if (wasEnded) return Promise.resolve();
    for (const unsubscribe of session.unsubscribers.splice(0)) unsubscribe();
    this.#report(session, session.liveness.end());
    if (reason !== "setup-failed") {
      try {
        this.#options.onSessionEnded?.(this.#info(session), reason);
      } catch (error) {
        this.#options.onError?.(error);
      }
    }
    const pc = session.pc;
    if (!pc) return Promise.resolve();
    const closing = closePeer(pc).finally(() => this.#closing.delete(closing));
    this.#closing.add(closing);
    return closing;
  }

  #tick(): void {
    const now = this.#now();
    for (const session of this.#byId.values()) {
      if (session.state === "connecting" && now > session.connectDeadline) {
        void this.#finish(session, "connect-timeout");
      } else if (session.state === "connected") {
        this.#report(session, session.liveness.tick(now));
      }
    }
  }

  #startTimer(): void {
    if (this.#timer) return;
    const every = Math.max(20, Math.min(1000, Math.floor(this.#inactivityMs / 4)));
    this.#timer = setInterval(() => this.#tick(), every);
    this.#timer.unref();
  }

  #stopTimer(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
