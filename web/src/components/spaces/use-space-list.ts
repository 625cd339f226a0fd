import { useCallback, useEffect, useState } from "react";
import type { ApiError } from "../../api/api-error";
import { isApiError } from "../../api/api-error";
import { spacesApi } from "../../api/spaces";
import type { ListableState, SpaceDocument } from "../../api/types";

export interface SpaceListState {
  spaces: SpaceDocument[] | null;
  error: ApiError | null;
  reload: () => void;
}

/** A list of Spaces (live, scheduled...), optionally by one host, refreshed every `refreshMs`. */
export function useSpaceList(state: ListableState, host?: string, refreshMs = 0): SpaceListState {
  const [spaces, setSpaces] = useState<SpaceDocument[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `tick` asks for a reload.
  useEffect(() => {
    const controller = new AbortController();
    spacesApi
      .list({ state, host, limit: 30 }, { signal: controller.signal })
      .then((answer) => {
        setSpaces(answer.spaces);
        setError(null);
      })
      .catch((e: unknown) => {
        if (isApiError(e)) setError(e);
      });
    return () => controller.abort();
  }, [state, host, tick]);

  useEffect(() => {
    if (!refreshMs) return;
    const timer = setInterval(() => {
      if (document.visibilityState !== "hidden") reload();
    }, refreshMs);
    return () => clearInterval(timer);
  }, [refreshMs, reload]);

  return { spaces, error, reload };
}
