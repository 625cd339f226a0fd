import fc from "fast-check";
import type { Operation } from "./fuzz-operations.ts";
import {
  applyMutation,
  type JsonSchema,
  mutation,
  nastyValue,
  objectSchema,
  type RefResolver,
  validValue,
} from "./schema-arbitraries.ts";

export type Identity = "anonymous" | "member" | "host" | "operator";

/** A path parameter: a value the fixture holds (by index), one the schema allows, or an odd one. */
export type ParamChoice =
  | { from: "fixture"; index: number }
  | { from: "schema"; value: string }
  | { from: "odd"; value: string; raw: boolean };

export type BodyChoice =
  | { kind: "none" }
  | { kind: "json"; value: unknown; note: "valid" | "near-valid" | "any" }
  | { kind: "text"; text: string };

/** One generated request, as plain data (fast-check prints and shrinks it). */
export interface FuzzRequest {
  op: string;
  identity: Identity;
  /** How the session travels: bearer token or cookie (a cookie needs a same-origin request). */
  via: "bearer" | "cookie";
  origin: string | null;
  params: Record<string, ParamChoice>;
  query: [string, string][];
  rawQuery: string;
  body: BodyChoice;
  contentType: string | null;
}

/** The request as sent. */
export interface RenderedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | undefined;
}

const oddSegments: { value: string; raw: boolean }[] = [
  ...["..", ".", "%", "%00", "%ZZ", "%2F", "%2e%2e", "%u0041", "%C0%AF", "me", "null"].map(
    (value) => ({ value, raw: true }),
  ),
  ...[
    "undefined",
    "__proto__",
    "constructor",
    "a".repeat(500),
    "a".repeat(5000),
    "0",
    "-1",
    "1e999",
    "99999999999999999999",
    " ",
    "a b",
    "\u0000",
    "\u202eevil",
    "\u200b",
    "🔥",
    "..%2F..%2Fetc",
    "x'; DROP TABLE spaces; --",
    "ÄÖÜ",
    "a/b",
    "a?b=c",
    "a#b",
  ].map((value) => ({ value, raw: false })),
];

const paramChoice = (schema: JsonSchema, resolve: RefResolver): fc.Arbitrary<ParamChoice> =>
  fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({ from: fc.constant("fixture" as const), index: fc.nat(64) }),
    },
    {
      weight: 2,
      arbitrary: validValue(schema, resolve).map(
        (value): ParamChoice => ({ from: "schema", value: String(value) }),
      ),
    },
    {
      weight: 2,
      arbitrary: fc
        .oneof(
          fc.constantFrom(...oddSegments),
          fc.string({ unit: "grapheme", maxLength: 30 }).map((value) => ({ value, raw: false })),
        )
        .map((odd): ParamChoice => ({ from: "odd", ...odd })),
    },
  );

const queryValue = (schema: JsonSchema, resolve: RefResolver): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 5, arbitrary: validValue(schema, resolve).map((v) => String(v)) },
    {
      weight: 2,
      arbitrary: nastyValue.map((v) => (typeof v === "string" ? v : (JSON.stringify(v) ?? ""))),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        "",
        "-1",
        "0",
        "1.5",
        "1e3",
        "NaN",
        "true",
        "[]",
        "x".repeat(3000),
      ),
    },
  );

const rawQueries = fc.constantFrom(
  "",
  "",
  "",
  "",
  "?",
  "?&&&",
  "?a[b]=c",
  "?__proto__[polluted]=1",
  "?constructor[prototype][polluted]=1",
  "?limit=1&limit=2",
  "?%",
  "?%ZZ=1",
  "?q=%00",
  "?=",
  `?${"a=1&".repeat(500)}`,
  `?x=${"y".repeat(8000)}`,
);

const contentTypes = fc.constantFrom(
  "application/json",
  "application/json; charset=utf-8",
  "application/json; charset=latin1",
  "application/json; charset=utf-16",
  "application/merge-patch+json",
  "application/jsonx",
  "text/plain",
  "text/json",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/octet-stream",
  "*/*",
  'application/json; charset="',
  "",
);

const brokenJson = fc.oneof(
  fc.constantFrom(
    "{",
    '{"a":',
    "[1,2",
    '{"a":1,}',
    "{'a':1}",
    "\ufeff{}",
    "null",
    "[]",
    "1",
    '"text"',
    "true",
    "{}{}",
    '{"a":1}garbage',
    '{"a":"\\ud800"}',
    '{"a":"\\u0000"}',
    '{"__proto__":{"polluted":true}}',
    '{"a":1,"a":2}',
    "[".repeat(10_000),
    `${"[".repeat(2_000)}${"]".repeat(2_000)}`,
    // Deeper than the client's own JSON.stringify goes: only as text.
    `${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}`,
    `{"a":${"9".repeat(400)}}`,
    `{"a":1e999}`,
    "",
    " ",
  ),
  fc.string({ maxLength: 200 }),
  fc.string({ unit: "binary", maxLength: 100 }),
);

/** Requests for one operation: valid, near-valid and broken inputs, with every identity. */
export function requestsFor(op: Operation, resolve: RefResolver): fc.Arbitrary<FuzzRequest> {
  const params: Record<string, fc.Arbitrary<ParamChoice>> = {};
  for (const p of op.pathParams) params[p.name] = paramChoice(p.schema, resolve);
  const query = fc
    .subarray(op.queryParams)
    .chain((chosen) =>
      chosen.length === 0
        ? fc.constant<[string, string][]>([])
        : fc.tuple(
            ...chosen.map((p) =>
              queryValue(p.schema, resolve).map((v): [string, string] => [p.name, v]),
            ),
          ),
    );
  const sendsBody = op.method !== "GET";
  const bodyArb: fc.Arbitrary<BodyChoice> = sendsBody
    ? bodyChoice(op, resolve)
    : fc.constant({ kind: "none" });
  return fc.record({
    op: fc.constant(op.key),
    identity: fc.constantFrom<Identity>("anonymous", "member", "host", "host", "operator"),
    via: fc.oneof(
      { weight: 4, arbitrary: fc.constant("bearer" as const) },
      { weight: 1, arbitrary: fc.constant("cookie" as const) },
    ),
    origin: fc.constantFrom(null, null, null, "SELF", "https://evil.example", "null"),
    params: fc.record(params),
    query,
    rawQuery: rawQueries,
    body: bodyArb,
    contentType: fc.oneof(
      { weight: 6, arbitrary: fc.constant(null) },
      { weight: 2, arbitrary: contentTypes },
    ),
  });
}

function bodyChoice(op: Operation, resolve: RefResolver): fc.Arbitrary<BodyChoice> {
  const schema = op.body?.schema;
  const anyJson: fc.Arbitrary<BodyChoice> = fc
    .oneof(fc.jsonValue({ maxDepth: 3 }), nastyValue)
    .map((value) => ({ kind: "json", value, note: "any" }));
  const text: fc.Arbitrary<BodyChoice> = brokenJson.map((t) => ({ kind: "text", text: t }));
  const none: fc.Arbitrary<BodyChoice> = fc.constant({ kind: "none" });
  if (!schema) {
    return fc.oneof(
      { weight: 6, arbitrary: none },
      { weight: 2, arbitrary: anyJson },
      { weight: 1, arbitrary: text },
    );
  }
  const valid = validValue(schema, resolve);
  const nearValid: fc.Arbitrary<BodyChoice> = fc
    .tuple(valid, mutation(objectSchema(schema, resolve)))
    .map(([value, change]) => ({
      kind: "json",
      value: applyMutation(value, change),
      note: "near-valid",
    }));
  return fc.oneof(
    {
      weight: 5,
      arbitrary: valid.map((value): BodyChoice => ({ kind: "json", value, note: "valid" })),
    },
    { weight: 5, arbitrary: nearValid },
    { weight: 1, arbitrary: anyJson },
    { weight: 2, arbitrary: text },
    { weight: 1, arbitrary: none },
  );
}

/** What a request needs from the fixture at the moment it is sent. */
export interface RenderContext {
  base: string;
  /** Values of the fixture for a path parameter of an operation (ids, handles). */
  valuesFor(op: Operation, param: string): string[];
  tokenOf(identity: Identity): string | undefined;
}

export function render(
  op: Operation,
  request: FuzzRequest,
  context: RenderContext,
): RenderedRequest {
  let path = op.path;
  for (const p of op.pathParams) {
    const choice = request.params[p.name];
    let segment = "";
    if (!choice || choice.from === "fixture") {
      const values = context.valuesFor(op, p.name);
      segment = encodeURIComponent(
        values[(choice?.index ?? 0) % Math.max(1, values.length)] ?? "x",
      );
    } else if (choice.from === "schema") segment = encodeURIComponent(choice.value);
    else segment = choice.raw ? choice.value : encodeURIComponent(choice.value);
    path = path.replace(`{${p.name}}`, segment);
  }
  const search = new URLSearchParams(request.query).toString();
  if (search) path += `?${search}`;
  if (request.rawQuery) path += (search ? "&" : "?") + request.rawQuery.replace(/^\?/, "");
  const headers: Record<string, string> = {};
  const token = context.tokenOf(request.identity);
  if (token) {
    if (request.via === "cookie" && request.identity !== "operator") {
      headers.cookie = `amphi_session=${token}`;
    } else headers.authorization = `Bearer ${token}`;
  }
  if (request.origin) headers.origin = request.origin === "SELF" ? context.base : request.origin;
  let body: string | undefined;
  if (request.body.kind === "json") body = JSON.stringify(request.body.value) ?? "null";
  else if (request.body.kind === "text") body = request.body.text;
  if (body !== undefined) {
    const type = request.contentType ?? "application/json";
    if (type) headers["content-type"] = type;
  } else if (request.contentType) headers["content-type"] = request.contentType;
  return { method: op.method, path, headers, body };
}

/** A shell command that sends the same request again. */
export function curlOf(base: string, request: RenderedRequest, maxBody = 2_000): string {
  const quote = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;
  const parts = ["curl", "-sS", "-i", "-X", request.method];
  for (const [name, value] of Object.entries(request.headers)) {
    parts.push("-H", quote(`${name}: ${value}`));
  }
  if (request.body !== undefined) {
    const body =
      request.body.length > maxBody
        ? `${request.body.slice(0, maxBody)}... (${request.body.length} characters in all)`
        : request.body;
    parts.push("--data-binary", quote(body));
  }
  parts.push(quote(base + request.path));
  return parts.join(" ");
}
