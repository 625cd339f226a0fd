import type { Dispatcher } from "undici";
import { Aborted, answerKey, httpCall, NetworkFailure } from "./journey/http-call.ts";
import { resolveAgainst } from "./journey/resolve-url.ts";
import { sleep } from "./journey/sleep.ts";
import type { StatsRecorder } from "./stats/stats-recorder.ts";

export interface HostileContext {
  target: URL;
  spaceId: string;
  dispatcher: Dispatcher;
  stats: StatsRecorder;
  signal: AbortSignal;
  /** Requests per second this client sends, whatever the server answers. */
  requestsPerSecond: number;
}

/**
 * An abusive client: asks for tickets without ever solving the challenge or honouring
 * Retry-After, and re-reads the Space document, at a fixed pace until the scenario ends.
 * What it is answered is counted by status and code; a ticket it obtains is counted as a
 * ticket without a challenge (what attack mode should prevent); 5xx and network failures
 * show the server suffering.
 */
export async function runHostileClient(ctx: HostileContext): Promise<void> {
  const space = `api/spaces/${encodeURIComponent(ctx.spaceId)}`;
  const targets = [
    {
      what: "ticket",
      url: resolveAgainst(ctx.target, `${space}/tickets`),
      method: "POST" as const,
    },
    { what: "document", url: resolveAgainst(ctx.target, space), method: "GET" as const },
  ];
  const gap = 1 / Math.max(0.01, ctx.requestsPerSecond);
  for (let i = 0; !ctx.signal.aborted; i++) {
    const t = targets[i % targets.length];
    if (!t) break;
    const started = performance.now();
    try {
      const answer = await httpCall(ctx.dispatcher, t.url, {
        method: t.method,
        body: t.method === "POST" ? {} : undefined,
        signal: ctx.signal,
      });
      ctx.stats.count("hostileRequests");
      ctx.stats.hostileAnswer(`${t.what} ${answerKey(answer)}`);
      if (t.what === "ticket" && answer.status === 200) ctx.stats.count("hostileTickets");
      if (answer.status >= 500) ctx.stats.count("hostileErrors");
    } catch (error) {
      if (error instanceof Aborted) return;
      if (!(error instanceof NetworkFailure)) throw error;
      ctx.stats.count("hostileRequests");
      ctx.stats.count("hostileErrors");
      ctx.stats.hostileAnswer(`${t.what} network ${error.reason}`);
    }
    const spent = (performance.now() - started) / 1000;
    if (!(await sleep(Math.max(0, gap - spent), ctx.signal))) return;
  }
}
