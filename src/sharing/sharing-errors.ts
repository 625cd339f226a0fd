/**
 * The failures of oEmbed (https://oembed.com, section 2.3.5), each with the status the
 * specification asks for. The shape matches `errorRegistry` in src/errors/error-registry.ts,
 * so the entries can be added there as they are.
 */
export const sharingErrorRegistry = {
  AMPHI_OEMBED_NOT_FOUND: {
    status: 404,
    message: "There is no Space or clip of this site at this URL.",
  },
  AMPHI_OEMBED_JSON_ONLY: {
    status: 501,
    message: "oEmbed answers are given in JSON only (format=json).",
  },
} as const satisfies Record<string, { status: number; message: string }>;
