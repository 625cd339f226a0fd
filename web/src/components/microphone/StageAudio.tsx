import { useEffect, useRef } from "react";
import type { StageTrack } from "../../media/use-stage-audio";

function StageVoice({ track, volume }: { track: StageTrack; volume: number }) {
  const ref = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    const audio = ref.current;
    if (!audio) return;
    audio.srcObject = track.stream;
    audio.play().catch(() => {
      // Autoplay refused: the speaker clicked "Join with microphone", so this is rare.
    });
    return () => {
      audio.srcObject = null;
    };
  }, [track.stream]);
  useEffect(() => {
    if (ref.current) ref.current.volume = volume;
  }, [volume]);
  // biome-ignore lint/a11y/useMediaCaption: live speech has no caption track to offer.
  return <audio ref={ref} autoPlay hidden data-testid="stage-audio" data-track={track.id} />;
}

/** The other speakers, heard directly while on the mic: one hidden element per voice. */
export function StageAudio({ tracks, volume }: { tracks: StageTrack[]; volume: number }) {
  if (tracks.length === 0) return null;
  return (
    <div className="stage-audio" aria-hidden="true">
      {tracks.map((track) => (
        <StageVoice key={track.id} track={track} volume={volume} />
      ))}
    </div>
  );
}
