import type { ReactionEmoji } from "../api/types";

/** Spoken names for the reaction emojis, for buttons' accessible names. */
export const emojiNames: Record<ReactionEmoji, string> = {
  "💯": "Hundred points",
  "👏": "Clap",
  "😂": "Laugh",
  "❤️": "Heart",
  "🙌": "Raised hands",
  "😮": "Wow",
  "😢": "Sad",
  "🔥": "Fire",
};
