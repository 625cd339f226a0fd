import type { CSSProperties } from "react";
import type { FloatingReaction } from "./use-floating-reactions";
import { floatMs } from "./use-floating-reactions";

/** The layer of emojis rising from the bottom-right corner. Decorative for screen readers. */
export function FloatingReactions({ items }: { items: FloatingReaction[] }) {
  return (
    <div className="floating-layer" aria-hidden="true">
      {items.map((item) => {
        const style = {
          "--drift": `${Math.round(item.drift * 36)}px`,
          "--float-ms": `${floatMs}ms`,
          animationDelay: `${item.delayMs}ms`,
        } as CSSProperties;
        return (
          <span
            key={item.key}
            className="floating-reaction"
            data-testid="floating-reaction"
            data-emoji={item.emoji}
            data-handle={item.handle}
            style={style}
          >
            {item.emoji}
          </span>
        );
      })}
    </div>
  );
}
