import type { AdmissionState } from "../../admission/admission-state";
import type { SpaceDocument } from "../../api/types";
import { formatDateTime } from "../../lib/format";
import type { HlsPlayer } from "../../media/use-hls-player";

export interface LiveListening {
  /** The listener asked to hear the Space (and has not paused). */
  listening: boolean;
  /** They pressed Listen at least once. */
  started: boolean;
  /** Their own microphone is live: the stream is paused to avoid an echo. */
  micLive: boolean;
  /** The element is paused (before the stream starts, or blocked). */
  paused: boolean;
  /** Waiting for data. */
  waiting: boolean;
  /** Where they stand at the admission gate. */
  admission: AdmissionState["status"];
}

/** The status line while the admission gate decides (the panel below says the rest). */
const admissionText: Partial<Record<AdmissionState["status"], string>> = {
  idle: "Connecting…",
  requesting: "Getting you in…",
  queued: "You're in line",
  challenge: "Checking your browser…",
  retrying: "Waiting for a free moment…",
  login: "Log in to listen",
  "not-open": "The line isn't open yet",
  ended: "This Space has ended",
  failed: "We couldn't get you in",
};

/**
 * On the microphone, the stage is heard live over WebRTC; the program (about 2 s behind)
 * would double every voice and send the speaker's own back as an echo.
 */
export const micLiveText =
  "Off while you're on the microphone: you hear the stage live, with no delay and no echo.";

/** How far behind the speakers the listener hears them, in words ("2.1 s behind live"). */
export function latencyText(seconds: number): string {
  return `${Math.max(0, seconds).toFixed(1)} s behind live`;
}

/** The one line under the live player saying what is going on. */
export function liveStatusText(space: SpaceDocument, player: HlsPlayer, l: LiveListening): string {
  switch (space.state) {
    case "ended":
      return "This Space has ended";
    case "cancelled":
      return "This Space was cancelled";
    case "scheduled":
      if (!l.listening) {
        return space.scheduledFor
          ? `Starts at ${formatDateTime(space.scheduledFor)}`
          : "Starts when the host is ready";
      }
  }
  if (!l.listening) {
    if (l.micLive) return micLiveText;
    return l.started ? "Paused" : "Press Listen to tune in";
  }
  if (l.admission !== "admitted") return admissionText[l.admission] ?? "Connecting…";
  switch (player.phase) {
    case "failed":
      return player.error ?? "The audio stopped.";
    case "reconnecting":
      return "Reconnecting…";
    case "idle":
    case "loading":
      return player.blocked ? "Press Listen to start the audio" : "Connecting…";
  }
  if (player.blocked && l.paused) return "Press Listen to start the audio";
  if (l.waiting) return "Buffering…";
  return "You're listening live";
}
