/**
 * Account and Space changes made all through the run, through the edges, by a client that
 * behaves like the web app: a 503 (with Retry-After: the database is away) is retried after
 * the time it asks, for up to `retryForMs`; a network error or a 502/504 on every edge is
 * retried likewise, but only for requests that are safe to repeat (PATCH of the profile). A
 * change is "acknowledged" when it got a 2xx; at the end each acknowledged change must be
 * readable (`verifyChanges`): that is "no account or Space change lost".
 *
 * Changes, in turn: a sign-up (POST /api/accounts), a profile edit of one of the accounts
 * signed up so far (PATCH /api/accounts/me, displayName), a new scheduled Space of the host
 * (POST /api/spaces, title).
 */
import { setTimeout as sleep } from "node:timers/promises";
import { AllEdgesFailed, type EdgeAnswer, type EdgePool, json, lastAnswer } from "./edge-pool.ts";

export type Change =
  | { kind: "sign-up"; handle: string; password: string; token: string; at: number }
  | { kind: "profile"; handle: string; displayName: string; at: number }
  | { kind: "space"; id: string; title: string; at: number };

export interface WriteLog {
  acknowledged: Change[];
  /** Changes never acknowledged (each with its last outcome): not required to exist. */
  unacknowledged: { kind: Change["kind"]; at: number; outcome: string }[];
  /** Every profile edit sent (acknowledged or not), for reading back. */
  profileAttempts: { handle: string; displayName: string; at: number }[];
  /** 503 answers retried. */
  retried503: number;
}

const epochMs = () => performance.timeOrigin + performance.now();
const password = "correct horse battery";

/** One change: retried on 503 + Retry-After (and on network errors if `idempotent`). */
async function send(
  pool: EdgePool,
  path: string,
  init: { method: string; body: unknown; token?: string },
  options: { idempotent: boolean; retryForMs: number; log: WriteLog },
): Promise<{ answer: EdgeAnswer | null; outcome: string }> {
  const deadline = performance.now() + options.retryForMs;
  for (;;) {
    let answer: EdgeAnswer | null = null;
    let outcome: string;
    let retryAfterMs: number | null = null;
    try {
      answer = await pool.request(path, { ...init, timeoutMs: 10_000 }, pool.startIndex());
      outcome = String(answer.status);
    } catch (error) {
      answer = lastAnswer(error) ?? null;
      outcome = error instanceof AllEdgesFailed ? `${error.status ?? "network"}` : "network";
    }
    if (answer?.status === 503) {
      const header = Number(answer.headers.get("retry-after"));
      retryAfterMs = Number.isFinite(header) ? Math.min(header, 5) * 1000 : 1000;
      options.log.retried503++;
    } else if (!answer && options.idempotent) retryAfterMs = 500;
    else if (answer && answer.status >= 500 && options.idempotent) retryAfterMs = 500;
    if (retryAfterMs === null || performance.now() + retryAfterMs > deadline) {
      return { answer: answer && answer.status < 300 ? answer : null, outcome };
    }
    await sleep(retryAfterMs);
  }
}

export async function runWriter(options: {
  pool: EdgePool;
  hostToken: string;
  perSecond: number;
  signal: AbortSignal;
  retryForMs?: number;
}): Promise<WriteLog> {
  const { pool, signal } = options;
  const log: WriteLog = {
    acknowledged: [],
    unacknowledged: [],
    profileAttempts: [],
    retried503: 0,
  };
  const retryForMs = options.retryForMs ?? 20_000;
  // One edit at a time per account, so the order of its acknowledged edits is the order applied.
  const accounts: { handle: string; token: string; busy: boolean }[] = [];
  const pending: Promise<void>[] = [];
  const tag = `${process.pid % 1000}${Date.now() % 100_000}`;
  let n = 0;
  while (!signal.aborted) {
    const i = n++;
    const at = epochMs();
    const kind = (["sign-up", "profile", "space"] as const)[i % 3] ?? "sign-up";
    const job = async () => {
      if (kind === "sign-up" || accounts.length === 0) {
        const handle = `f${tag}_${i}`.slice(0, 20);
        const { answer, outcome } = await send(
          pool,
          "/api/accounts",
          { method: "POST", body: { handle, displayName: `Fault ${i}`, password } },
          { idempotent: false, retryForMs, log },
        );
        if (answer?.status === 201) {
          const token = json(answer).token as string;
          accounts.push({ handle, token, busy: false });
          log.acknowledged.push({ kind: "sign-up", handle, password, token, at });
        } else log.unacknowledged.push({ kind: "sign-up", at, outcome });
      } else if (kind === "profile") {
        const account = accounts[i % accounts.length];
        if (!account || account.busy) return;
        account.busy = true;
        const displayName = `Edited ${i}`;
        log.profileAttempts.push({ handle: account.handle, displayName, at });
        const { answer, outcome } = await send(
          pool,
          "/api/accounts/me",
          { method: "PATCH", body: { displayName }, token: account.token },
          { idempotent: true, retryForMs, log },
        );
        account.busy = false;
        if (answer?.status === 200) {
          log.acknowledged.push({ kind: "profile", handle: account.handle, displayName, at });
        } else log.unacknowledged.push({ kind: "profile", at, outcome });
      } else {
        const title = `Fault space ${tag} ${i}`;
        const { answer, outcome } = await send(
          pool,
          "/api/spaces",
          {
            method: "POST",
            body: { title, scheduledFor: new Date(Date.now() + 86_400_000).toISOString() },
            token: options.hostToken,
          },
          { idempotent: false, retryForMs, log },
        );
        if (answer?.status === 201) {
          log.acknowledged.push({ kind: "space", id: json(answer).space.id, title, at });
        } else log.unacknowledged.push({ kind: "space", at, outcome });
      }
    };
    pending.push(job().catch(() => {}));
    await sleep(1000 / options.perSecond, undefined, { signal }).catch(() => {});
  }
  await Promise.all(pending);
  return log;
}

/**
 * Reads every acknowledged change back through the balancer: the account and the session its
 * sign-up made, its profile shows the last acknowledged display name (or a later one that was
 * sent), the Space exists with its title. Returns the changes not found, described.
 */
export async function verifyChanges(base: string, log: WriteLog): Promise<string[]> {
  const lost: string[] = [];
  const get = async (path: string, init: RequestInit = {}) => {
    for (let attempt = 0; ; attempt++) {
      const res = await fetch(base + path, { ...init, signal: AbortSignal.timeout(10_000) });
      if (res.status !== 503 || attempt >= 10) return res;
      await sleep(1000);
    }
  };
  // The last acknowledged displayName of each handle, and every name tried after it.
  const lastName = new Map<string, { name: string; at: number }>();
  for (const change of log.acknowledged) {
    if (change.kind !== "profile") continue;
    const seen = lastName.get(change.handle);
    if (!seen || change.at > seen.at)
      lastName.set(change.handle, { name: change.displayName, at: change.at });
  }
  for (const change of log.acknowledged) {
    if (change.kind === "sign-up") {
      // The account exists and its session (made by the sign-up) is good: read, not a log-in
      // (log-ins are rate limited per account and IP, reads are not).
      const res = await get("/api/accounts/me", {
        headers: { authorization: `Bearer ${change.token}` },
      });
      const body = (await res.json().catch(() => null)) as { account?: { handle?: string } } | null;
      if (res.status !== 200 || body?.account?.handle !== change.handle)
        lost.push(`sign-up ${change.handle}: GET /api/accounts/me ${res.status}`);
    } else if (change.kind === "profile") {
      const last = lastName.get(change.handle);
      if (last?.name !== change.displayName) continue; // a later edit was acknowledged
      const res = await get(`/api/accounts/${change.handle}`);
      const body = (await res.json().catch(() => null)) as {
        profile?: { displayName?: string };
      } | null;
      const shown = body?.profile?.displayName;
      const later = log.profileAttempts
        .filter((a) => a.handle === change.handle && a.at > change.at)
        .map((a) => a.displayName);
      if (shown !== change.displayName && !(shown && later.includes(shown)))
        lost.push(`profile ${change.handle}: shows ${shown}, acknowledged ${change.displayName}`);
    } else {
      const res = await get(`/api/spaces/${change.id}`);
      const body = (await res.json().catch(() => null)) as { space?: { title?: string } } | null;
      if (body?.space?.title !== change.title)
        lost.push(`space ${change.id}: ${res.status} ${body?.space?.title}`);
    }
  }
  return lost;
}
