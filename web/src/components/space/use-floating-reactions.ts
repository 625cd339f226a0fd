import { useCallback, useEffect, useRef, useState } from "react";
import type { ReactionSample } from "../../api/types";

export interface FloatingReaction extends ReactionSample {
  key: number;
  /** Sideways sway, -1..1, so a burst does not stack in one column. */
  drift: number;
  delayMs: number;
}

/** How long one emoji floats; it is removed when its animation is over. */
export const floatMs = 2500;
const maxOnScreen = 40;
const maxPerBatch = 12;

/** The emojis floating up the screen: add a batch of samples, each goes away by itself. */
export function useFloatingReactions() {
  const [items, setItems] = useState<FloatingReaction[]>([]);
  const nextKey = useRef(1);
  const timers = useRef(new Set<ReturnType<typeof setTimeout>>());

  useEffect(() => {
    const pending = timers.current;
    return () => {
      for (const timer of pending) clearTimeout(timer);
      pending.clear();
    };
  }, []);

  const add = useCallback((samples: ReactionSample[]) => {
    if (samples.length === 0) return;
    const batch = samples.slice(0, maxPerBatch).map((sample, i) => ({
      ...sample,
      key: nextKey.current++,
      drift: Math.random() * 2 - 1,
      delayMs: i * 90,
    }));
    setItems((list) => [...list, ...batch].slice(-maxOnScreen));
    const keys = new Set(batch.map((b) => b.key));
    const lastDelay = batch[batch.length - 1]?.delayMs ?? 0;
    const timer = setTimeout(() => {
      timers.current.delete(timer);
      setItems((list) => list.filter((item) => !keys.has(item.key)));
    }, floatMs + lastDelay);
    timers.current.add(timer);
  }, []);

  return { items, add };
}
