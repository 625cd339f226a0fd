/** Prints docs/errors.md from the error registry: `node --import tsx scripts/generate-error-docs.ts > docs/errors.md`. */
import { errorRegistry } from "../src/errors/error-registry.ts";

const lines = [
  "# Error codes",
  "",
  'Every API error body is `{ "error": { "code": "AMPHI_...", "message": "...", "details"?: ... } }`.',
  "The registry is `src/errors/error-registry.ts`; a test keeps this page in step with it.",
  '`details` of `AMPHI_VALIDATION_FAILED` is a list of `{ path: ["body" | "params" | "querystring", field...], message }`.',
  "429 and 503 answers carry `Retry-After` (seconds).",
  "",
  "| code | HTTP | meaning |",
  "|---|---|---|",
];
for (const [code, e] of Object.entries(errorRegistry))
  lines.push(`| \`${code}\` | ${e.status} | ${e.message} |`);
console.log(lines.join("\n"));
