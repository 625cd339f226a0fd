import { z } from "zod";

/** Every API error answers with this body (src/errors/error-registry.ts, docs/errors.md). */
export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.string().describe("Stable machine-readable code, AMPHI_..."),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: "Error" });

export type ErrorBody = z.infer<typeof errorBodySchema>;
