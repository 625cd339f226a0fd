/** The speaker's microphone, cleaned up for speech. */
export const micConstraints: MediaStreamConstraints = {
  audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
  video: false,
};

export class MicrophoneError extends Error {
  readonly denied: boolean;
  constructor(message: string, denied = false) {
    super(message);
    this.name = "MicrophoneError";
    this.denied = denied;
  }
}

const reasons: Record<string, string> = {
  NotFoundError: "No microphone was found. Plug one in and try again.",
  OverconstrainedError: "No microphone was found. Plug one in and try again.",
  NotReadableError: "Your microphone is busy or unavailable. Close other apps using it and retry.",
  AbortError: "Your microphone is busy or unavailable. Close other apps using it and retry.",
};

/** Asks for the microphone; failures become a MicrophoneError with words for people. */
export async function openMicrophone(): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getUserMedia) {
    throw new MicrophoneError(
      "This page can't use a microphone: it needs https and a recent browser.",
    );
  }
  try {
    return await navigator.mediaDevices.getUserMedia(micConstraints);
  } catch (error) {
    const name = error instanceof DOMException ? error.name : "";
    if (name === "NotAllowedError" || name === "SecurityError") {
      throw new MicrophoneError("Permission denied", true);
    }
    throw new MicrophoneError(reasons[name] ?? "The microphone could not be opened.");
  }
}

export function stopTracks(stream: MediaStream | null): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}
