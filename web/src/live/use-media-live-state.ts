import { type RefObject, useCallback, useEffect, useRef, useState } from "react";
import { decodeLiveCue } from "../../../src/media/live-state/live-cue.ts";
import { emptyMediaLiveState, LiveCueTimeline, type MediaLiveState } from "./live-cue-timeline";

export interface MediaLive extends MediaLiveState {
  /** The media is playing and carries live state: what the page should show. */
  active: boolean;
}

export interface MediaLiveStateOptions {
  /** Reactions whose moment just played, per emoji (the floating emojis). */
  onReactions?: (counts: Record<string, number>) => void;
}

/** How often the page catches up with the play position: the most a ring can lag the voice. */
const stepMs = 50;
/** A jump longer than this (a seek, a catch-up to live) does not replay the reactions skipped. */
const maxReactionSpan = 2;
/**
 * Audio that has not moved for this long (a stream cut at its end, a node taking over) carries
 * no live state: the page reads the document instead (the Space may have ended meanwhile).
 */
const stalledAfterMs = 2000;

const sameSpeaking = (a: Record<string, number>, b: Record<string, number>) => {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
};

const same = (a: MediaLive, b: MediaLive) =>
  a.active === b.active &&
  a.stage === b.stage &&
  a.listeners === b.listeners &&
  a.ended === b.ended &&
  sameSpeaking(a.speaking, b.speaking);

const inactive: MediaLive = { ...emptyMediaLiveState, active: false };

/**
 * The live state the media carries, shown in step with what the listener hears: cues are
 * filed on the media timeline as the parts arrive (ahead of playback), and every 50 ms the
 * state at the element's play position is what the page shows. Hand `onLiveCue` to the
 * player of `audioRef`; it works the same for a live stream and a recording.
 */
export function useMediaLiveState(
  audioRef: RefObject<HTMLMediaElement | null>,
  /** The stream playing (its URL): a new one starts a new timeline. */
  stream: string | null,
  options: MediaLiveStateOptions = {},
): MediaLive & { onLiveCue: (time: number, text: string) => void } {
  const timeline = useRef(new LiveCueTimeline());
  const [state, setState] = useState<MediaLive>(inactive);
  const onReactions = useRef(options.onReactions);
  onReactions.current = options.onReactions;

  const onLiveCue = useCallback((time: number, text: string) => {
    const cue = decodeLiveCue(text);
    if (cue) timeline.current.add(time, cue);
  }, []);

  // A new stream, a new timeline (its times are not the last one's).
  const playing = useRef(stream);
  if (playing.current !== stream) {
    playing.current = stream;
    timeline.current.clear();
  }

  useEffect(() => {
    let last: number | null = null;
    let steps = 0;
    let position = Number.NaN;
    let movedAt = performance.now();
    const timer = setInterval(() => {
      const audio = audioRef.current;
      const cues = timeline.current;
      const now = performance.now();
      if (audio && audio.currentTime !== position) {
        position = audio.currentTime;
        movedAt = now;
      }
      const stalled = audio !== null && !audio.ended && now - movedAt > stalledAfterMs;
      if (!audio || (!audio.ended && (audio.paused || audio.readyState < 2)) || stalled) {
        last = null;
        setState((s) => (s.active ? inactive : s));
        return;
      }
      // A stream played to its end shows its last state (its end cue is near the last frame).
      const t = audio.ended ? Number.POSITIVE_INFINITY : audio.currentTime;
      if (last !== null && t > last && t - last <= maxReactionSpan) {
        const reactions = cues.reactionsBetween(last, t);
        if (Object.keys(reactions).length > 0) onReactions.current?.(reactions);
      }
      last = t;
      const next: MediaLive = { ...cues.stateAt(t), active: cues.has(t) };
      setState((s) => (same(s, next) ? s : next));
      if (++steps % 100 === 0 && Number.isFinite(t)) cues.prune(t);
    }, stepMs);
    return () => clearInterval(timer);
  }, [audioRef]);

  return { ...state, onLiveCue };
}
