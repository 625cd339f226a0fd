/**
 * Starts playback; `onBlocked` when the browser wants a click first (autoplay policy).
 * Other refusals (a source swapped mid-start) are left to the player's own events.
 */
export function playAudio(audio: HTMLMediaElement, onBlocked?: () => void): void {
  audio.play().catch((error: unknown) => {
    if (error instanceof DOMException && error.name === "NotAllowedError") onBlocked?.();
  });
}
