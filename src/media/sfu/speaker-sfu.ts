/**
 * SpeakerSfu: speakers hear each other. Each speaker opens, next to their WHIP publisher
 * session, a receive-only "listener session": their client offers N recvonly audio transceivers
 * (slots) and the server forwards the other speakers' Opus RTP into them, without decoding.
 * A speaker takes a free slot when they start publishing (first packet) and frees it when they
 * stop; nobody is ever sent their own audio. Each slot's headers are rewritten (SlotRewriter) so
 * its stream stays continuous when the occupant changes. `slots()` / `onSlotsChanged` say who is
 * in which slot so the client can label what it hears.
 *
 * Feed it from WhipIngest: `onRtp` -> forward(), `onSpeakerState` -> speakerState().
 */
import { randomInt } from "node:crypto";
import { type RTCRtpTransceiver, RtpHeader, RtpPacket } from "werift";
import {
  answerOffer,
  closePeer,
  newEtag,
  newSessionId,
  peerConfig,
  RTCPeerConnection,
  type WebRtcNetworkOptions,
} from "../whip/peer.ts";
import { checkListenerOffer } from "../whip/sdp-offer.ts";
import { WhipError } from "../whip/whip-errors.ts";
import { SlotAssigner } from "./slot-assigner.ts";
import { SlotRewriter } from "./slot-rewriter.ts";

/** What forward() needs of a packet; WhipRtpPacket fits. */
export interface ForwardedRtp {
  seq: number;
  timestamp: number;
  ssrc: number;
  marker: boolean;
  payload: Uint8Array;
}

export interface SlotInfo {
  /** Position of the slot among the offer's audio sections, from 0. */
  index: number;
  /** The mid of the slot's transceiver, as in the client's offer. */
  mid: string;
  /** Who is heard in it, null when silent. */
  speakerId: string | null;
}

export type ListenerSessionState = "connecting" | "connected" | "failed" | "closed";

export interface ListenerSessionInfo {
  sessionId: string;
  spaceId: string;
  speakerId: string;
  state: ListenerSessionState;
  packetsSent: number;
  slots: SlotInfo[];
}

export interface ListenerSessionCreated {
  sessionId: string;
  answerSdp: string;
  etag: string;
  /** Who is in which slot right now; later changes go to onSlotsChanged. */
  slots: SlotInfo[];
}

export interface SpeakerSfuOptions {
  network?: WebRtcNetworkOptions;
  /** Most slots a listener may offer. Default 16 (the stage holds 13: everyone else fits 12). */
  maxSlots?: number;
  /** The slots of a listener session changed (someone started or stopped being heard). */
  onSlotsChanged?: (spaceId: string, speakerId: string, slots: SlotInfo[]) => void;
  /** A listener session ended; failed ones stay listed until replaced, deleted or closed. */
  onSessionEnded?: (session: ListenerSessionInfo, reason: ListenerCloseReason) => void;
  onError?: (error: unknown) => void;
  /** ICE+DTLS must be up this long after the answer, or the session fails. Default 15000 ms. */
  connectTimeoutMs?: number;
  gatheringTimeoutMs?: number;
  maxSessions?: number;
  /** Clock in ms. Default performance.now(). */
  now?: () => number;
}

export type ListenerCloseReason =
  | "deleted"
  | "closed-by-server"
  | "connect-timeout"
  | "transport-failed"
  | "replaced"
  | "setup-failed"
  | "shutdown";

interface Slot {
  readonly index: number;
  readonly mid: string;
  readonly transceiver: RTCRtpTransceiver;
  readonly rewriter: SlotRewriter;
}

interface ListenerSession {
  readonly id: string;
  readonly key: string;
  readonly spaceId: string;
  readonly speakerId: string;
  readonly etag: string;
  state: ListenerSessionState;
  pc: RTCPeerConnection | undefined;
  slots: Slot[];
  assigner: SlotAssigner | undefined;
  connectDeadline: number;
  packetsSent: number;
  readonly unsubscribers: Array<() => void>;
}

interface SpaceMedia {
  /** Speakers publishing now, in the order they started (for filling freed slots). */
  readonly publishers: Set<string>;
  /** Listener sessions that take packets (answered, not failed or closed). */
  readonly listeners: Map<string, ListenerSession>;
}

const sessionKey = (spaceId: string, speakerId: string): string => `${spaceId}\u0000${speakerId}`;

export class SpeakerSfu {
  readonly #options: SpeakerSfuOptions;
  readonly #now: () => number;
  readonly #maxSlots: number;
  readonly #spaces = new Map<string, SpaceMedia>();
  readonly #byId = new Map<string, ListenerSession>();
  readonly #byKey = new Map<string, ListenerSession>();
  readonly #closing = new Set<Promise<void>>();
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: SpeakerSfuOptions = {}) {
    this.#options = options;
    this.#now = options.now ?? (() => performance.now());
    this.#maxSlots = options.maxSlots ?? 16;
  }

  /**
   * Answers a speaker's receive-only offer (1..maxSlots recvonly audio sections with Opus).
   * Throws WhipError like WhipIngest.createSession (400, 406, 409, 415, 503).
   */
  async createListenerSession(request: {
    spaceId: string;
    speakerId: string;
    offerSdp: string;
  }): Promise<ListenerSessionCreated> {
    const { spaceId, speakerId, offerSdp } = request;
    if (this.#closed)
      throw new WhipError("AMPHI_WHIP_UNAVAILABLE", "The media server is stopping.");
    const offer = checkListenerOffer(offerSdp, this.#maxSlots);
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
        "This media server has no room for more listeners.",
      );
    }
    const session: ListenerSession = {
      id: newSessionId(),
      key,
      spaceId,
      speakerId,
      etag: newEtag(),
      state: "connecting",
      pc: undefined,
      slots: [],
      assigner: undefined,
      connectDeadline: Number.POSITIVE_INFINITY,
      packetsSent: 0,
      unsubscribers: [],
    };
    this.#byId.set(session.id, session);
    this.#byKey.set(key, session);
    try {
      const pc = new RTCPeerConnection(peerConfig(this.#options.network, { midExtension: true }));
      session.pc = pc;
      const onState = pc.connectionStateChange.subscribe((state) =>
        this.#onConnectionState(session, state),
      );
      session.unsubscribers.push(onState.unSubscribe);
      const answerSdp = await answerOffer(pc, offerSdp, {
        direction: "sendonly",
        sections: offer.slots.length,
        gatheringTimeoutMs: this.#options.gatheringTimeoutMs ?? 5000,
      });
      if (session.state !== "connecting" && session.state !== "connected") {
        throw new WhipError("AMPHI_WHIP_UNAVAILABLE", "The session was ended while it was set up.");
      }
      const transceivers = pc.getTransceivers();
      session.slots = offer.slots.map((offered, index) => {
        const transceiver = transceivers.find((t) => t.mid === offered.mid);
        if (!transceiver) {
          throw new WhipError(
            "AMPHI_WHIP_BAD_OFFER",
            `No transceiver for slot mid ${offered.mid}.`,
          );
        }
        const rewriter = new SlotRewriter({
          ssrc: transceiver.sender.ssrc,
          initialSeq: randomInt(0x10000),
          initialTimestamp: randomInt(0x1_0000_0000 - 1),
        });
        return { index, mid: offered.mid, transceiver, rewriter };
      });
      session.assigner = new SlotAssigner(session.slots.length);
      const space = this.#space(spaceId);
      space.listeners.set(speakerId, session);
      // The answer carries these first assignments; onSlotsChanged reports later ones.
      for (const publisher of space.publishers) this.#assign(session, publisher, false);
      session.connectDeadline = this.#now() + (this.#options.connectTimeoutMs ?? 15000);
      this.#startTimer();
      return {
        sessionId: session.id,
        answerSdp,
        etag: session.etag,
        slots: this.#slotInfo(session),
      };
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

  /** Ends a listener session at its speaker's request; AMPHI_WHIP_SESSION_NOT_FOUND otherwise. */
  async deleteListenerSession(sessionId: string, speakerId: string): Promise<void> {
    const session = this.#byId.get(sessionId);
    if (!session || session.speakerId !== speakerId) {
      throw new WhipError("AMPHI_WHIP_SESSION_NOT_FOUND");
    }
    await this.#finish(session, "deleted");
  }

  /**
   * The speaker left the stage: ends their listener session and stops forwarding their audio
   * to the others. False if there was neither.
   */
  async closeSpeaker(spaceId: string, speakerId: string): Promise<boolean> {
    const wasPublishing = this.#stopPublisher(spaceId, speakerId);
    const session = this.#byKey.get(sessionKey(spaceId, speakerId));
    if (session) await this.#finish(session, "closed-by-server");
    return wasPublishing || session !== undefined;
  }

  /** The Space ended: every listener session closed, nothing forwarded any more. */
  async closeSpace(spaceId: string): Promise<number> {
    const sessions = [...this.#byId.values()].filter((session) => session.spaceId === spaceId);
    this.#spaces.get(spaceId)?.publishers.clear();
    await Promise.all(sessions.map((session) => this.#finish(session, "closed-by-server")));
    this.#spaces.delete(spaceId);
    return sessions.length;
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const session of [...this.#byId.values()]) void this.#finish(session, "shutdown");
    this.#spaces.clear();
    this.#stopTimer();
    while (this.#closing.size > 0) await Promise.all([...this.#closing]);
  }

  /**
   * One RTP packet a speaker published (WhipIngest's onRtp). The first one makes the speaker
   * heard: they get a slot in every other speaker's listener session.
   */
  forward(spaceId: string, speakerId: string, packet: ForwardedRtp): void {
    if (this.#closed) return;
    const space = this.#space(spaceId);
    if (!space.publishers.has(speakerId)) {
      space.publishers.add(speakerId);
      for (const listener of space.listeners.values()) {
        if (listener.speakerId !== speakerId) this.#assign(listener, speakerId);
      }
    }
    if (space.listeners.size === 0) return;
    const now = this.#now();
    const payload = Buffer.from(
      packet.payload.buffer,
      packet.payload.byteOffset,
      packet.payload.byteLength,
    );
    for (const listener of space.listeners.values()) {
      if (listener.speakerId === speakerId || listener.state !== "connected") continue;
      const index = listener.assigner?.slotOf(speakerId);
      const slot = index === undefined ? undefined : listener.slots[index];
      if (!slot) continue;
      const out = slot.rewriter.rewrite({
        sourceId: speakerId,
        ssrc: packet.ssrc,
        seq: packet.seq,
        timestamp: packet.timestamp,
        marker: packet.marker,
        arrivalMs: now,
      });
      if (!out) continue;
      // A fresh packet per subscriber: werift rewrites the header of what it sends (SSRC,
      // payload type, extensions). The payload is shared: werift encrypts into a new buffer.
      const header = new RtpHeader({
        sequenceNumber: out.seq,
        timestamp: out.timestamp,
        ssrc: out.ssrc,
        marker: out.marker,
        payloadType: slot.transceiver.sender.codec?.payloadType ?? 111,
      });
      listener.packetsSent++;
      slot.transceiver.sender.sendRtp(new RtpPacket(header, payload)).catch((error: unknown) => {
        this.#options.onError?.(error);
      });
    }
  }

  /**
   * A publisher's media state (WhipIngest's onSpeakerState). "disconnected" frees their slots;
   * they are heard again from their next packet.
   */
  speakerState(spaceId: string, speakerId: string, state: "connected" | "disconnected"): void {
    if (state === "disconnected") this.#stopPublisher(spaceId, speakerId);
  }

  /** Who is in which slot of a speaker's listener session. */
  slots(spaceId: string, speakerId: string): SlotInfo[] | undefined {
    const session = this.#byKey.get(sessionKey(spaceId, speakerId));
    return session && this.#slotInfo(session);
  }

  /** The speakers being forwarded in a Space, in the order they started. */
  publishers(spaceId: string): string[] {
    return [...(this.#spaces.get(spaceId)?.publishers ?? [])];
  }

  listenerSession(sessionId: string): ListenerSessionInfo | undefined {
    const session = this.#byId.get(sessionId);
    return session && this.#info(session);
  }

  listenerSessions(spaceId?: string): ListenerSessionInfo[] {
    return [...this.#byId.values()]
      .filter((session) => spaceId === undefined || session.spaceId === spaceId)
      .map((session) => this.#info(session));
  }

  #info(session: ListenerSession): ListenerSessionInfo {
    return {
      sessionId: session.id,
      spaceId: session.spaceId,
      speakerId: session.speakerId,
      state: session.state,
      packetsSent: session.packetsSent,
      slots: this.#slotInfo(session),
    };
  }

  #slotInfo(session: ListenerSession): SlotInfo[] {
    return session.slots.map((slot) => ({
      index: slot.index,
      mid: slot.mid,
      speakerId: session.assigner?.occupant(slot.index) ?? null,
    }));
  }

  #space(spaceId: string): SpaceMedia {
    let space = this.#spaces.get(spaceId);
    if (!space) {
      space = { publishers: new Set(), listeners: new Map() };
      this.#spaces.set(spaceId, space);
    }
    return space;
  }

  #dropSpaceIfEmpty(spaceId: string): void {
    const space = this.#spaces.get(spaceId);
    if (space && space.publishers.size === 0 && space.listeners.size === 0) {
      this.#spaces.delete(spaceId);
    }
  }

  /** Gives `speakerId` a slot in `listener` (never their own); reports the change. */
  #assign(listener: ListenerSession, speakerId: string, report = true): void {
    if (listener.speakerId === speakerId || !listener.assigner) return;
    if (listener.assigner.slotOf(speakerId) !== undefined) return;
    const slot = listener.assigner.assign(speakerId);
    if (slot === undefined) return;
    listener.slots[slot]?.rewriter.release();
    if (report) this.#slotsChanged(listener);
  }

  #stopPublisher(spaceId: string, speakerId: string): boolean {
    const space = this.#spaces.get(spaceId);
    if (!space?.publishers.delete(speakerId)) return false;
    for (const listener of space.listeners.values()) {
      const slot = listener.assigner?.release(speakerId);
      if (slot === undefined) continue;
      listener.slots[slot]?.rewriter.release();
      // Someone who found every slot taken may take the freed one.
      for (const waiting of space.publishers) {
        if (waiting !== listener.speakerId && listener.assigner?.slotOf(waiting) === undefined) {
          listener.assigner?.assign(waiting);
          break;
        }
      }
      this.#slotsChanged(listener);
    }
    this.#dropSpaceIfEmpty(spaceId);
    return true;
  }

  #slotsChanged(listener: ListenerSession): void {
    if (listener.state === "failed" || listener.state === "closed") return;
    try {
      this.#options.onSlotsChanged?.(
        listener.spaceId,
        listener.speakerId,
        this.#slotInfo(listener),
      );
    } catch (error) {
      this.#options.onError?.(error);
    }
  }

  #onConnectionState(session: ListenerSession, state: string): void {
    if (session.state === "failed" || session.state === "closed") return;
    if (state === "connected") session.state = "connected";
    else if (state === "failed" || state === "closed")
      void this.#finish(session, "transport-failed");
  }

  #finish(session: ListenerSession, reason: ListenerCloseReason): Promise<void> {
    const failure = reason === "connect-timeout" || reason === "transport-failed";
    const wasEnded = session.state === "failed" || session.state === "closed";
    session.state = failure ? "failed" : "closed";
    const space = this.#spaces.get(session.spaceId);
    if (space?.listeners.get(session.speakerId) === session) {
      space.listeners.delete(session.speakerId);
      this.#dropSpaceIfEmpty(session.spaceId);
    }
    if (session.state === "closed") {
      if (this.#byId.get(session.id) === session) this.#byId.delete(session.id);
      if (this.#byKey.get(session.key) === session) this.#byKey.delete(session.key);
      if (this.#byId.size === 0) this.#stopTimer();
    }
    if (wasEnded) return Promise.resolve();
    for (const unsubscribe of session.unsubscribers.splice(0)) unsubscribe();
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
      }
    }
  }

  #startTimer(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => this.#tick(), 1000);
    this.#timer.unref();
  }

  #stopTimer(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
