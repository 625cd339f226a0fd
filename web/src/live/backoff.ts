/** Reconnect delays: 1 s, 2 s, 4 s... up to 30 s, each with jitter so clients spread out. */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(30_000, 1000 * 2 ** Math.min(attempt, 10));
  return Math.round(base * (0.5 + random() * 0.5));
}

/** How often anonymous visitors (and anyone whose socket is down) re-read the Space. */
export const pollIntervalMs = 5000;

/** Keep-alive ping on an open socket. */
export const pingIntervalMs = 25_000;
