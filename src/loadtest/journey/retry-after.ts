/**
 * Seconds to wait before trying again, from a Retry-After header (seconds or an HTTP date)
 * or, failing that, a `retryAfter` number in the JSON body; `fallback` when neither says.
 * Bounded to [0, max] so a bad header cannot park a client past the end of the run.
 */
export function retryAfterSeconds(
  headers: Record<string, string | string[] | undefined>,
  body: unknown,
  fallback: number,
  nowMs: number,
  max = 60,
): number {
  const clamp = (s: number) => Math.min(max, Math.max(0, s));
  const raw = headers["retry-after"];
  const header = Array.isArray(raw) ? raw[0] : raw;
  if (header !== undefined && header.trim() !== "") {
    const seconds = Number(header);
    if (Number.isFinite(seconds)) return clamp(seconds);
    const date = Date.parse(header);
    if (Number.isFinite(date)) return clamp((date - nowMs) / 1000);
  }
  if (typeof body === "object" && body !== null) {
    const fromBody = (body as { retryAfter?: unknown }).retryAfter;
    if (typeof fromBody === "number" && Number.isFinite(fromBody)) return clamp(fromBody);
  }
  return clamp(fallback);
}
