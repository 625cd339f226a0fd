import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiError, networkErrorCode } from "../api/api-error";
import type { SdpAnswer } from "../api/sdp";
import type { PeerPhase } from "./peer-supervisor";
import { type PeerTransport, SignalledPeer } from "./signalled-peer";

/** Just enough of an RTCPeerConnection for the adapter. */
class FakePeer {
  connectionState: RTCPeerConnectionState = "new";
  onconnectionstatechange: (() => void) | null = null;
  localDescription: { sdp: string } | null = null;
  remote: string | null = null;
  closed = false;
  createOffer = async () => ({ type: "offer", sdp: "v=0 offer" });
  setLocalDescription = async (d: { sdp: string }) => {
    this.localDescription = d;
  };
  setRemoteDescription = async (d: { sdp: string }) => {
    this.remote = d.sdp;
    this.connectionState = "connecting";
  };
  close() {
    this.closed = true;
    this.connectionState = "closed";
  }
  become(state: RTCPeerConnectionState) {
    this.connectionState = state;
    this.onconnectionstatechange?.();
  }
}

type Post = (url: string, offer: string, signal: AbortSignal) => Promise<SdpAnswer>;

function harness(post: Post, options: { maxRetries?: number } = {}) {
  const peers: FakePeer[] = [];
  const removed: string[] = [];
  const phases: PeerPhase[] = [];
  const errors: unknown[] = [];
  const setups: FakePeer[] = [];
  const transport: PeerTransport = {
    createPeer: () => {
      const pc = new FakePeer();
      peers.push(pc);
      return pc as unknown as RTCPeerConnection;
    },
    gather: async () => {},
    post,
    remove: (resource) => removed.push(resource),
  };
  const peer = new SignalledPeer({
    url: "/whip/space1",
    setup: (pc) => setups.push(pc as unknown as FakePeer),
    onPhase: (phase, error) => {
      phases.push(phase);
      if (error) errors.push(error);
    },
    transport,
    random: () => 0.999999,
    ...options,
  });
  const last = () => peers.at(-1) as FakePeer;
  return { peer, peers, removed, phases, errors, setups, last };
}

let sessions = 0;
const answer = async (): Promise<SdpAnswer> => ({
  sdp: "v=0 answer",
  resource: `http://amphi.test/whip/space1/sessions/s${++sessions}`,
});
const down = () => Promise.reject(new ApiError(0, networkErrorCode, "Can't reach Amphi."));

beforeEach(() => {
  vi.useFakeTimers();
  sessions = 0;
});
afterEach(() => {
  vi.useRealTimers();
});

describe("SignalledPeer (WHIP/WHEP over a media node that dies)", () => {
  it("re-POSTs to the same URL when the connection fails, with the same setup, and deletes the old session", async () => {
    const post = vi.fn<Post>(answer);
    const h = harness(post);
    h.peer.start();
    await vi.advanceTimersByTimeAsync(0);
    h.last().become("connected");
    expect(h.phases).toEqual(["connecting", "connected"]);

    h.last().become("failed");
    expect(h.phases.at(-1)).toBe("reconnecting");
    expect(h.peers[0]?.closed).toBe(true);
    expect(h.removed).toEqual(["http://amphi.test/whip/space1/sessions/s1"]);
    await vi.advanceTimersByTimeAsync(249);
    expect(post).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(post).toHaveBeenCalledTimes(2);
    expect(post.mock.calls[1]?.[0]).toBe("/whip/space1");
    expect(h.setups).toHaveLength(2);
    h.last().become("connected");
    expect(h.phases).toEqual(["connecting", "connected", "reconnecting", "connected"]);
    h.peer.close();
  });

  it("waits out a short disconnection, and replaces a longer one after the grace", async () => {
    const post = vi.fn<Post>(answer);
    const h = harness(post);
    h.peer.start();
    await vi.advanceTimersByTimeAsync(0);
    h.last().become("connected");
    h.last().become("disconnected");
    await vi.advanceTimersByTimeAsync(1500);
    h.last().become("connected");
    await vi.advanceTimersByTimeAsync(10_000);
    expect(post).toHaveBeenCalledTimes(1);

    h.last().become("disconnected");
    await vi.advanceTimersByTimeAsync(2000 + 250);
    expect(post).toHaveBeenCalledTimes(2);
    h.peer.close();
  });

  it("keeps trying while the server is down, with growing waits, until it answers again", async () => {
    let serverUp = true;
    const post = vi.fn<Post>(() => (serverUp ? answer() : down()));
    const h = harness(post);
    h.peer.start();
    await vi.advanceTimersByTimeAsync(0);
    h.last().become("connected");

    serverUp = false;
    h.last().become("failed");
    // 250 + 500 + 1000 + 2000 + 4000 + 4000 ms: six more offers, all refused at the door.
    await vi.advanceTimersByTimeAsync(11_750);
    expect(post).toHaveBeenCalledTimes(7);
    expect(h.phases.filter((p) => p === "reconnecting")).toHaveLength(1);

    serverUp = true;
    await vi.advanceTimersByTimeAsync(4000);
    expect(post).toHaveBeenCalledTimes(8);
    h.last().become("connected");
    expect(h.phases.at(-1)).toBe("connected");
    expect(h.errors).toEqual([]);
    h.peer.close();
  });

  it("gives up when the server refuses (off the stage), with the server's reason", async () => {
    const forbidden = new ApiError(403, "AMPHI_FORBIDDEN", "Only people on stage...");
    let refuse = false;
    const post = vi.fn<Post>(() => (refuse ? Promise.reject(forbidden) : answer()));
    const h = harness(post);
    h.peer.start();
    await vi.advanceTimersByTimeAsync(0);
    h.last().become("connected");
    refuse = true;
    h.last().become("failed");
    await vi.advanceTimersByTimeAsync(60_000);
    expect(post).toHaveBeenCalledTimes(2);
    expect(h.phases.at(-1)).toBe("failed");
    expect(h.errors).toEqual([forbidden]);
    expect(h.peer.closed).toBe(true);
  });

  it("replaces an offer the server never answers", async () => {
    let hang = true;
    const post = vi.fn<Post>((_url, _offer, signal) =>
      hang
        ? new Promise((_resolve, reject) =>
            signal.addEventListener("abort", () => reject(signal.reason)),
          )
        : answer(),
    );
    const h = harness(post);
    h.peer.start();
    hang = true;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(post).toHaveBeenCalledTimes(1);
    hang = false;
    await vi.advanceTimersByTimeAsync(250);
    expect(post).toHaveBeenCalledTimes(2);
    h.last().become("connected");
    expect(h.phases).toEqual(["connecting", "connected"]);
    h.peer.close();
  });

  it("stops for good when closed while waiting to retry", async () => {
    const post = vi.fn<Post>(answer);
    const h = harness(post);
    h.peer.start();
    await vi.advanceTimersByTimeAsync(0);
    h.last().become("connected");
    h.last().become("failed");
    h.peer.close();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(post).toHaveBeenCalledTimes(1);
    expect(h.phases.at(-1)).toBe("closed");
  });

  it("deletes a session whose answer arrives after the hang-up", async () => {
    let release: (a: SdpAnswer) => void = () => {};
    const post = vi.fn<Post>(() => new Promise((resolve) => (release = resolve)));
    const h = harness(post);
    h.peer.start();
    await vi.advanceTimersByTimeAsync(0);
    h.peer.close();
    release({ sdp: "v=0", resource: "http://amphi.test/whip/space1/sessions/late" });
    await vi.advanceTimersByTimeAsync(0);
    expect(h.removed).toContain("http://amphi.test/whip/space1/sessions/late");
  });
});
