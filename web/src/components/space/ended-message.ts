import type { Standing } from "../../api/types";

/** The goodbye once a Space has ended, fitting what the viewer did in it. */
export function endedThanks(standing: Standing): string {
  switch (standing) {
    case "host":
      return "Thanks for hosting.";
    case "cohost":
      return "Thanks for co-hosting.";
    case "speaker":
      return "Thanks for speaking.";
    default:
      return "Thanks for listening.";
  }
}

/** Why a cancelled Space never started, said to the one who cancelled it or to the others. */
export function cancelledReason(standing: Standing): string {
  return standing === "host"
    ? "You called it off before it started."
    : "The host called it off before it started.";
}
