/**
 * A steady stream of new joins: `perSecond` ticket requests (POST /api/spaces/:id/tickets)
 * through the edges, each starting on the next edge in turn and moving to the other edges on
 * a network error or a 5xx. A join is ok when it got a ticket (200) or a place in line (202);
 * anything else on every edge (a 5xx, a network error, or any other status) is a failed join.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { AllEdgesFailed, type EdgePool } from "./edge-pool.ts";

export interface JoinAttempt {
  /** Epoch ms when it was sent. */
  at: number;
  ok: boolean;
  /** Status of the answer kept, or "network". */
  outcome: number | "network";
}

const epochMs = () => performance.timeOrigin + performance.now();

/** Sends joins until `signal` aborts; resolves with every attempt once all have settled. */
export async function runJoinStream(options: {
  pool: EdgePool;
  spaceId: string;
  perSecond: number;
  signal: AbortSignal;
}): Promise<JoinAttempt[]> {
  const { pool, spaceId, perSecond, signal } = options;
  const attempts: JoinAttempt[] = [];
  const pending: Promise<void>[] = [];
  const started = performance.now();
  let n = 0;
  while (!signal.aborted) {
    const at = epochMs();
    pending.push(
      pool
        .request(
          `/api/spaces/${spaceId}/tickets`,
          { method: "POST", body: {}, timeoutMs: 10_000 },
          pool.startIndex(),
        )
        .then(
          (answer) => {
            const ok = answer.status === 200 || answer.status === 202;
            attempts.push({ at, ok, outcome: answer.status });
          },
          (error: unknown) => {
            const status = error instanceof AllEdgesFailed ? error.status : null;
            attempts.push({ at, ok: false, outcome: status ?? "network" });
          },
        ),
    );
    n++;
    const due = started + (n * 1000) / perSecond;
    await sleep(Math.max(0, due - performance.now()));
  }
  await Promise.all(pending);
  return attempts.sort((a, b) => a.at - b.at);
}
