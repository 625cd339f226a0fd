import { type ReactionEmoji, reactionEmojis } from "../../api/types";
import { emojiNames } from "../../lib/emoji";

/** The eight reactions; each press floats the emoji for everyone in the Space. */
export function ReactionBar({
  enabled,
  disabledHint,
  onReact,
}: {
  enabled: boolean;
  disabledHint?: string;
  onReact: (emoji: ReactionEmoji) => void;
}) {
  return (
    <section className="reaction-bar" aria-label="Reactions">
      <div className="reaction-buttons">
        {reactionEmojis.map((emoji) => (
          <button
            key={emoji}
            type="button"
            className="reaction-button"
            data-testid="reaction-button"
            data-emoji={emoji}
            aria-label={`React with ${emojiNames[emoji]}`}
            title={enabled ? emojiNames[emoji] : disabledHint}
            disabled={!enabled}
            onClick={() => onReact(emoji)}
          >
            <span aria-hidden="true">{emoji}</span>
          </button>
        ))}
      </div>
      {!enabled && disabledHint && <p className="reaction-hint">{disabledHint}</p>}
    </section>
  );
}
