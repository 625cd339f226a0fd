import type { SpaceDocument } from "../contracts/space-contracts.ts";

/** A Space document for the sharing renderers' tests. */
export function testSpace(over: Partial<SpaceDocument> = {}): SpaceDocument {
  return {
    id: "space1",
    title: "Engines",
    description: "",
    state: "scheduled",
    host: { id: "h1", handle: "ada", displayName: "Ada" },
    scheduledFor: "2026-12-03T18:00:00.000Z",
    startedAt: null,
    endedAt: null,
    createdAt: "2026-12-01T00:00:00.000Z",
    recording: true,
    speakerRequests: "everyone",
    requireLogin: false,
    stage: [],
    counts: { listeners: 0, onStage: 1, reactionsLastSecond: 0 },
    playlistUrl: null,
    audience: null,
    version: "v1",
    ...over,
  };
}
