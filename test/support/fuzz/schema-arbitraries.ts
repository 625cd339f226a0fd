import fc from "fast-check";

/** The part of an OpenAPI 3.0 schema object the fuzzer reads. */
export interface JsonSchema {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  const?: unknown;
  nullable?: boolean;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number | boolean;
  exclusiveMaximum?: number | boolean;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
}

export type RefResolver = (ref: string) => JsonSchema;

/**
 * Values a schema accepts, as fast-check generates them: strings from the schema's pattern
 * (fc.stringMatching) within its lengths, numbers in range, objects with every required
 * property and some optional ones. Refinements the JSON schema cannot express (visible text,
 * a date in the future) are not known here: some "valid" values are refused, as they should be.
 */
export function validValue(
  schema: JsonSchema,
  resolve: RefResolver,
  depth = 0,
): fc.Arbitrary<unknown> {
  if (schema.$ref) return validValue(resolve(schema.$ref), resolve, depth);
  const base = validNonNull(schema, resolve, depth);
  return schema.nullable ? fc.oneof({ weight: 4, arbitrary: base }, fc.constant(null)) : base;
}

function validNonNull(
  schema: JsonSchema,
  resolve: RefResolver,
  depth: number,
): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.allOf?.length) {
    // zod's output: allOf of one $ref (a nullable reference); merge objects otherwise.
    if (schema.allOf.length === 1) return validValue(schema.allOf[0] as JsonSchema, resolve, depth);
    return validValue(mergeAll(schema.allOf, resolve), resolve, depth);
  }
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives?.length) {
    return fc.oneof(...alternatives.map((s) => validValue(s, resolve, depth)));
  }
  switch (schema.type) {
    case "string":
      return validString(schema);
    case "integer":
      return fc.integer({
        min: Math.ceil(lowerBound(schema) ?? -1_000_000),
        max: Math.floor(upperBound(schema) ?? 1_000_000),
      });
    case "number":
      return fc.double({
        min: lowerBound(schema) ?? -1_000_000,
        max: upperBound(schema) ?? 1_000_000,
        noNaN: true,
        noDefaultInfinity: true,
      });
    case "boolean":
      return fc.boolean();
    case "array":
      return fc.array(validValue(schema.items ?? {}, resolve, depth + 1), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 5, Math.max(schema.minItems ?? 0, 5)),
      });
    case "object":
      return validObject(schema, resolve, depth);
    default:
      if (schema.properties) return validObject(schema, resolve, depth);
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function lowerBound(schema: JsonSchema): number | undefined {
  if (typeof schema.exclusiveMinimum === "number") return schema.exclusiveMinimum + 1e-9;
  return schema.minimum;
}

function upperBound(schema: JsonSchema): number | undefined {
  if (typeof schema.exclusiveMaximum === "number") return schema.exclusiveMaximum - 1e-9;
  return schema.maximum;
}

function validString(schema: JsonSchema): fc.Arbitrary<string> {
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.min(schema.maxLength ?? 60, Math.max(minLength, 60));
  const fitsLength = (s: string) =>
    s.length >= minLength && s.length <= (schema.maxLength ?? Number.POSITIVE_INFINITY);
  if (schema.pattern) {
    // fc.stringMatching makes short strings: a pattern with a long minimum length
    // (`^[A-Za-z0-9_-]+={0,2}$` of at least 20) gets its first `+` bounded by the lengths.
    const pattern =
      minLength > 2 && schema.pattern.includes("+")
        ? schema.pattern.replace("+", `{${minLength},${schema.maxLength ?? minLength + 40}}`)
        : schema.pattern;
    return fc.stringMatching(new RegExp(pattern)).filter(fitsLength);
  }
  switch (schema.format) {
    case "date-time":
      return fc
        .date({ min: new Date("2000-01-01"), max: new Date("2100-01-01"), noInvalidDate: true })
        .map((d) => d.toISOString());
    case "uri":
    case "url":
      return fc.webUrl({ validSchemes: ["https"] }).filter(fitsLength);
    case "email":
      return fc.emailAddress().filter(fitsLength);
    case "uuid":
      return fc.uuid();
    default:
      return fc.string({ minLength, maxLength, unit: "grapheme" }).filter(fitsLength);
  }
}

function validObject(
  schema: JsonSchema,
  resolve: RefResolver,
  depth: number,
): fc.Arbitrary<unknown> {
  const properties = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const record: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [key, property] of Object.entries(properties)) {
    record[key] = validValue(property, resolve, depth + 1);
  }
  return fc.record(record, { requiredKeys: [...required].filter((k) => k in properties) });
}

function mergeAll(schemas: JsonSchema[], resolve: RefResolver): JsonSchema {
  const merged: JsonSchema = { type: "object", properties: {}, required: [] };
  for (const part of schemas) {
    const s = part.$ref ? resolve(part.$ref) : part;
    Object.assign(merged.properties as object, s.properties ?? {});
    merged.required?.push(...(s.required ?? []));
  }
  return merged;
}

/** The object schema a body or value resolves to (through $ref and single allOf), if any. */
export function objectSchema(schema: JsonSchema, resolve: RefResolver): JsonSchema | undefined {
  if (schema.$ref) return objectSchema(resolve(schema.$ref), resolve);
  if (schema.allOf?.length === 1) return objectSchema(schema.allOf[0] as JsonSchema, resolve);
  if (schema.type === "object" || schema.properties) return schema;
  return undefined;
}

const deepArray = (levels: number): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = [value];
  return value;
};
const deepObject = (levels: number): unknown => {
  let value: unknown = "x";
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
};

/**
 * Values built to break things: wrong types, edge numbers, text a database or a renderer may
 * choke on (NUL, lone surrogates, bidi overrides, zero-width and invisible-only text, huge
 * strings), prototype keys, deep nesting.
 */
export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    null,
    true,
    false,
    0,
    -1,
    -0,
    0.5,
    1e308,
    -1e308,
    5e-324,
    2 ** 53 + 1,
    -(2 ** 63),
    1e21,
    "",
    " ",
    "\u0000",
    "a\u0000b",
    "\ud800",
    "x\udfffy",
    "\u202egnp.exe",
    "\u2066hidden\u2069",
    "\u200b",
    "\u200b\u200c\u200d\u2060",
    "\ufeff",
    "\u00ad",
    "ㅤ",
    "Z̷̧̛̖̲̈́a̵͇̓l̸̰̈g̶̣̓o̷̩͝",
    "🔥".repeat(300),
    "👨‍👩‍👧‍👦",
    "x".repeat(10_000),
    "NaN",
    "Infinity",
    "-0",
    "1e999",
    "99999999999999999999999999",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-14:00",
    "2001-02-29T00:00:00Z",
    "1970-01-01T00:00:00Z",
    "__proto__",
    "constructor",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "'; DROP TABLE accounts; --",
    "%00",
    "http://127.0.0.1:1/",
    "https://[::1]/",
    "https://169.254.169.254/latest",
    "file:///etc/passwd",
    [],
    {},
    [null],
    { __proto__: null, polluted: true },
    JSON.parse('{"__proto__": {"polluted": true}}'),
    { constructor: { prototype: { polluted: true } } },
    deepArray(1_000),
    deepObject(1_000),
    Array.from({ length: 2_000 }, (_, i) => i),
  ),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.double(),
  fc.integer(),
  fc.bigInt().map((n) => Number(n)),
  fc.jsonValue({ maxDepth: 3 }),
);

/** One change to a valid value: the key to change (or add) and what it becomes. */
export type Mutation =
  | { kind: "set"; key: string; value: unknown }
  | { kind: "delete"; key: string }
  | { kind: "extra"; key: string; value: unknown }
  | { kind: "replace"; value: unknown };

/** Near-valid: one field of a valid object changed, removed, or one property too many. */
export function mutation(schema: JsonSchema | undefined): fc.Arbitrary<Mutation> {
  const keys = Object.keys(schema?.properties ?? {});
  const extra: fc.Arbitrary<Mutation> = fc.record({
    kind: fc.constant("extra" as const),
    key: fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom("__proto__", "constructor", "prototype", "id", "accountId", "role"),
    ),
    value: nastyValue,
  });
  const replace: fc.Arbitrary<Mutation> = fc.record({
    kind: fc.constant("replace" as const),
    value: nastyValue,
  });
  if (keys.length === 0) return fc.oneof(extra, replace);
  const set: fc.Arbitrary<Mutation> = fc.record({
    kind: fc.constant("set" as const),
    key: fc.constantFrom(...keys),
    value: nastyValue,
  });
  const remove: fc.Arbitrary<Mutation> = fc.record({
    kind: fc.constant("delete" as const),
    key: fc.constantFrom(...keys),
  });
  return fc.oneof(
    { weight: 6, arbitrary: set },
    { weight: 2, arbitrary: remove },
    { weight: 1, arbitrary: extra },
    { weight: 1, arbitrary: replace },
  );
}

export function applyMutation(value: unknown, change: Mutation): unknown {
  if (change.kind === "replace") return change.value;
  const base =
    value && typeof value === "object" && !Array.isArray(value)
      ? { ...(value as Record<string, unknown>) }
      : {};
  if (change.kind === "delete") delete base[change.key];
  // defineProperty: "__proto__" becomes an own key, as JSON.parse would make it.
  else
    Object.defineProperty(base, change.key, {
      value: change.value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return base;
}
