/**
 * What a search text means: its words (letters and digits in any script, lower-cased), each
 * matched as a prefix, all of them required. Pure; the contract and the queries share it.
 */

/** At most this many words are used; more is a 400. */
export const maxSearchTerms = 8;
/** The longest search text accepted (characters, after trimming). */
export const maxSearchLength = 100;

export function searchTerms(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 0);
}

/**
 * The `to_tsquery('simple', ...)` text for the terms: `amp:* & talk:*`. The terms hold only
 * letters and digits, so no tsquery operator can come from the person searching.
 */
export function prefixTsQuery(terms: readonly string[]): string {
  return terms.map((t) => `${t}:*`).join(" & ");
}
