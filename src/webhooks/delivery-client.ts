import { type LookupAddress, lookup } from "node:dns";
import type { LookupFunction } from "node:net";
import { Agent, request } from "undici";
import { signedHeaders } from "./signer.ts";
import { checkAddress, checkWebhookUrl, type UrlPolicy } from "./url-policy.ts";

/** Where and with what key. */
export interface DeliveryTarget {
  url: string;
  secret: string;
}

/** What is sent: the message id (`webhook-id`, stable across retries) and the exact body. */
export interface DeliveryMessage {
  id: string;
  body: string;
}

export interface AttemptResult {
  outcome: "delivered" | "failed";
  /** The receiver's status code; null when no answer came (timeout, refused, network). */
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  /** The receiver's Retry-After (429, 503), seconds. */
  retryAfterSeconds: number | null;
}

export interface DeliveryClientOptions {
  policy: UrlPolicy;
  /** The whole attempt, connection to the last byte read: 10 s. */
  timeoutMs: number;
  /** Bytes of the answer read at most (the rest is dropped). */
  maxResponseBytes?: number;
}

/**
 * Sends webhook attempts over HTTP (undici): no redirects followed (3xx is a failure: the
 * host should fix the URL), a timeout on the whole attempt, at most a few KB of the answer
 * read. Every address a name resolves to is checked against the URL policy when connecting
 * (the lookup below), so a name that resolves inside the network is refused at delivery even
 * if it resolved outside when the endpoint was created, and the check and the connection use
 * the same answer (no DNS rebinding between them).
 */
export class DeliveryClient {
  private readonly agent: Agent;

  constructor(private readonly options: DeliveryClientOptions) {
    this.agent = new Agent({
      connect: { lookup: guardedLookup(options.policy), timeout: options.timeoutMs },
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      // One attempt, one connection: receivers are many and rarely called twice in a row.
      pipelining: 0,
    });
  }

  /** One attempt: sign now, POST, classify the answer. Never throws. */
  async deliverAttempt(
    target: DeliveryTarget,
    message: DeliveryMessage,
    at = new Date(),
  ): Promise<AttemptResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const failed = (error: string, statusCode: number | null = null, retryAfter = null) => ({
      outcome: "failed" as const,
      statusCode,
      error,
      durationMs: elapsed(),
      retryAfterSeconds: retryAfter,
    });
    // IP literals never reach the lookup: check them (and the scheme) here, every time.
    const checked = checkWebhookUrl(target.url, this.options.policy);
    if (!checked.ok) return failed(checked.message);
    try {
      const answer = await request(checked.value, {
        method: "POST",
        dispatcher: this.agent,
        headers: {
          "content-type": "application/json",
          "user-agent": "Amphi-Webhooks/1",
          ...signedHeaders(target.secret, message.id, message.body, at),
        },
        body: message.body,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      await answer.body.dump({ limit: this.options.maxResponseBytes ?? 4_096 }).catch(() => {});
      const code = answer.statusCode;
      if (code >= 200 && code < 300) {
        return {
          outcome: "delivered",
          statusCode: code,
          error: null,
          durationMs: elapsed(),
          retryAfterSeconds: null,
        };
      }
      const retryAfter = parseRetryAfter(answer.headers["retry-after"], at);
      const why = code >= 300 && code < 400 ? `redirect (${code}) not followed` : `HTTP ${code}`;
      return { ...failed(why, code), retryAfterSeconds: retryAfter };
    } catch (error) {
      return failed(describeNetworkError(error, this.options.timeoutMs));
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

/** `lookup` for net.connect that keeps only the addresses the policy allows. */
function guardedLookup(policy: UrlPolicy): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) {
        callback(error, "", 0);
        return;
      }
      const allowed = addresses.filter((a) => checkAddress(a.address, policy).ok);
      const first = allowed[0];
      if (!first) {
        const refused = addresses[0] ? checkAddress(addresses[0].address, policy) : null;
        const reason = refused && !refused.ok ? refused.message : "no address";
        const failure = Object.assign(new Error(`${hostname}: ${reason}`), {
          code: "AMPHI_ADDRESS_REFUSED",
        });
        callback(failure, "", 0);
        return;
      }
      if (options.all) (callback as (e: null, a: LookupAddress[]) => void)(null, allowed);
      else callback(null, first.address, first.family);
    });
  };
}

function describeNetworkError(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; code?: string; message?: string; cause?: unknown };
  const cause = (e.cause ?? {}) as { code?: string; message?: string };
  const code = cause.code ?? e.code;
  if (
    e.name === "TimeoutError" ||
    code === "UND_ERR_HEADERS_TIMEOUT" ||
    code === "UND_ERR_BODY_TIMEOUT" ||
    code === "UND_ERR_CONNECT_TIMEOUT"
  ) {
    return `timed out after ${timeoutMs / 1000} s`;
  }
  if (code === "AMPHI_ADDRESS_REFUSED") return cause.message ?? e.message ?? "address refused";
  if (code === "ENOTFOUND") return "the host name does not resolve";
  if (code === "ECONNREFUSED") return "connection refused";
  if (code === "ECONNRESET" || code === "UND_ERR_SOCKET") return "connection reset";
  const message = cause.message ?? e.message ?? String(error);
  return code ? `${message} (${code})` : message;
}

/** Retry-After: seconds, or an HTTP date. */
function parseRetryAfter(value: string | string[] | undefined, now: Date): number | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return null;
  if (/^\d+$/.test(text.trim())) return Number(text.trim());
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - now.getTime()) / 1000));
}
