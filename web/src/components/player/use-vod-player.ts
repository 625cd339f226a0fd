import { useCallback, useEffect, useRef } from "react";
import { type MediaLive, useMediaLiveState } from "../../live/use-media-live-state";
import { playAudio } from "../../media/play";
import { useHlsPlayer } from "../../media/use-hls-player";
import { useMediaElement } from "../../media/use-media-element";
import { useElementVolume, useVolume } from "../../media/use-volume";

export interface VodLiveStateOptions {
  /** The live state recorded with the audio (who spoke, reactions), as it plays. */
  onMediaLive?: (state: MediaLive) => void;
  onMediaReactions?: (counts: Record<string, number>) => void;
}

/**
 * A recording (or clip) to play from an HLS VOD playlist, with its position and controls,
 * and the live state its parts recorded, at the moment it plays.
 */
export function useVodPlayer(
  url: string,
  knownDuration: number,
  options: VodLiveStateOptions = {},
) {
  const audioRef = useRef<HTMLAudioElement>(null);
  const mediaLive = useMediaLiveState(audioRef, url, { onReactions: options.onMediaReactions });
  const player = useHlsPlayer(audioRef, url, { onLiveCue: mediaLive.onLiveCue });
  const onMediaLive = useRef(options.onMediaLive);
  onMediaLive.current = options.onMediaLive;
  const { active, speaking, stage, listeners, ended } = mediaLive;
  useEffect(() => {
    onMediaLive.current?.({ active, speaking, stage, listeners, ended });
  }, [active, speaking, stage, listeners, ended]);
  const media = useMediaElement(audioRef);
  const [volume, setVolume] = useVolume();
  useElementVolume(audioRef, volume);
  const duration =
    Number.isFinite(media.duration) && media.duration > 0 ? media.duration : knownDuration;

  const toggle = useCallback(() => {
    const audio = audioRef.current;
    if (!audio) return;
    if (!audio.paused) {
      audio.pause();
      return;
    }
    if (audio.ended) audio.currentTime = 0;
    playAudio(audio);
  }, []);

  const seek = useCallback((seconds: number) => {
    const audio = audioRef.current;
    if (audio) audio.currentTime = Math.max(0, seconds);
  }, []);

  return { audioRef, player, media, duration, volume, setVolume, toggle, seek };
}

export type VodPlayer = ReturnType<typeof useVodPlayer>;
