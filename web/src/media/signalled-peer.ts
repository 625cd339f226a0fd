import { isApiError } from "../api/api-error";
import { deleteSdpSession, postSdpOffer } from "../api/sdp";
import { backoffDelay } from "../live/backoff";
import { waitForIceGathering } from "./ice";

/** `connecting` until media flows; `failed` carries the reason; `closed` once let go. */
export type PeerPhase = "connecting" | "connected" | "reconnecting" | "failed" | "closed";

export interface SignalledPeerOptions {
  /** The WHIP or WHEP endpoint. */
  url: string;
  /** Adds the transceivers (and handlers) to a fresh connection; again on every reconnect. */
  setup: (pc: RTCPeerConnection) => void;
  onPhase: (phase: PeerPhase, error?: unknown) => void;
  /** Reconnects after the connection fails, before giving up. */
  maxRetries?: number;
}

/** How long a `disconnected` connection may take to come back before it is replaced. */
const disconnectGraceMs = 4000;

/** A refusal (not on stage, session exists...) that trying again will not fix. */
const refused = (error: unknown) =>
  isApiError(error) && error.status >= 400 && error.status < 500 && error.status !== 429;

/**
 * One WebRTC connection set up over HTTP (WHIP, RFC 9725, or WHEP): offer, ICE gathering,
 * POST, answer. When the connection fails it is replaced (with backoff) by a new session;
 * the old session's resource is DELETEd.
 */
export class SignalledPeer {
  #pc: RTCPeerConnection | null = null;
  #resource: string | null = null;
  #abort: AbortController | null = null;
  #closed = false;
  #retries = 0;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #graceTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: SignalledPeerOptions) {}

  get closed(): boolean {
    return this.#closed;
  }

  /** Connects. Rejects when the first offer fails; the caller then closes. */
  async start(): Promise<void> {
    this.options.onPhase("connecting");
    await this.#negotiate();
  }

  /** Hangs up: closes the connection and DELETEs the session (keepalive). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    clearTimeout(this.#graceTimer);
    this.#teardown();
    this.options.onPhase("closed");
  }

  #teardown(): void {
    this.#abort?.abort();
    this.#abort = null;
    const pc = this.#pc;
    this.#pc = null;
    if (pc) {
      pc.onconnectionstatechange = null;
      pc.close();
    }
    if (this.#resource) deleteSdpSession(this.#resource);
    this.#resource = null;
  }

  async #negotiate(): Promise<void> {
    const pc = new RTCPeerConnection();
    this.#pc = pc;
    this.options.setup(pc);
    pc.onconnectionstatechange = () => this.#onStateChange(pc);
    await pc.setLocalDescription(await pc.createOffer());
    await waitForIceGathering(pc, 2000);
    if (this.#pc !== pc) throw new DOMException("Hung up", "AbortError");
    const abort = new AbortController();
    this.#abort = abort;
    const answer = await postSdpOffer(
      this.options.url,
      pc.localDescription?.sdp ?? "",
      abort.signal,
    );
    if (this.#pc !== pc) {
      deleteSdpSession(answer.resource);
      throw new DOMException("Hung up", "AbortError");
    }
    this.#abort = null;
    this.#resource = answer.resource;
    await pc.setRemoteDescription({ type: "answer", sdp: answer.sdp });
  }

  #onStateChange(pc: RTCPeerConnection): void {
    if (pc !== this.#pc || this.#closed) return;
    switch (pc.connectionState) {
      case "connected":
        clearTimeout(this.#graceTimer);
        this.#retries = 0;
        this.options.onPhase("connected");
        break;
      case "disconnected":
        this.options.onPhase("reconnecting");
        clearTimeout(this.#graceTimer);
        this.#graceTimer = setTimeout(() => this.#reconnect(), disconnectGraceMs);
        break;
      case "failed":
        this.#reconnect();
        break;
    }
  }

  #reconnect(): void {
    if (this.#closed) return;
    clearTimeout(this.#graceTimer);
    this.#teardown();
    if (this.#retries >= (this.options.maxRetries ?? 5)) {
      this.#fail(new Error("Lost the connection to the server."));
      return;
    }
    this.options.onPhase("reconnecting");
    this.#retryTimer = setTimeout(
      () => {
        this.#negotiate().catch((error: unknown) => {
          if (this.#closed || (error instanceof DOMException && error.name === "AbortError"))
            return;
          if (refused(error)) this.#fail(error);
          else this.#reconnect();
        });
      },
      backoffDelay(this.#retries++),
    );
  }

  #fail(error: unknown): void {
    this.#teardown();
    this.#closed = true;
    this.options.onPhase("failed", error);
  }
}
