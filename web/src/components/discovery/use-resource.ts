import { useCallback, useEffect, useState } from "react";
import type { ApiError } from "../../api/api-error";
import { isApiError } from "../../api/api-error";

export interface Resource<T> {
  data: T | null;
  error: ApiError | null;
  reload: () => void;
}

/**
 * One API answer kept in state: loaded when `key` changes (null: nothing to load), reloaded
 * every `refreshMs` while the page is visible. A late answer for an old key is dropped.
 */
export function useResource<T>(
  key: string | null,
  load: (signal: AbortSignal) => Promise<T>,
  refreshMs = 0,
): Resource<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` names what `load` fetches; `tick` asks for a reload.
  useEffect(() => {
    if (key === null) return;
    const controller = new AbortController();
    load(controller.signal)
      .then((answer) => {
        setData(answer);
        setError(null);
      })
      .catch((e: unknown) => {
        if (isApiError(e)) setError(e);
      });
    return () => controller.abort();
  }, [key, tick]);

  // A new key starts from nothing: never show the previous key's answer under it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset only when the key changes.
  useEffect(() => {
    setData(null);
    setError(null);
  }, [key]);

  useEffect(() => {
    if (!refreshMs) return;
    const timer = setInterval(() => {
      if (document.visibilityState !== "hidden") reload();
    }, refreshMs);
    return () => clearInterval(timer);
  }, [refreshMs, reload]);

  return { data, error, reload };
}
