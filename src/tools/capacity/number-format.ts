/** Numbers as the capacity report prints them: thousands separated, a few decimals at most. */

const formats = new Map<number, Intl.NumberFormat>();

/** `1300000` -> "1,300,000"; `2166.666` with 1 digit -> "2,166.7" (trailing zeros dropped). */
export function formatNumber(value: number, maxDigits = 0): string {
  let format = formats.get(maxDigits);
  if (!format) {
    format = new Intl.NumberFormat("en-US", { maximumFractionDigits: maxDigits });
    formats.set(maxDigits, format);
  }
  return format.format(value);
}

/** A share as a percentage: 0.1 -> "10%", 0.0283 -> "2.83%". */
export function formatPercent(share: number): string {
  return `${formatNumber(share * 100, 2)}%`;
}

/** Rounds to `digits` decimals (for the JSON output, where long fractions are noise). */
export function roundTo(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
