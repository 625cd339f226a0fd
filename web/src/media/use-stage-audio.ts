import { useEffect, useState } from "react";
import { whepUrl } from "../api/sdp";
import { SignalledPeer } from "./signalled-peer";

/** One incoming voice (a transceiver of the WHEP session). */
export interface StageTrack {
  id: string;
  stream: MediaStream;
}

/** Receive slots offered to the server: the most voices a speaker hears at once. */
export const stageSlots = 12;

/**
 * While a speaker's mic is live, receives the other speakers directly over WHEP (`/whep/:id`,
 * 12 receive-only audio transceivers), so the stage talks without the HLS delay. A lost
 * connection is replaced by itself; a refusal (the endpoint missing, not on stage) leaves the
 * list empty: the mic works without it.
 */
export function useStageAudio(spaceId: string, active: boolean): StageTrack[] {
  const [tracks, setTracks] = useState<StageTrack[]>([]);

  useEffect(() => {
    if (!active) return;
    // Lost connections are replaced like the microphone's (same URL, new session), for as
    // long as the mic is on; only a refusal stops it.
    const peer = new SignalledPeer({
      url: whepUrl(spaceId),
      setup: (pc) => {
        setTracks([]);
        for (let i = 0; i < stageSlots; i++) pc.addTransceiver("audio", { direction: "recvonly" });
        pc.ontrack = (event) => {
          const id = event.transceiver.mid ?? event.track.id;
          const stream = new MediaStream([event.track]);
          setTracks((prev) => [...prev.filter((t) => t.id !== id), { id, stream }]);
        };
      },
      onPhase: (phase) => {
        if (phase === "failed") setTracks([]);
      },
    });
    // Not deployed (404) or refused ends in "failed": nothing to play, nothing to tell.
    peer.start();
    // Closing the tab: DELETE now (keepalive), there will be no re-render to do it.
    const onPageHide = () => peer.close();
    window.addEventListener("pagehide", onPageHide);
    return () => {
      window.removeEventListener("pagehide", onPageHide);
      peer.close();
      setTracks([]);
    };
  }, [spaceId, active]);

  return tracks;
}
