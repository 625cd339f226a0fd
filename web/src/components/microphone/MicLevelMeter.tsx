import { useRef } from "react";
import { useMicLevel } from "../../media/use-mic-level";

/**
 * How loud the microphone is: a bar to see, a <meter> for screen readers, and `data-level`
 * (0..1) for tests and tools.
 */
export function MicLevelMeter({ stream }: { stream: MediaStream | null }) {
  const levelRef = useRef<HTMLDivElement>(null);
  useMicLevel(stream, levelRef);
  return (
    <div ref={levelRef} className="mic-level" data-testid="mic-level" data-level="0">
      <div className="mic-level-bar" aria-hidden="true" />
      <meter className="visually-hidden" min={0} max={1} value={0} aria-label="Microphone level" />
    </div>
  );
}
