import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { AmphiError, type ErrorCode, errorRegistry } from "../errors/error-registry.ts";
import { isWhipError } from "../media/whip/whip-errors.ts";

interface FieldProblem {
  path: (string | number)[];
  message: string;
}

/** Turns a schema validation failure into field problems: `{ path: ["body", "title"], ... }`. */
function fieldProblems(error: FastifyError): FieldProblem[] {
  const where = error.validationContext ?? "body";
  return (error.validation ?? []).map((v) => {
    const issuePath = (v.params as { issue?: { path?: (string | number)[] } } | undefined)?.issue
      ?.path;
    const path = issuePath ?? v.instancePath.split("/").filter(Boolean);
    return {
      path: [where, ...path.map((p) => (typeof p === "symbol" ? String(p) : p))],
      message: humane(v.keyword, v.message ?? "invalid"),
    };
  });
}

/**
 * The code a schema gave its refusal (`params.amphiCode`, e.g. AMPHI_TEXT_INVISIBLE from
 * src/domain/text/visible-text.ts), for the first issue that has one.
 */
function refinedCode(error: FastifyError): ErrorCode | undefined {
  for (const v of error.validation ?? []) {
    // fastify-type-provider-zod spreads the zod issue (but path, code, message) into params.
    const code = (v.params as { params?: { amphiCode?: unknown } } | undefined)?.params?.amphiCode;
    if (typeof code === "string" && code in errorRegistry) return code as ErrorCode;
  }
  return undefined;
}

/**
 * A field left out gets a word people read ("required"), not zod's "Invalid input: expected
 * string, received undefined"; every other message is the schema's own (account-rules.ts).
 */
function humane(keyword: string, message: string): string {
  return keyword === "invalid_type" && /received undefined$/.test(message) ? "required" : message;
}

/** Fastify's own request errors, by code, mapped to ours. */
const fastifyCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: "AMPHI_PAYLOAD_TOO_LARGE",
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "AMPHI_UNSUPPORTED_MEDIA_TYPE",
  FST_ERR_CTP_EMPTY_JSON_BODY: "AMPHI_MALFORMED_JSON",
  FST_ERR_CTP_INVALID_JSON_BODY: "AMPHI_MALFORMED_JSON",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: "AMPHI_VALIDATION_FAILED",
  FST_ERR_BAD_URL: "AMPHI_NOT_FOUND",
  FST_ERR_MAX_PARAM_LENGTH: "AMPHI_URI_TOO_LONG",
};

export function toAmphiError(error: unknown): AmphiError {
  if (error instanceof AmphiError) return error;
  if (isWhipError(error)) {
    return new AmphiError(error.code, { message: error.message, details: error.details });
  }
  const fe = error as FastifyError;
  if (hasZodFastifySchemaValidationErrors(fe)) {
    const details = fieldProblems(fe);
    const first = details[0];
    const message = first
      ? `${first.path.slice(1).join(".") || first.path[0]}: ${first.message}`
      : undefined;
    return new AmphiError(refinedCode(fe) ?? "AMPHI_VALIDATION_FAILED", {
      details,
      ...(message ? { message } : {}),
    });
  }
  const mapped = fe.code ? fastifyCodes[fe.code] : undefined;
  if (mapped) return new AmphiError(mapped);
  if (error instanceof SyntaxError) return new AmphiError("AMPHI_MALFORMED_JSON");
  // PostgreSQL "data exception" (SQLSTATE class 22): a value the database cannot hold.
  // Validation should catch these first; this keeps a miss a 400, never a 500.
  if (typeof fe.code === "string" && /^22[0-9A-Z]{3}$/.test(fe.code)) {
    return new AmphiError("AMPHI_VALIDATION_FAILED", { message: "A value is out of range." });
  }
  if (isDatabaseUnavailable(error)) {
    return new AmphiError("AMPHI_DATABASE_UNAVAILABLE", { retryAfter: 5 });
  }
  if (fe.statusCode === 401) return new AmphiError("AMPHI_UNAUTHENTICATED");
  if (fe.statusCode === 403) return new AmphiError("AMPHI_FORBIDDEN");
  if (fe.statusCode === 404) return new AmphiError("AMPHI_NOT_FOUND");
  if (fe.statusCode === 405) return new AmphiError("AMPHI_METHOD_NOT_ALLOWED");
  if (fe.statusCode === 414) return new AmphiError("AMPHI_URI_TOO_LONG");
  if (fe.statusCode === 413) return new AmphiError("AMPHI_PAYLOAD_TOO_LARGE");
  if (fe.statusCode === 415) return new AmphiError("AMPHI_UNSUPPORTED_MEDIA_TYPE");
  if (fe.statusCode === 429) return new AmphiError("AMPHI_RATE_LIMITED");
  // Another 4xx a library raised: its text is the library's, not ours (the log keeps it).
  if (fe.statusCode !== undefined && fe.statusCode >= 400 && fe.statusCode < 500) {
    return new AmphiError("AMPHI_VALIDATION_FAILED");
  }
  return new AmphiError("AMPHI_INTERNAL");
}

const connectionErrorCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
]);

/**
 * The database cannot be reached (refused, dropped, shutting down, or a PostgreSQL
 * "connection exception"): a write was not made, and the client may simply retry. The
 * transaction never committed, so nothing half-done is left behind.
 */
function isDatabaseUnavailable(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown; cause?: unknown } | null;
  if (!e || typeof e !== "object") return false;
  const code = typeof e.code === "string" ? e.code : "";
  if (connectionErrorCodes.has(code)) return true;
  // SQLSTATE 08xxx connection exception; 57P01-57P03 admin shutdown / crash / cannot connect.
  if (/^08[0-9A-Z]{3}$/.test(code) || /^57P0[1-3]$/.test(code)) return true;
  const message = typeof e.message === "string" ? e.message : "";
  if (
    /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect/i.test(
      message,
    )
  ) {
    return true;
  }
  return e.cause !== undefined && e.cause !== error && isDatabaseUnavailable(e.cause);
}

export function sendError(reply: FastifyReply, error: AmphiError): FastifyReply {
  if (error.retryAfter !== undefined) reply.header("retry-after", String(error.retryAfter));
  reply.header("cache-control", "no-store");
  return reply.code(error.status).type("application/json; charset=utf-8").send(error.toBody());
}

/** Every error leaves as `{ error: { code, message, details? } }`; only real faults log as errors. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const amphi = toAmphiError(error);
    if (amphi.status >= 500) request.log.error({ err: error }, "request failed");
    else if (error instanceof Error && error.cause !== undefined) {
      // A library's failure answered in our words (werift on a WHIP offer): its own text is
      // kept here, never sent.
      request.log.info({ code: amphi.code, err: error }, "request refused");
    } else if (amphi !== error)
      request.log.debug({ code: amphi.code, err: error }, "request refused");
    else request.log.debug({ code: amphi.code }, "request refused");
    return sendError(reply, amphi);
  });
}

/**
 * A request Node's HTTP parser refused before fastify saw it (headers or address over 16 KB,
 * a malformed request line), answered in the error contract instead of fastify's own body.
 * A dropped connection or a request timeout gets no answer, as with fastify's default.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (
    error.code === "ECONNRESET" ||
    error.code === "ERR_HTTP_REQUEST_TIMEOUT" ||
    !socket.writable
  ) {
    socket.destroy(error);
    return;
  }
  const amphi = new AmphiError(
    error.code === "HPE_HEADER_OVERFLOW" ? "AMPHI_HEADERS_TOO_LARGE" : "AMPHI_VALIDATION_FAILED",
  );
  const body = JSON.stringify(amphi.toBody());
  socket.end(
    `HTTP/1.1 ${amphi.status} ${STATUS_CODES[amphi.status]}\r\n` +
      "Connection: close\r\nContent-Type: application/json; charset=utf-8\r\n" +
      `Cache-Control: no-store\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
