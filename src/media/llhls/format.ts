/** Attribute value formats of RFC 8216bis §4.2. */

/**
 * A decimal-floating-point (§4.2): digits and one dot, never an exponent. Five decimals are
 * exact for Opus timing (2.5 ms steps); trailing zeros go, down to three decimals.
 */
export function decimal(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new RangeError(`a duration is a finite non-negative number, got ${seconds}`);
  }
  return seconds.toFixed(5).replace(/(\.\d{3}\d*?)0+$/, "$1");
}

/** A quoted-string (§4.2): no double quote, carriage return or line feed inside. */
export function quoted(value: string): string {
  if (/["\r\n]/.test(value)) throw new RangeError(`not allowed in a quoted-string: ${value}`);
  return `"${value}"`;
}

/** An EXT-X-PROGRAM-DATE-TIME value (§4.4.4.6): ISO 8601 with milliseconds and a zone. */
export function dateTime(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

/** A tag with an attribute-list (§4.2): NAME=value pairs, comma-separated, no spaces. */
export function tag(name: string, attributes: Record<string, string | undefined>): string {
  const pairs = Object.entries(attributes).filter(
    (entry): entry is [string, string] => entry[1] !== undefined,
  );
  return `#${name}:${pairs.map(([key, value]) => `${key}=${value}`).join(",")}`;
}
