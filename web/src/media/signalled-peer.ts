import { deleteSdpSession, postSdpOffer, type SdpAnswer } from "../api/sdp";
import { waitForIceGathering } from "./ice";
import {
  initialSupervisorState,
  type PeerPhase,
  type SupervisorConfig,
  type SupervisorEffect,
  type SupervisorEvent,
  type SupervisorState,
  type SupervisorTimer,
  superviseStep,
} from "./peer-supervisor";
import { isTransientFailure, retryDelayFor } from "./reconnect-policy";

export type { PeerPhase } from "./peer-supervisor";

/** What the peer needs from the browser and the server (replaced in tests). */
export interface PeerTransport {
  createPeer: () => RTCPeerConnection;
  gather: (pc: RTCPeerConnection, timeoutMs: number) => Promise<void>;
  post: (url: string, offer: string, signal: AbortSignal) => Promise<SdpAnswer>;
  remove: (resource: string) => void;
}

const browserTransport: PeerTransport = {
  createPeer: () => new RTCPeerConnection(),
  gather: waitForIceGathering,
  post: postSdpOffer,
  remove: deleteSdpSession,
};

export interface SignalledPeerOptions {
  /** The WHIP or WHEP endpoint. */
  url: string;
  /** Adds the transceivers (and handlers) to a fresh connection; again on every reconnect. */
  setup: (pc: RTCPeerConnection) => void;
  onPhase: (phase: PeerPhase, error?: unknown) => void;
  /** Replacements in a row before giving up. Default: no limit (until closed or refused). */
  maxRetries?: number;
  /** How long `disconnected` may last before the connection is replaced. Default 2 s. */
  graceMs?: number;
  /** How long an answered connection may take to come up. Default 10 s. */
  connectTimeoutMs?: number;
  /** How long one offer (gathering, POST, answer) may take. Default 10 s. */
  offerTimeoutMs?: number;
  transport?: PeerTransport;
  random?: () => number;
}

/** An offer that took too long (a server that accepts the request and never answers). */
export class OfferTimeoutError extends Error {
  constructor() {
    super("The server took too long to answer.");
    this.name = "OfferTimeoutError";
  }
}

/** A hang-up while an offer was out. */
const hungUp = () => new DOMException("Hung up", "AbortError");

/**
 * One WebRTC connection set up over HTTP (WHIP, RFC 9725, or WHEP): offer, ICE gathering,
 * POST, answer. When it is lost (failed, disconnected beyond a grace, never came up) it is
 * replaced by a new session on the same URL, with backoff, until it is closed or the server
 * refuses: after a media node's takeover, the same URL reaches the new owner. The old
 * session's resource is DELETEd on the way (a 404 from a new owner is fine). See
 * peer-supervisor.ts for the rules, reconnect-policy.ts for the delays.
 */
export class SignalledPeer {
  #state: SupervisorState = initialSupervisorState;
  readonly #config: SupervisorConfig;
  readonly #transport: PeerTransport;
  readonly #timers = new Map<SupervisorTimer, ReturnType<typeof setTimeout>>();
  #pc: RTCPeerConnection | null = null;
  #resource: string | null = null;
  #abort: AbortController | null = null;

  constructor(private readonly options: SignalledPeerOptions) {
    const random = options.random ?? Math.random;
    this.#transport = options.transport ?? browserTransport;
    this.#config = {
      graceMs: options.graceMs ?? 2000,
      connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
      maxRetries: options.maxRetries ?? Number.POSITIVE_INFINITY,
      delay: (attempt, error) => retryDelayFor(error, attempt, random),
    };
  }

  get phase(): SupervisorState["phase"] {
    return this.#state.phase;
  }

  /** Closed by the caller, or given up. */
  get closed(): boolean {
    return this.#state.phase === "closed" || this.#state.phase === "failed";
  }

  /** Connects; the outcome comes through `onPhase`. */
  start(): void {
    this.#dispatch({ type: "start" });
  }

  /** Hangs up: closes the connection and DELETEs the session (keepalive). */
  close(): void {
    this.#dispatch({ type: "close" });
  }

  #dispatch(event: SupervisorEvent): void {
    const { state, effects } = superviseStep(this.#state, event, this.#config);
    this.#state = state;
    for (const effect of effects) this.#run(effect);
  }

  #run(effect: SupervisorEffect): void {
    switch (effect.type) {
      case "negotiate":
        void this.#negotiate();
        break;
      case "teardown":
        this.#teardown();
        break;
      case "set-timer": {
        clearTimeout(this.#timers.get(effect.timer));
        const timer = effect.timer;
        this.#timers.set(
          timer,
          setTimeout(() => {
            this.#timers.delete(timer);
            this.#dispatch({ type: "timer", timer });
          }, effect.ms),
        );
        break;
      }
      case "clear-timer":
        clearTimeout(this.#timers.get(effect.timer));
        this.#timers.delete(effect.timer);
        break;
      case "phase":
        this.options.onPhase(effect.phase, effect.error);
        break;
    }
  }

  #teardown(): void {
    this.#abort?.abort(hungUp());
    this.#abort = null;
    const pc = this.#pc;
    this.#pc = null;
    if (pc) {
      pc.onconnectionstatechange = null;
      pc.close();
    }
    if (this.#resource) this.#transport.remove(this.#resource);
    this.#resource = null;
  }

  async #negotiate(): Promise<void> {
    const transport = this.#transport;
    const abort = new AbortController();
    const timer = setTimeout(
      () => abort.abort(new OfferTimeoutError()),
      this.options.offerTimeoutMs ?? 10_000,
    );
    let pc: RTCPeerConnection | null = null;
    try {
      pc = transport.createPeer();
      this.#pc = pc;
      this.#abort = abort;
      this.options.setup(pc);
      const mine = pc;
      pc.onconnectionstatechange = () => {
        if (this.#pc === mine) this.#dispatch({ type: "connection", state: mine.connectionState });
      };
      await pc.setLocalDescription(await pc.createOffer());
      await transport.gather(pc, 2000);
      if (this.#pc !== pc) return;
      if (abort.signal.aborted) throw abort.signal.reason;
      const answer = await transport.post(
        this.options.url,
        pc.localDescription?.sdp ?? "",
        abort.signal,
      );
      if (this.#pc !== pc) {
        transport.remove(answer.resource);
        return;
      }
      this.#resource = answer.resource;
      await pc.setRemoteDescription({ type: "answer", sdp: answer.sdp });
      if (this.#pc !== pc) return;
      this.#dispatch({ type: "negotiated" });
      // The connection may have moved on while the answer was applied.
      if (pc.connectionState !== "new" && pc.connectionState !== "connecting") {
        this.#dispatch({ type: "connection", state: pc.connectionState });
      }
    } catch (caught) {
      if (pc === null || this.#pc !== pc) {
        if (pc === null)
          this.#dispatch({ type: "negotiation-failed", error: caught, transient: false });
        return;
      }
      const reason: unknown = abort.signal.reason;
      const error = reason instanceof OfferTimeoutError ? reason : caught;
      this.#dispatch({ type: "negotiation-failed", error, transient: isTransientFailure(error) });
    } finally {
      clearTimeout(timer);
      if (this.#abort === abort) this.#abort = null;
    }
  }
}
