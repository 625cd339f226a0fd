import { type RefObject, useCallback, useEffect, useState } from "react";

const storageKey = "amphi:volume";

function storedVolume(): number {
  try {
    const value = Number(localStorage.getItem(storageKey) ?? "1");
    return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 1;
  } catch {
    return 1;
  }
}

/** The listener's volume, 0..1, remembered across visits. */
export function useVolume(): [number, (volume: number) => void] {
  const [volume, setVolumeState] = useState(storedVolume);
  const setVolume = useCallback((next: number) => {
    const clamped = Math.min(1, Math.max(0, next));
    setVolumeState(clamped);
    try {
      localStorage.setItem(storageKey, String(clamped));
    } catch {
      // Private mode: the volume lasts for this page only.
    }
  }, []);
  return [volume, setVolume];
}

/** Keeps an element's volume at `volume`. */
export function useElementVolume(ref: RefObject<HTMLMediaElement | null>, volume: number): void {
  useEffect(() => {
    if (ref.current) ref.current.volume = volume;
  }, [ref, volume]);
}
