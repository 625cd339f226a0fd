import { useCallback, useEffect, useRef, useState } from "react";
import { type MicStatus, useWhipPublisher } from "../../media/use-whip-publisher";
import type { SpaceActions } from "../space/use-space-actions";
import { type MicPhase, micJoined, micPhase, micPhaseText, nextMutedByHost } from "./mic-state";

export interface Microphone {
  phase: MicPhase;
  /** The phase in words ("Live", "Muted by a host"…), the same wherever it is shown. */
  text: string;
  status: MicStatus;
  /** The microphone while it is open (for the level meter). */
  stream: MediaStream | null;
  /** A mute or unmute is on its way to the server. */
  busy: boolean;
  /** Opens the microphone and goes on air (unmuted once the audio flows). */
  join: () => void;
  mute: () => void;
  /** Unmutes; with the microphone off, opens it first. */
  unmute: () => void;
  /** Closes the microphone and mutes on the stage, so nobody sees a live mic that sends nothing. */
  leave: () => void;
}

/**
 * The viewer's microphone, one state for the whole page: the WHIP session and the stage's
 * mute, changed by the same four actions from the standing bar or the Microphone panel.
 */
export function useMicrophone(
  spaceId: string,
  {
    allowed,
    muted,
    handle,
    actions,
  }: { allowed: boolean; muted: boolean; handle: string | null; actions: SpaceActions },
): Microphone {
  const publisher = useWhipPublisher(spaceId, { allowed, muted });
  const { status } = publisher;
  const joined = micJoined(status);
  /** Join asked to go on air: unmute once the audio flows. */
  const goOnAir = useRef(false);
  /** The viewer pressed Mute (or left): the next mute is theirs, not a host's. */
  const selfMuting = useRef(false);
  const previous = useRef({ muted, mutedByHost: false });
  const [mutedByHost, setMutedByHost] = useState(false);
  const { mute: muteOn, unmute: unmuteOn, busy: actionBusy } = actions;

  useEffect(() => {
    const byHost = nextMutedByHost(previous.current, {
      muted,
      joined,
      selfMuting: selfMuting.current,
    });
    if (muted) selfMuting.current = false;
    previous.current = { muted, mutedByHost: byHost };
    setMutedByHost(byHost);
  }, [muted, joined]);

  useEffect(() => {
    if (status !== "live" || !goOnAir.current) return;
    goOnAir.current = false;
    if (muted && handle) void unmuteOn(handle);
  }, [status, muted, handle, unmuteOn]);

  const { join: openMic, leave: closeMic } = publisher;
  const join = useCallback(() => {
    goOnAir.current = true;
    void openMic();
  }, [openMic]);
  const mute = useCallback(() => {
    if (!handle) return;
    goOnAir.current = false;
    selfMuting.current = true;
    void muteOn(handle);
  }, [handle, muteOn]);
  const unmute = useCallback(() => {
    if (!handle) return;
    if (!joined) join();
    else void unmuteOn(handle);
  }, [handle, joined, join, unmuteOn]);
  const leave = useCallback(() => {
    goOnAir.current = false;
    closeMic();
    if (handle && !muted) {
      selfMuting.current = true;
      void muteOn(handle);
    }
  }, [closeMic, handle, muted, muteOn]);

  const phase = micPhase(status, muted, mutedByHost);
  return {
    phase,
    text: micPhaseText(phase, publisher.error),
    status,
    stream: publisher.stream,
    busy: actionBusy === `mute:${handle}` || actionBusy === `unmute:${handle}`,
    join,
    mute,
    unmute,
    leave,
  };
}
