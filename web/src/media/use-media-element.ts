import { type RefObject, useEffect, useState } from "react";

export interface MediaElementState {
  paused: boolean;
  /** Stalled waiting for data. */
  waiting: boolean;
  ended: boolean;
  currentTime: number;
  /** NaN until known; Infinity for a live stream. */
  duration: number;
}

const initial: MediaElementState = {
  paused: true,
  waiting: false,
  ended: false,
  currentTime: 0,
  duration: Number.NaN,
};

const events = [
  "play",
  "pause",
  "playing",
  "waiting",
  "ended",
  "timeupdate",
  "durationchange",
  "loadedmetadata",
  "seeked",
  "emptied",
] as const;

/** The playback state of an <audio> element, following its events. */
export function useMediaElement(ref: RefObject<HTMLMediaElement | null>): MediaElementState {
  const [state, setState] = useState(initial);
  useEffect(() => {
    const media = ref.current;
    if (!media) return;
    const read = (event?: Event) => {
      setState((prev) => {
        const next: MediaElementState = {
          paused: media.paused,
          waiting:
            event?.type === "waiting" ? true : event?.type === "playing" ? false : prev.waiting,
          ended: media.ended,
          currentTime: media.currentTime,
          duration: media.duration,
        };
        if (media.paused || event?.type === "emptied") next.waiting = false;
        const same = (Object.keys(next) as (keyof MediaElementState)[]).every((key) =>
          Object.is(next[key], prev[key]),
        );
        return same ? prev : next;
      });
    };
    read();
    for (const type of events) media.addEventListener(type, read);
    return () => {
      for (const type of events) media.removeEventListener(type, read);
    };
  }, [ref]);
  return state;
}
