import type { QueuePlace } from "../../api/types";
import { formatCount } from "../../lib/format";

/** Where the listener stands in line, in words. */
export function placeText(queue: Pick<QueuePlace, "phase" | "position">): string {
  if (queue.phase === "pre-queue") {
    if (queue.position <= 1) return "You're the only one waiting so far.";
    const others = queue.position - 1;
    return `You and ${formatCount(others)} ${others === 1 ? "other person are" : "others are"} waiting.`;
  }
  if (queue.position <= 1) return "You're next.";
  const ahead = queue.position - 1;
  return `${formatCount(ahead)} ${ahead === 1 ? "person is" : "people are"} ahead of you.`;
}
