import type { SpaceDocument } from "../contracts/space-contracts.ts";
import type { SpaceSnapshot } from "../spaces/space-snapshots.ts";

/** Public Space documents by id, as discovery lists them. */
export interface SpaceDocuments {
  /** The documents of the Spaces that exist, in the order of `ids`. */
  documents(ids: readonly string[]): Promise<SpaceDocument[]>;
}

/**
 * Documents from the shared Space snapshots (src/spaces/space-snapshots.ts): in memory for
 * recently read Spaces, dropped on every change event, so a list's titles, stages and states
 * are as current as the Space page's, whatever the age of the list of ids.
 */
export function snapshotDocuments(
  snapshots: { get(id: string): Promise<SpaceSnapshot | null> },
  toDocument: (snapshot: SpaceSnapshot) => SpaceDocument,
): SpaceDocuments {
  return {
    documents: async (ids) => {
      const found = await Promise.all(ids.map((id) => snapshots.get(id)));
      return found.filter((s) => s !== null).map(toDocument);
    },
  };
}
