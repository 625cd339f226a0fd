import type { z } from "zod";
import type { ErrorCode } from "../../errors/error-registry.ts";

/**
 * Bidirectional controls: embeddings and overrides (U+202A-202E), isolates (U+2066-2069), the
 * marks LRM, RLM and ALM (U+200E, U+200F, U+061C). In a title or a name they reorder what
 * people read around them ("Trojan Source"): `evil\u202Egnp.exe` shows as `evilexe.png`.
 */
const directionControls = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;

/**
 * What shows nothing on its own: white space, control and format characters (zero-width
 * space, joiners, word joiner, BOM: U+200B-200D, U+2060, U+FEFF are all format, Cf),
 * combining marks, and the blank letters and symbols that fonts draw empty (Hangul fillers,
 * the Mongolian vowel separator, the blank Braille pattern).
 */
const invisible = /[\p{White_Space}\p{Cc}\p{Cf}\p{M}\p{Z}\u115F\u1160\u3164\uFFA0\u180E\u2800]/gu;

export type TextProblem = Extract<
  ErrorCode,
  "AMPHI_TEXT_DIRECTION_CONTROLS" | "AMPHI_TEXT_INVISIBLE"
>;

/** What is wrong with text people will read as a title or a name, or null. "" is fine here. */
export function textProblem(text: string): TextProblem | null {
  if (directionControls.test(text)) return "AMPHI_TEXT_DIRECTION_CONTROLS";
  if (text !== "" && text.replace(invisible, "") === "") return "AMPHI_TEXT_INVISIBLE";
  return null;
}

/**
 * Refines a string schema for text people read (titles, descriptions, names, bios): normalized
 * to NFC, and refused with a code of its own (`params.amphiCode`, which the HTTP layer answers
 * as that code) when it carries direction controls or has nothing visible.
 */
export function visible(schema: z.ZodString): z.ZodString {
  return schema
    .overwrite((s) => s.normalize("NFC"))
    .refine((s) => textProblem(s) !== "AMPHI_TEXT_DIRECTION_CONTROLS", {
      message: "must not contain invisible direction controls (bidi overrides)",
      params: { amphiCode: "AMPHI_TEXT_DIRECTION_CONTROLS" },
    })
    .refine((s) => textProblem(s) !== "AMPHI_TEXT_INVISIBLE", {
      message: "must contain something visible",
      params: { amphiCode: "AMPHI_TEXT_INVISIBLE" },
    });
}
