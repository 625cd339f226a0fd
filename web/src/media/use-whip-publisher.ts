import { useCallback, useEffect, useRef, useState } from "react";
import { errorMessage, isApiError } from "../api/api-error";
import { whipUrl } from "../api/sdp";
import { MicrophoneError, openMicrophone, stopTracks } from "./microphone";
import { type PeerPhase, SignalledPeer } from "./signalled-peer";

/**
 * - `requesting`: asking for the microphone; `connecting`: WHIP offer/answer and ICE;
 * - `live`: the server receives the audio; `reconnecting`: the connection was lost and is
 *   being replaced (by itself, as long as the person is on the stage of a live Space);
 * - `denied`: the browser (or the person) refused the microphone; `error`: see `error`.
 */
export type MicStatus =
  | "idle"
  | "requesting"
  | "connecting"
  | "live"
  | "reconnecting"
  | "denied"
  | "error";

export interface WhipPublisher {
  status: MicStatus;
  error: string | null;
  /** The microphone while it is open (for the level meter). */
  stream: MediaStream | null;
  join: () => Promise<void>;
  leave: () => void;
}

export interface WhipPublisherOptions {
  /** On stage in a live Space: when it turns false, the session ends. */
  allowed: boolean;
  /** Muted (by the speaker or a host): the track sends silence. */
  muted: boolean;
}

interface Session {
  peer: SignalledPeer | null;
  stream: MediaStream | null;
}

/** The server's message, except for a server without WHIP at all. */
function whipMessage(error: unknown): string {
  if (isApiError(error, "AMPHI_NOT_FOUND")) {
    return "Speaking from the browser isn't available on this server yet.";
  }
  return errorMessage(error);
}

const phaseStatus: Partial<Record<PeerPhase, MicStatus>> = {
  connecting: "connecting",
  connected: "live",
  reconnecting: "reconnecting",
};

/**
 * Publishes the viewer's microphone to the Space over WHIP: getUserMedia, one send-only
 * transceiver, offer POSTed to `/whip/:spaceId`. Leaving (or losing the stage, or closing
 * the page) DELETEs the session and stops the microphone.
 */
export function useWhipPublisher(
  spaceId: string,
  { allowed, muted }: WhipPublisherOptions,
): WhipPublisher {
  const [status, setStatus] = useState<MicStatus>("idle");
  const [error, setError] = useState<string | null>(null);
  const [stream, setStream] = useState<MediaStream | null>(null);
  const session = useRef<Session | null>(null);
  const mutedRef = useRef(muted);
  mutedRef.current = muted;

  const stop = useCallback((next: MicStatus = "idle", message: string | null = null) => {
    const current = session.current;
    session.current = null;
    current?.peer?.close();
    stopTracks(current?.stream ?? null);
    setStream(null);
    setStatus(next);
    setError(message);
  }, []);

  const join = useCallback(async () => {
    if (session.current) return;
    const mine: Session = { peer: null, stream: null };
    session.current = mine;
    const current = () => session.current === mine;
    setStatus("requesting");
    setError(null);

    let media: MediaStream;
    try {
      media = await openMicrophone();
    } catch (e) {
      const denied = e instanceof MicrophoneError && e.denied;
      if (current()) stop(denied ? "denied" : "error", denied ? null : errorMessage(e));
      return;
    }
    if (!current()) {
      stopTracks(media);
      return;
    }
    const track = media.getAudioTracks()[0];
    if (!track) {
      stopTracks(media);
      stop("error", "The microphone gave no audio.");
      return;
    }
    mine.stream = media;
    track.enabled = !mutedRef.current;
    track.addEventListener("ended", () => {
      if (current()) stop("error", "Your microphone stopped. Check that it is still connected.");
    });
    setStream(media);

    // A lost connection (a media node that died, a network change) is replaced by a new
    // WHIP session on the same URL, with the same track: no new permission prompt, and the
    // mute state (track.enabled, and the server's own) carries over. Only a refusal (off the
    // stage, the Space over) ends it; leaving or losing `allowed` closes it.
    const peer = new SignalledPeer({
      url: whipUrl(spaceId),
      setup: (pc) => {
        pc.addTransceiver(track, { direction: "sendonly", streams: [media] });
      },
      onPhase: (phase, reason) => {
        if (!current()) return;
        if (phase === "failed") {
          stop("error", whipMessage(reason));
          return;
        }
        const next = phaseStatus[phase];
        if (next) setStatus(next);
      },
    });
    mine.peer = peer;
    peer.start();
  }, [spaceId, stop]);

  const leave = useCallback(() => stop(), [stop]);

  // Off the stage (moved to listener, removed, the Space ended): hang up.
  useEffect(() => {
    if (!allowed && session.current) stop();
  }, [allowed, stop]);

  // Another Space, leaving the page, or closing the tab: hang up.
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new Space hangs up the old one.
  useEffect(() => {
    const onPageHide = () => {
      if (session.current) stop();
    };
    window.addEventListener("pagehide", onPageHide);
    return () => {
      window.removeEventListener("pagehide", onPageHide);
      if (session.current) stop();
    };
  }, [stop, spaceId]);

  // Muted: no audio leaves the browser at all (the server drops it too).
  useEffect(() => {
    for (const track of stream?.getAudioTracks() ?? []) track.enabled = !muted;
  }, [stream, muted]);

  return { status, error, stream, join, leave };
}
