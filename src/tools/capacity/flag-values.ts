/**
 * Flag values of `amphi capacity`: plain numbers or with a k/M suffix ("1.3M", "20k"), parsed
 * exactly (no 1.1 x 1e6 = 1100000.0000000002), as values or as a reason.
 */

export type Parsed = { ok: true; value: number } | { ok: false; reason: string };

const SCALED = /^(\d+)(?:\.(\d+))?([kKmM]?)$/;
/** More listeners than people on Earth is a typo. */
const MAX_COUNT = 10_000_000_000;

/** "1.3M" -> 1300000 exactly: the digits as an integer, then the decimal point moved. */
function scaled(text: string): Parsed {
  const match = SCALED.exec(text.trim().replaceAll(",", "").replaceAll("_", ""));
  if (!match) return { ok: false, reason: "expected a number such as 1300000, 1.3M or 20k" };
  const [, whole = "", fraction = "", suffix = ""] = match;
  const exponent = { "": 0, k: 3, K: 3, m: 6, M: 6 }[suffix] ?? 0;
  const digits = BigInt(whole + fraction);
  const shift = exponent - fraction.length;
  if (shift >= 0) return { ok: true, value: Number(digits * 10n ** BigInt(shift)) };
  return { ok: true, value: Number(digits) / 10 ** -shift };
}

/** A positive whole number of listeners (or Spaces). */
export function parseCount(text: string): Parsed {
  const parsed = scaled(text);
  if (!parsed.ok) return parsed;
  if (!Number.isInteger(parsed.value) || parsed.value < 1) {
    return { ok: false, reason: "expected a whole number of at least 1" };
  }
  if (parsed.value > MAX_COUNT) return { ok: false, reason: `expected at most ${MAX_COUNT}` };
  return parsed;
}

/** A positive rate (per second), fractions allowed. */
export function parseRate(text: string): Parsed {
  const parsed = scaled(text);
  if (!parsed.ok) return parsed;
  if (!(parsed.value > 0)) return { ok: false, reason: "expected a number greater than 0" };
  return parsed;
}
