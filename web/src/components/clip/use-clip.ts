import { useCallback, useEffect, useState } from "react";
import { type ApiError, isApiError } from "../../api/api-error";
import { mediaApi } from "../../api/media";
import type { Clip } from "../../api/types";

export interface ClipState {
  clip: Clip | null;
  notFound: boolean;
  error: ApiError | null;
  reload: () => void;
}

/** One clip (`GET /api/clips/:id`). */
export function useClip(clipId: string): ClipState {
  const [clip, setClip] = useState<Clip | null>(null);
  const [notFound, setNotFound] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `tick` asks for a reload.
  useEffect(() => {
    const controller = new AbortController();
    setError(null);
    setNotFound(false);
    mediaApi
      .clip(clipId, { signal: controller.signal })
      .then((answer) => setClip(answer.clip))
      .catch((e: unknown) => {
        if (controller.signal.aborted || !isApiError(e)) return;
        if (e.status === 404 || e.status === 400) setNotFound(true);
        else setError(e);
      });
    return () => controller.abort();
  }, [clipId, tick]);

  return { clip: clip?.id === clipId ? clip : null, notFound, error, reload };
}
