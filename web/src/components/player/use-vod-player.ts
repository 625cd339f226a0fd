import { useCallback, useRef } from "react";
import { playAudio } from "../../media/play";
import { useHlsPlayer } from "../../media/use-hls-player";
import { useMediaElement } from "../../media/use-media-element";
import { useElementVolume, useVolume } from "../../media/use-volume";

/** A recording (or clip) to play from an HLS VOD playlist, with its position and controls. */
export function useVodPlayer(url: string, knownDuration: number) {
  const audioRef = useRef<HTMLAudioElement>(null);
  const player = useHlsPlayer(audioRef, url);
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
