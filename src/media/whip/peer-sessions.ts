/**
 * PeerSessions: the lifecycle of the speakers' WebRTC sessions, one piece for both kinds (the
 * WHIP publisher sessions of WhipIngest, the receive-only listener sessions of SpeakerSfu).
 *
 * At most one session per (Space, speaker), an HTTP resource found by its unguessable id and
 * owned by its speaker. A session is answered with all of the server's candidates, must
 * connect (ICE+DTLS) within `connectTimeoutMs`, and fails when it does not or when ICE/DTLS
 * fails; a failed session stays listed until it is replaced, deleted or closed. It ends when
 * its owner deletes it, when the server closes the speaker, the Space or everything, or when a
 * new session of the same speaker replaces it; every end closes the peer at once (closePeer).
 * What a kind does with the media goes through its PeerSessionKind hooks; its per-session
 * state is the session's `media`.
 */

import { type CandidatePolicy, filterOfferCandidates } from "./offer-candidates.ts";
import {
  answerOffer,
  closePeer,
  newEtag,
  newSessionId,
  peerConfig,
  RTCPeerConnection,
  type WebRtcNetworkOptions,
} from "./peer.ts";
import { WhipError } from "./whip-errors.ts";

/**
 * connecting: answered (or being answered), ICE/DTLS not up yet; connected: ICE/DTLS up;
 * failed: did not connect in time, or ICE/DTLS failed; closed: ended, no longer listed.
 */
export type PeerSessionState = "connecting" | "connected" | "failed" | "closed";

export type PeerCloseReason =
  | "deleted"
  | "closed-by-server"
  | "connect-timeout"
  | "transport-failed"
  | "replaced"
  | "setup-failed"
  | "shutdown";

export interface PeerSession<M> {
  readonly id: string;
  readonly spaceId: string;
  readonly speakerId: string;
  readonly etag: string;
  readonly state: PeerSessionState;
  /** What the kind of session keeps of its own (liveness, counters, slots). */
  readonly media: M;
}

export interface PeerSessionCreated {
  sessionId: string;
  /** The SDP answer, with all of the server's ICE candidates. */
  answerSdp: string;
  /** A strong entity-tag for the ETag header of the 201. */
  etag: string;
}

export interface PeerSessionRequest {
  spaceId: string;
  speakerId: string;
  offerSdp: string;
  /**
   * Replace a live session of the same speaker in the Space (it ends as "replaced", its peer
   * closed before the new answer is returned) instead of refusing with 409: how a speaker
   * reconnects, reloads or moves to another media node (docs/decisions.md). A failed session is
   * replaced either way.
   */
  replace?: boolean;
  /**
   * The address the offer came from (the HTTP client's): with `candidates` in the settings,
   * the only address besides the allowed ones the server sends ICE checks to.
   */
  sourceAddress?: string;
}

/** One session's set-up, from its checked offer. */
export interface PeerSessionPlan<M, R> {
  /** How many media sections the answer accepts. */
  sections: number;
  media: M;
  /** Before the offer is applied: subscribe to what the peer will emit (see untilEnd). */
  wire?: (session: PeerSession<M>, pc: RTCPeerConnection) => void;
  /** Answered and still live: the kind's own set-up; what it returns joins the 201's fields. */
  answered: (session: PeerSession<M>, pc: RTCPeerConnection) => R;
}

/** What both kinds take from their owner's options. */
export interface PeerSessionSettings {
  network?: WebRtcNetworkOptions;
  /**
   * Which ICE candidates of an offer are kept (offer-candidates.ts): those naming the
   * request's source address or an allowed one, at most `max`. Absent: all (tests only).
   */
  candidates?: CandidatePolicy;
  /** Most sessions at once (failed ones included); more get AMPHI_WHIP_UNAVAILABLE. */
  maxSessions?: number;
  /** ICE+DTLS must be up this long after the answer, or the session fails. Default 15000 ms. */
  connectTimeoutMs?: number;
  /** Longest wait for the server's own ICE gathering before answering. Default 5000 ms. */
  gatheringTimeoutMs?: number;
  /** Clock in ms. Default performance.now(). */
  now?: () => number;
  /** An error thrown by a callback; they never reach werift. Default: ignored. */
  onError?: (error: unknown) => void;
}

/** What makes a kind of session: its direction and what it does as the session lives. */
export interface PeerSessionKind<M> {
  /** Who the sessions are for, in the 503 when there is no room: "speakers", "listeners". */
  serves: string;
  /** The server's direction in every section. */
  direction: "recvonly" | "sendonly";
  /** Negotiate the SDES mid header extension (RTP of several sections on one transport). */
  midExtension?: boolean;
  /** How often connect deadlines are checked and `tick` is called, in ms. */
  tickMs: number;
  /** ICE/DTLS of a live session changed ("connected", "disconnected"); its state is updated. */
  transportChanged?: (session: PeerSession<M>, state: string) => void;
  /** Every tickMs, for each connected session. */
  tick?: (session: PeerSession<M>, now: number) => void;
  /** Once per session as it ends (a failed setup too): subscriptions gone, peer not yet closed. */
  ending?: (session: PeerSession<M>, reason: PeerCloseReason) => void;
  /** A session ended; not for a failed setup (nobody learned of that session). */
  ended?: (session: PeerSession<M>, reason: PeerCloseReason) => void;
}

interface Entry<M> {
  readonly session: { -readonly [K in keyof PeerSession<M>]: PeerSession<M>[K] };
  readonly key: string;
  pc: RTCPeerConnection | undefined;
  connectDeadline: number;
  readonly unsubscribers: Array<() => void>;
}

const keyOf = (spaceId: string, speakerId: string): string => `${spaceId}\u0000${speakerId}`;

const isLive = (session: PeerSession<unknown>): boolean =>
  session.state === "connecting" || session.state === "connected";

export class PeerSessions<M> {
  readonly #settings: PeerSessionSettings;
  readonly #kind: PeerSessionKind<M>;
  readonly #now: () => number;
  readonly #byId = new Map<string, Entry<M>>();
  readonly #byKey = new Map<string, Entry<M>>();
  readonly #closing = new Set<Promise<void>>();
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(settings: PeerSessionSettings, kind: PeerSessionKind<M>) {
    this.#settings = settings;
    this.#kind = kind;
    this.#now = settings.now ?? (() => performance.now());
  }

  /** Closed: every session ended and new ones refused. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Answers an offer. `plan` checks it (throwing its WhipError) and says how to set it up.
   * Throws WhipError: AMPHI_WHIP_SESSION_EXISTS (409, details.sessionId is the live session
   * of the speaker, unless `replace`), _UNAVAILABLE (503: stopping, full, or ended while set
   * up), _BAD_OFFER (400: werift could not answer it), and what `plan` and `answered` throw.
   */
  async create<R extends object>(
    request: PeerSessionRequest,
    plan: (offerSdp: string) => PeerSessionPlan<M, R>,
  ): Promise<PeerSessionCreated & R> {
    const { spaceId, speakerId } = request;
    const policy = this.#settings.candidates;
    const offerSdp = policy
      ? filterOfferCandidates(request.offerSdp, request.sourceAddress ?? "", policy).sdp
      : request.offerSdp;
    if (this.#closed)
      throw new WhipError("AMPHI_WHIP_UNAVAILABLE", "The media server is stopping.");
    const setup = plan(offerSdp);
    const key = keyOf(spaceId, speakerId);
    const existing = this.#byKey.get(key);
    let replaced: Promise<void> = Promise.resolve();
    if (existing) {
      if (isLive(existing.session) && !request.replace) {
        throw new WhipError("AMPHI_WHIP_SESSION_EXISTS", undefined, {
          sessionId: existing.session.id,
        });
      }
      replaced = this.#finish(existing, "replaced");
    }
    if (this.#byId.size >= (this.#settings.maxSessions ?? Number.POSITIVE_INFINITY)) {
      throw new WhipError(
        "AMPHI_WHIP_UNAVAILABLE",
        `This media server has no room for more ${this.#kind.serves}.`,
      );
    }
    const entry: Entry<M> = {
      session: {
        id: newSessionId(),
        spaceId,
        speakerId,
        etag: newEtag(),
        state: "connecting",
        media: setup.media,
      },
      key,
      pc: undefined,
      connectDeadline: Number.POSITIVE_INFINITY,
      unsubscribers: [],
    };
    const { session } = entry;
    // Registered before the first await, so a concurrent second offer finds it.
    this.#byId.set(session.id, entry);
    this.#byKey.set(key, entry);
    try {
      const midExtension = this.#kind.midExtension ?? false;
      const pc = new RTCPeerConnection(peerConfig(this.#settings.network, { midExtension }));
      entry.pc = pc;
      const onState = pc.connectionStateChange.subscribe((state) =>
        this.#onConnectionState(entry, state),
      );
      entry.unsubscribers.push(onState.unSubscribe);
      setup.wire?.(session, pc);
      const [answerSdp] = await Promise.all([
        answerOffer(pc, offerSdp, {
          direction: this.#kind.direction,
          sections: setup.sections,
          gatheringTimeoutMs: this.#settings.gatheringTimeoutMs ?? 5000,
        }),
        replaced,
      ]);
      if (!isLive(session)) {
        throw new WhipError("AMPHI_WHIP_UNAVAILABLE", "The session was ended while it was set up.");
      }
      const answered = setup.answered(session, pc);
      entry.connectDeadline = this.#now() + (this.#settings.connectTimeoutMs ?? 15000);
      this.#startTimer();
      return { sessionId: session.id, answerSdp, etag: session.etag, ...answered };
    } catch (error) {
      const endedMeanwhile = this.#byId.get(session.id) !== entry || session.state === "failed";
      if (this.#byId.get(session.id) === entry) void this.#finish(entry, "setup-failed");
      if (error instanceof WhipError) throw error;
      if (endedMeanwhile) {
        throw new WhipError("AMPHI_WHIP_UNAVAILABLE", "The session was ended while it was set up.");
      }
      throw new WhipError(
        "AMPHI_WHIP_BAD_OFFER",
        "The offer could not be answered.",
        undefined,
        error,
      );
    }
  }

  /** Runs `unsubscribe` when the session ends, or at once if it has. */
  untilEnd(session: PeerSession<M>, unsubscribe: () => void): void {
    const entry = this.#byId.get(session.id);
    if (entry?.session === session && isLive(session)) entry.unsubscribers.push(unsubscribe);
    else unsubscribe();
  }

  /** Calls one of the owner's callbacks; what it throws goes to onError, never to werift. */
  safely(callback: () => void): void {
    try {
      callback();
    } catch (error) {
      this.#settings.onError?.(error);
    }
  }

  /**
   * Ends a session at its owner's request (DELETE on its URL). Throws
   * AMPHI_WHIP_SESSION_NOT_FOUND when there is no such session or it is someone else's.
   */
  async delete(sessionId: string, speakerId: string): Promise<void> {
    const entry = this.#byId.get(sessionId);
    if (!entry || entry.session.speakerId !== speakerId) {
      throw new WhipError("AMPHI_WHIP_SESSION_NOT_FOUND");
    }
    await this.#finish(entry, "deleted");
  }

  /** Server-side end of a speaker's session. False if there was none. */
  async closeSpeaker(spaceId: string, speakerId: string): Promise<boolean> {
    const entry = this.#byKey.get(keyOf(spaceId, speakerId));
    if (!entry) return false;
    await this.#finish(entry, "closed-by-server");
    return true;
  }

  /** Ends every session of a Space. Returns how many there were. */
  async closeSpace(spaceId: string): Promise<number> {
    const entries = [...this.#byId.values()].filter((entry) => entry.session.spaceId === spaceId);
    await Promise.all(entries.map((entry) => this.#finish(entry, "closed-by-server")));
    return entries.length;
  }

  /** Ends every session and refuses new ones; resolves once every peer is closed. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const entry of [...this.#byId.values()]) void this.#finish(entry, "shutdown");
    this.#stopTimer();
    while (this.#closing.size > 0) await Promise.all([...this.#closing]);
  }

  get(sessionId: string): PeerSession<M> | undefined {
    return this.#byId.get(sessionId)?.session;
  }

  of(spaceId: string, speakerId: string): PeerSession<M> | undefined {
    return this.#byKey.get(keyOf(spaceId, speakerId))?.session;
  }

  list(spaceId?: string): PeerSession<M>[] {
    return [...this.#byId.values()]
      .map((entry) => entry.session)
      .filter((session) => spaceId === undefined || session.spaceId === spaceId);
  }

  #onConnectionState(entry: Entry<M>, state: string): void {
    const { session } = entry;
    if (!isLive(session)) return;
    if (state === "connected") session.state = "connected";
    if (state === "failed" || state === "closed") void this.#finish(entry, "transport-failed");
    else this.safely(() => this.#kind.transportChanged?.(session, state));
  }

  /**
   * Ends a session: its subscriptions go, the kind is told (`ending`, then `ended`), the peer is
   * told (close_notify) and closed. A failure (timeout, transport) keeps the session listed as
   * "failed" until it is replaced, deleted or closed.
   */
  #finish(entry: Entry<M>, reason: PeerCloseReason): Promise<void> {
    const { session } = entry;
    const failure = reason === "connect-timeout" || reason === "transport-failed";
    const wasEnded = !isLive(session);
    session.state = failure ? "failed" : "closed";
    if (session.state === "closed") {
      if (this.#byId.get(session.id) === entry) this.#byId.delete(session.id);
      if (this.#byKey.get(entry.key) === entry) this.#byKey.delete(entry.key);
      if (this.#byId.size === 0) this.#stopTimer();
    }
    if (wasEnded) return Promise.resolve();
    for (const unsubscribe of entry.unsubscribers.splice(0)) unsubscribe();
    this.safely(() => this.#kind.ending?.(session, reason));
    if (reason !== "setup-failed") this.safely(() => this.#kind.ended?.(session, reason));
    const pc = entry.pc;
    if (!pc) return Promise.resolve();
    const closing = closePeer(pc).finally(() => this.#closing.delete(closing));
    this.#closing.add(closing);
    return closing;
  }

  #tick(): void {
    const now = this.#now();
    for (const entry of this.#byId.values()) {
      const { session } = entry;
      if (session.state === "connecting" && now > entry.connectDeadline) {
        void this.#finish(entry, "connect-timeout");
      } else if (session.state === "connected") {
        this.safely(() => this.#kind.tick?.(session, now));
      }
    }
  }

  #startTimer(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => this.#tick(), this.#kind.tickMs);
    this.#timer.unref();
  }

  #stopTimer(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
