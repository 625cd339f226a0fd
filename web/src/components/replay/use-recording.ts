import { useCallback, useEffect, useState } from "react";
import { isApiError } from "../../api/api-error";
import { mediaApi } from "../../api/media";
import type { Recording, SpaceDocument } from "../../api/types";

export interface RecordingState {
  /** `missing`: no recording (not recorded, or none kept); `deleted`: the host deleted it. */
  status: "idle" | "loading" | "ready" | "missing" | "deleted" | "failed";
  recording: Recording | null;
  error: unknown;
  reload: () => void;
}

/** A recording may take a moment to be finished after the Space ends: ask again meanwhile. */
const finishingWindowMs = 2 * 60_000;
const retryMs = 5000;

/** Until when a 404 means "not finished yet" rather than "no recording". */
function retryUntil(space: SpaceDocument): number {
  if (!space.recording || !space.endedAt) return 0;
  return new Date(space.endedAt).getTime() + finishingWindowMs;
}

/** The recording of an ended Space (`GET /api/spaces/:id/recording`). */
export function useRecording(space: SpaceDocument): RecordingState {
  const enabled = space.state === "ended";
  const [recording, setRecording] = useState<Recording | null>(null);
  const [status, setStatus] = useState<RecordingState["status"]>("idle");
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  const deadline = enabled ? retryUntil(space) : 0;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `tick` asks for a reload.
  useEffect(() => {
    if (!enabled) {
      setStatus("idle");
      setRecording(null);
      return;
    }
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    setStatus((s) => (s === "ready" ? s : "loading"));
    const load = () => {
      mediaApi
        .recording(space.id, { signal: controller.signal })
        .then((answer) => {
          setRecording(answer.recording);
          setStatus("ready");
        })
        .catch((e: unknown) => {
          if (controller.signal.aborted) return;
          if (isApiError(e) && e.status === 410) {
            setRecording(null);
            setStatus("deleted");
            return;
          }
          if (isApiError(e) && e.status === 404) {
            if (Date.now() < deadline) timer = setTimeout(load, retryMs);
            else setStatus("missing");
            return;
          }
          setError(e);
          setStatus("failed");
        });
    };
    load();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [enabled, space.id, deadline, tick]);

  return { status, recording, error, reload };
}
