/** The period a transparency report covers, as the page's address and date fields hold it. */
export interface Period {
  /** First day, YYYY-MM-DD (UTC). */
  from: string;
  /** Last day included, YYYY-MM-DD (UTC). */
  to: string;
}

const day = /^\d{4}-\d{2}-\d{2}$/;
const isDay = (value: string | null): value is string =>
  value !== null && day.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The last 30 days, today included. */
export function defaultPeriod(nowMs: number): Period {
  return { from: dayOf(nowMs - 29 * 86_400_000), to: dayOf(nowMs) };
}

/** The period in `?from=&to=`; the default for anything missing, malformed or reversed. */
export function periodFromSearch(params: URLSearchParams, nowMs: number): Period {
  const from = params.get("from");
  const to = params.get("to");
  if (isDay(from) && isDay(to) && from <= to) return { from, to };
  return defaultPeriod(nowMs);
}

/** The API's half-open range: from the first day's midnight to the midnight after the last. */
export function periodRange(period: Period): { from: string; to: string } {
  const end = Date.parse(`${period.to}T00:00:00Z`) + 86_400_000;
  return { from: `${period.from}T00:00:00.000Z`, to: new Date(end).toISOString() };
}

/** Presets the page offers: this calendar year so far, the last 30 days, the last 6 months. */
export function periodPresets(nowMs: number): { label: string; period: Period }[] {
  const today = dayOf(nowMs);
  return [
    { label: "Last 30 days", period: defaultPeriod(nowMs) },
    { label: "Last 6 months", period: { from: dayOf(nowMs - 182 * 86_400_000), to: today } },
    { label: "This year", period: { from: `${today.slice(0, 4)}-01-01`, to: today } },
  ];
}

/** The entries of a count table, largest first, without the zeros. */
export function rankedCounts<K extends string>(counts: Partial<Record<K, number>>): [K, number][] {
  return (Object.entries(counts) as [K, number][])
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}
