/**
 * SpeakerSfu: speakers hear each other. Each speaker opens, next to their WHIP publisher
 * session, a receive-only "listener session": their client offers N recvonly audio transceivers
 * (slots) and the server forwards the other speakers' Opus RTP into them, without decoding.
 * A speaker takes a free slot when they start publishing (first packet) and frees it when they
 * stop; nobody is ever sent their own audio. Each slot's headers are rewritten (SlotRewriter) so
 * its stream stays continuous when the occupant changes. `slots()` / `onSlotsChanged` say who is
 * in which slot so the client can label what it hears. The session lifecycle (limits,
 * replacement, timeouts, closes) is PeerSessions'; this file adds the slots and the forwarding.
 *
 * Feed it from WhipIngest: `onRtp` -> forward(), `onSpeakerState` -> speakerState().
 */
import { randomInt } from "node:crypto";
import { type RTCPeerConnection, type RTCRtpTransceiver, RtpHeader, RtpPacket } from "werift";
import {
  type PeerCloseReason,
  type PeerSession,
  type PeerSessionCreated,
  type PeerSessionRequest,
  type PeerSessionSettings,
  type PeerSessionState,
  PeerSessions,
} from "../whip/peer-sessions.ts";
import { checkListenerOffer, type ListenerOffer } from "../whip/sdp-offer.ts";
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

export type ListenerSessionState = PeerSessionState;

export interface ListenerSessionInfo {
  sessionId: string;
  spaceId: string;
  speakerId: string;
  state: ListenerSessionState;
  packetsSent: number;
  slots: SlotInfo[];
}

export interface ListenerSessionCreated extends PeerSessionCreated {
  /** Who is in which slot right now; later changes go to onSlotsChanged. */
  slots: SlotInfo[];
}

export interface SpeakerSfuOptions extends PeerSessionSettings {
  /** Most slots a listener may offer. Default 16 (the stage holds 13: everyone else fits 12). */
  maxSlots?: number;
  /** The slots of a listener session changed (someone started or stopped being heard). */
  onSlotsChanged?: (spaceId: string, speakerId: string, slots: SlotInfo[]) => void;
  /** A listener session ended; failed ones stay listed until replaced, deleted or closed. */
  onSessionEnded?: (session: ListenerSessionInfo, reason: ListenerCloseReason) => void;
}

export type ListenerCloseReason = PeerCloseReason;

interface Slot {
  readonly index: number;
  readonly mid: string;
  readonly transceiver: RTCRtpTransceiver;
  readonly rewriter: SlotRewriter;
}

interface ListenerMedia {
  slots: Slot[];
  assigner: SlotAssigner | undefined;
  packetsSent: number;
}

type ListenerSession = PeerSession<ListenerMedia>;

interface SpaceMedia {
  /** Speakers publishing now, in the order they started (for filling freed slots). */
  readonly publishers: Set<string>;
  /** Listener sessions that take packets (answered, not failed or closed). */
  readonly listeners: Map<string, ListenerSession>;
}

export class SpeakerSfu {
  readonly #options: SpeakerSfuOptions;
  readonly #now: () => number;
  readonly #maxSlots: number;
  readonly #spaces = new Map<string, SpaceMedia>();
  readonly #sessions: PeerSessions<ListenerMedia>;

  constructor(options: SpeakerSfuOptions = {}) {
    this.#options = options;
    this.#now = options.now ?? (() => performance.now());
    this.#maxSlots = options.maxSlots ?? 16;
    this.#sessions = new PeerSessions(options, {
      serves: "listeners",
      direction: "sendonly",
      midExtension: true,
      tickMs: 1000,
      ending: (session) => this.#stopListening(session),
      ended: (session, reason) => options.onSessionEnded?.(this.#info(session), reason),
    });
  }

  /**
   * Answers a speaker's receive-only offer (1..maxSlots recvonly audio sections with Opus).
   * Throws WhipError like WhipIngest.createSession (400, 406, 409, 415, 503).
   */
  createListenerSession(request: PeerSessionRequest): Promise<ListenerSessionCreated> {
    return this.#sessions.create(request, (offerSdp) => {
      const offer = checkListenerOffer(offerSdp, this.#maxSlots);
      return {
        sections: offer.slots.length,
        media: { slots: [], assigner: undefined, packetsSent: 0 },
        answered: (session, pc) => ({ slots: this.#openSlots(session, pc, offer) }),
      };
    });
  }

  /** Ends a listener session at its speaker's request; AMPHI_WHIP_SESSION_NOT_FOUND otherwise. */
  deleteListenerSession(sessionId: string, speakerId: string): Promise<void> {
    return this.#sessions.delete(sessionId, speakerId);
  }

  /**
   * The speaker left the stage: ends their listener session and stops forwarding their audio
   * to the others. False if there was neither.
   */
  async closeSpeaker(spaceId: string, speakerId: string): Promise<boolean> {
    const wasPublishing = this.#stopPublisher(spaceId, speakerId);
    const hadSession = await this.#sessions.closeSpeaker(spaceId, speakerId);
    return wasPublishing || hadSession;
  }

  /** The Space ended: every listener session closed, nothing forwarded any more. */
  async closeSpace(spaceId: string): Promise<number> {
    this.#spaces.get(spaceId)?.publishers.clear();
    const count = await this.#sessions.closeSpace(spaceId);
    this.#spaces.delete(spaceId);
    return count;
  }

  async close(): Promise<void> {
    const closing = this.#sessions.close();
    this.#spaces.clear();
    await closing;
  }

  /**
   * One RTP packet a speaker published (WhipIngest's onRtp). The first one makes the speaker
   * heard: they get a slot in every other speaker's listener session.
   */
  forward(spaceId: string, speakerId: string, packet: ForwardedRtp): void {
    if (this.#sessions.closed) return;
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
      const { media } = listener;
      const index = media.assigner?.slotOf(speakerId);
      const slot = index === undefined ? undefined : media.slots[index];
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
      media.packetsSent++;
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
    const session = this.#sessions.of(spaceId, speakerId);
    return session && this.#slotInfo(session);
  }

  /** The speakers being forwarded in a Space, in the order they started. */
  publishers(spaceId: string): string[] {
    return [...(this.#spaces.get(spaceId)?.publishers ?? [])];
  }

  listenerSession(sessionId: string): ListenerSessionInfo | undefined {
    const session = this.#sessions.get(sessionId);
    return session && this.#info(session);
  }

  listenerSessions(spaceId?: string): ListenerSessionInfo[] {
    return this.#sessions.list(spaceId).map((session) => this.#info(session));
  }

  #info(session: ListenerSession): ListenerSessionInfo {
    return {
      sessionId: session.id,
      spaceId: session.spaceId,
      speakerId: session.speakerId,
      state: session.state,
      packetsSent: session.media.packetsSent,
      slots: this.#slotInfo(session),
    };
  }

  #slotInfo(session: ListenerSession): SlotInfo[] {
    const { slots, assigner } = session.media;
    return slots.map((slot) => ({
      index: slot.index,
      mid: slot.mid,
      speakerId: assigner?.occupant(slot.index) ?? null,
    }));
  }

  /**
   * The answered session's slots, one per offered section in offer order, each with its own
   * rewriter; the session then takes packets, and the speakers publishing now get slots.
   */
  #openSlots(session: ListenerSession, pc: RTCPeerConnection, offer: ListenerOffer): SlotInfo[] {
    const transceivers = pc.getTransceivers();
    const { media } = session;
    media.slots = offer.slots.map((offered, index) => {
      const transceiver = transceivers.find((t) => t.mid === offered.mid);
      if (!transceiver) {
        throw new WhipError("AMPHI_WHIP_BAD_OFFER", `No transceiver for slot mid ${offered.mid}.`);
      }
      const rewriter = new SlotRewriter({
        ssrc: transceiver.sender.ssrc,
        initialSeq: randomInt(0x10000),
        initialTimestamp: randomInt(0x1_0000_0000 - 1),
      });
      return { index, mid: offered.mid, transceiver, rewriter };
    });
    media.assigner = new SlotAssigner(media.slots.length);
    const space = this.#space(session.spaceId);
    space.listeners.set(session.speakerId, session);
    // The answer carries these first assignments; onSlotsChanged reports later ones.
    for (const publisher of space.publishers) this.#assign(session, publisher, false);
    return this.#slotInfo(session);
  }

  /** A listener session ended: it takes no more packets. */
  #stopListening(session: ListenerSession): void {
    const space = this.#spaces.get(session.spaceId);
    if (space?.listeners.get(session.speakerId) === session) {
      space.listeners.delete(session.speakerId);
      this.#dropSpaceIfEmpty(session.spaceId);
    }
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
    const { assigner, slots } = listener.media;
    if (listener.speakerId === speakerId || !assigner) return;
    if (assigner.slotOf(speakerId) !== undefined) return;
    const slot = assigner.assign(speakerId);
    if (slot === undefined) return;
    slots[slot]?.rewriter.release();
    if (report) this.#slotsChanged(listener);
  }

  #stopPublisher(spaceId: string, speakerId: string): boolean {
    const space = this.#spaces.get(spaceId);
    if (!space?.publishers.delete(speakerId)) return false;
    for (const listener of space.listeners.values()) {
      const { assigner, slots } = listener.media;
      const slot = assigner?.release(speakerId);
      if (slot === undefined) continue;
      slots[slot]?.rewriter.release();
      // Someone who found every slot taken may take the freed one.
      for (const waiting of space.publishers) {
        if (waiting !== listener.speakerId && assigner?.slotOf(waiting) === undefined) {
          assigner?.assign(waiting);
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
    this.#sessions.safely(() =>
      this.#options.onSlotsChanged?.(
        listener.spaceId,
        listener.speakerId,
        this.#slotInfo(listener),
      ),
    );
  }
}
