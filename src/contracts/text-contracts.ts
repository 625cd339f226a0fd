/**
 * The one rule for every field people read (Space titles and descriptions, display names, bios,
 * and any new title or name): wrap its string schema in `visible(...)`, or build it from
 * `plainText()`. Text is normalized to NFC; direction controls are refused with
 * AMPHI_TEXT_DIRECTION_CONTROLS and text with nothing visible with AMPHI_TEXT_INVISIBLE (400).
 */
export { plainText } from "../domain/accounts/account-rules.ts";
export { textProblem, visible } from "../domain/text/visible-text.ts";
