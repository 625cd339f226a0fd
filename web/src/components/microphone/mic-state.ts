import type { MicStatus } from "../../media/use-whip-publisher";

/**
 * The one state of the viewer's microphone, shown alike by the standing bar and the
 * Microphone panel: the WHIP session (is audio leaving the browser?) and the stage's mute (do
 * the others hear it?) together.
 */
export type MicPhase =
  | "off"
  | "connecting"
  | "live"
  | "muted"
  | "mutedByHost"
  | "reconnecting"
  | "denied"
  | "error";

/** Joined or joining: the session exists, so mute and leave apply. */
export const micJoined = (status: MicStatus) =>
  status === "requesting" ||
  status === "connecting" ||
  status === "live" ||
  status === "reconnecting";

export function micPhase(status: MicStatus, muted: boolean, mutedByHost: boolean): MicPhase {
  switch (status) {
    case "idle":
      return "off";
    case "requesting":
    case "connecting":
      return "connecting";
    case "reconnecting":
      return "reconnecting";
    case "denied":
      return "denied";
    case "error":
      return "error";
    case "live":
      if (!muted) return "live";
      return mutedByHost ? "mutedByHost" : "muted";
  }
}

const phaseTexts: Record<Exclude<MicPhase, "error">, string> = {
  off: "Mic off",
  connecting: "Connecting…",
  live: "Live",
  muted: "Muted",
  mutedByHost: "Muted by a host",
  reconnecting: "Reconnecting…",
  denied: "Permission denied",
};

export function micPhaseText(phase: MicPhase, error: string | null): string {
  if (phase === "error") return error ?? "The microphone stopped.";
  return phaseTexts[phase];
}

/**
 * Whether a host muted the viewer, from one change of the stage's mute to the next: muted
 * while the microphone is on and not by the viewer's own hand is a host's doing; unmuted (or
 * the microphone off) forgets it.
 */
export function nextMutedByHost(
  previous: { muted: boolean; mutedByHost: boolean },
  next: { muted: boolean; joined: boolean; selfMuting: boolean },
): boolean {
  if (!next.muted || !next.joined) return false;
  if (!previous.muted) return !next.selfMuting;
  return previous.mutedByHost;
}
