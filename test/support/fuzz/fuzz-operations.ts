import type { JsonSchema, RefResolver } from "./schema-arbitraries.ts";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface Parameter {
  name: string;
  schema: JsonSchema;
  required: boolean;
}

/** One operation the fuzzer sends requests to. */
export interface Operation {
  /** "POST /api/spaces/{id}/clips" */
  key: string;
  method: HttpMethod;
  path: string;
  pathParams: Parameter[];
  queryParams: Parameter[];
  /** The JSON body's schema, when the operation takes one. */
  body?: { schema: JsonSchema; required: boolean };
  /** Answers follow the API error contract (every /api route); pages and media may not. */
  errorContract: boolean;
}

interface OpenApiOperation {
  parameters?: { in: string; name: string; required?: boolean; schema?: JsonSchema }[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema }> };
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

const methods = new Set(["get", "post", "put", "patch", "delete"]);

/** Every operation of the server's OpenAPI document (GET /api/openapi.json). */
export function operationsOf(doc: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [verb, op] of Object.entries(item)) {
      if (!methods.has(verb)) continue;
      const method = verb.toUpperCase() as HttpMethod;
      const parameters = op.parameters ?? [];
      const param = (p: (typeof parameters)[number]): Parameter => ({
        name: p.name,
        schema: p.schema ?? {},
        required: p.required ?? p.in === "path",
      });
      const json = op.requestBody?.content?.["application/json"]?.schema;
      operations.push({
        key: `${method} ${path}`,
        method,
        path,
        pathParams: parameters.filter((p) => p.in === "path").map(param),
        queryParams: parameters.filter((p) => p.in === "query").map(param),
        ...(json ? { body: { schema: json, required: op.requestBody?.required ?? false } } : {}),
        errorContract: path.startsWith("/api/"),
      });
    }
  }
  return operations;
}

/** `#/components/schemas/Name` of the document. */
export function refResolver(doc: OpenApiDocument): RefResolver {
  return (ref) => {
    const name = ref.replace(/^#\/components\/schemas\//, "");
    const schema = doc.components?.schemas?.[name];
    if (!schema) throw new Error(`unknown $ref ${ref}`);
    return schema;
  };
}

const pathParam = (name: string): Parameter => ({
  name,
  schema: { type: "string" },
  required: true,
});

/**
 * Routes the OpenAPI document hides (pages, media, calendars, cards, health): the fuzzer
 * sends them odd path parameters and queries too. They must never answer 5xx; their 4xx
 * bodies are pages or media errors, not the JSON error contract.
 */
export function hiddenOperations(): Operation[] {
  const paths = [
    "/healthz",
    "/readyz",
    "/metrics",
    "/hls/{id}/index.m3u8",
    "/hls/{id}/live.m3u8",
    "/hls/{id}/{file}",
    "/recordings/{id}/vod.m3u8",
    "/recordings/{id}/download.m4a",
    "/recordings/{id}/{file}",
    "/clips/{clipId}/clip.m3u8",
    "/clips/{clipId}/download.m4a",
    "/spaces/{id}.ics",
    "/@{handle}/calendar.ics",
    "/spaces/{id}",
    "/clips/{clipId}",
    "/@{handle}",
    "/u/{handle}",
    "/spaces/{id}/card.png",
    "/clips/{clipId}/card.png",
    "/@{handle}/card.png",
    "/@{handle}/feed.xml",
    "/embed/{id}",
    "/embed/clips/{clipId}",
  ];
  const blockingReload: Parameter[] = ["_HLS_msn", "_HLS_part", "_HLS_skip"].map((name) => ({
    name,
    schema: { type: "integer", minimum: 0, maximum: 20 },
    required: false,
  }));
  return paths.map((path) => ({
    key: `GET ${path}`,
    method: "GET" as const,
    path,
    pathParams: [...path.matchAll(/\{(\w+)\}/g)].map((m) => pathParam(m[1] as string)),
    queryParams: path.endsWith("live.m3u8") ? blockingReload : [],
    errorContract: false,
  }));
}
