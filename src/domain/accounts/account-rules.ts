import { z } from "zod";
import { visible } from "../text/visible-text.ts";

/** Handles are what people type and share: short, lower-case, unambiguous. */
export const handleSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9_]{3,20}$/, "3 to 20 letters, digits or underscores");

/** Control characters other than tab and newline: invisible, and NUL cannot be stored. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const controlCharacters = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/**
 * Free text people write (titles, descriptions, bios): NFC, no control characters, no direction
 * controls, not only invisible characters (src/domain/text/visible-text.ts).
 */
export function plainText() {
  return visible(z.string().trim()).refine(
    (s) => !controlCharacters.test(s),
    "must not contain control characters",
  );
}

export const displayNameSchema = visible(
  z.string().trim().min(1, "must not be empty").max(50, "at most 50 characters"),
)
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), "must not contain control characters");

export const passwordSchema = z
  .string()
  .min(8, "at least 8 characters")
  .max(200, "at most 200 characters");

export const bioSchema = plainText().pipe(z.string().max(160, "at most 160 characters"));
